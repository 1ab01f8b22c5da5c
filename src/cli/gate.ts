/**
 * `conformance gate`: release readiness from a summary.json and waivers.yaml (SPEC §2).
 * Exit 0 ready, 1 not ready (or incomplete, unless --allow-incomplete), 2 unusable input.
 */
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { decideGate } from '../policy/gate.ts';
import { gateJson, gateMarkdown, gateText } from '../report/gate-view.ts';
import { readSummary, SummaryError } from '../report/read-summary.ts';
import { styleFor } from '../report/text.ts';
import { loadWaivers, WaiverFileError, waiversPath, type WaiverSet } from '../policy/waivers.ts';
import { waiversRecordedIn } from '../policy/apply-waivers.ts';
import { parseArgs, UsageError } from './args.ts';

const display = (file: string): string => {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
};

export function gateCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const args = parseArgs(argv, ['allow-incomplete']);
  if (args.positional.length)
    throw new UsageError(`gate takes no positional arguments (got ${args.positional.join(' ')}); use --summary F`);
  const summaryFile = resolve(args.flags.get('summary')?.at(-1) ?? join(env.CONFORMANCE_REPORT_DIR ?? 'reports', 'summary.json'));
  const format = args.flags.get('format')?.at(-1) ?? 'table';
  if (!['table', 'markdown', 'json'].includes(format)) throw new UsageError(`unknown format "${format}" (table | markdown | json)`);
  const allowIncomplete = args.flags.get('allow-incomplete')?.at(-1) === 'true';
  try {
    const summary = readSummary(display(summaryFile));
    if (!summary.targets.length)
      throw new SummaryError(display(summaryFile), 'the summary has no targets: nothing was checked, so nothing can be declared ready');
    const waiversFile = waiversPath(args.flags.get('waivers')?.at(-1), env);
    let waivers: WaiverSet | undefined;
    if (waiversFile) waivers = loadWaivers(waiversFile);
    else if (summary.targets.some((t) => t.counts.waived > 0)) waivers = waiversRecordedIn(summary);
    const decision = decideGate(summary, waivers, { allowIncomplete });
    const reportFile = join(dirname(summaryFile), 'index.html');
    const ctx = { summaryFile: display(summaryFile), ...(existsSync(reportFile) ? { reportFile: display(reportFile) } : {}) };
    const markdown = gateMarkdown(decision, ctx);
    if (format === 'json') process.stdout.write(gateJson(decision, ctx));
    else if (format === 'markdown') process.stdout.write(markdown);
    else process.stdout.write(gateText(decision, ctx, styleFor(process.stdout, env), process.stdout.columns ?? 120));
    for (const file of args.flags.get('markdown') ?? []) writeFileSync(file, markdown);
    if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
    return decision.exitCode;
  } catch (e) {
    if (e instanceof SummaryError || e instanceof WaiverFileError) {
      process.stderr.write(`gate: unusable input; no verdict.\n${e.message}\n`);
      if (env.GITHUB_STEP_SUMMARY)
        appendFileSync(env.GITHUB_STEP_SUMMARY, `## ⛔ Release gate: unusable input\n\n\`\`\`\n${e.message}\n\`\`\`\n\n`);
      return 2;
    }
    throw e;
  }
}
