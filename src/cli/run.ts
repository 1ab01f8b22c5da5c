/**
 * `conformance run`: validates the targets file and the waivers file (exit 2 and nothing
 * probed when broken), runs Playwright over it, then derives the exit code from summary.json
 * (SPEC §2). Waivers apply as in `gate`; the history folder keeps the last runs for the trend.
 * With --dry-run it prints what the run would send, within which budgets, and sends nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatProblem, tryLoadTargets } from '../config/load.ts';
import { prepareReferenceEnv, REFERENCE_VAR, startReference, usesReference } from '../runner/reference-env.ts';
import { readSummary, SummaryError } from '../report/read-summary.ts';
import { runExitCode } from '../policy/verdict.ts';
import { formatWaiverProblem, loadWaivers, WaiverFileError, waiversPath } from '../policy/waivers.ts';
import { targetsPath } from './validate.ts';
import { parseArgs, UsageError } from './args.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export async function runCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['dry-run', 'har']);
  const targetsFile = targetsPath(args.flags.get('targets'));
  const reportDir = resolve(args.flags.get('report-dir')?.at(-1) ?? process.env.CONFORMANCE_REPORT_DIR ?? 'reports');
  const env: NodeJS.ProcessEnv = { ...process.env, CONFORMANCE_TARGETS: targetsFile, CONFORMANCE_REPORT_DIR: reportDir };
  // Waivers and history are read by the reporter (also after a merge of shards): passed on as
  // absolute paths because Playwright runs from the repository root.
  const waiversFile = waiversPath(args.flags.get('waivers')?.at(-1));
  env.CONFORMANCE_WAIVERS = waiversFile ?? 'none';
  const history = args.flags.get('history')?.at(-1);
  if (history !== undefined) env.CONFORMANCE_HISTORY_DIR = history === 'none' ? 'none' : resolve(history);
  const keep = args.flags.get('history-keep')?.at(-1);
  if (keep !== undefined) {
    if (!/^[1-9]\d*$/.test(keep)) throw new UsageError(`--history-keep needs a positive whole number (got "${keep}")`);
    env.CONFORMANCE_HISTORY_KEEP = keep;
  }
  if (args.flags.has('har')) env.CONFORMANCE_HAR = '1';
  // The reference API, unless the environment names one already running; a dry run sends
  // nothing, so it only needs the URL the reference would have.
  let stopReference: (() => Promise<void>) | undefined;
  if (usesReference(targetsFile)) {
    if (env[REFERENCE_VAR] || args.flags.has('dry-run')) prepareReferenceEnv(env);
    else stopReference = await startReference(env);
  }
  try {
    return await runPlaywright(args, env, targetsFile, reportDir, waiversFile);
  } finally {
    await stopReference?.();
  }
}

async function runPlaywright(
  args: ReturnType<typeof parseArgs>,
  env: NodeJS.ProcessEnv,
  targetsFile: string,
  reportDir: string,
  waiversFile: string | undefined,
): Promise<number> {
  const loaded = tryLoadTargets(targetsFile, { env });
  if ('problems' in loaded) {
    process.stderr.write(`${loaded.problems.map(formatProblem).join('\n')}\nthe targets file is invalid; nothing was probed.\n`);
    return 2;
  }
  if (waiversFile) {
    try {
      loadWaivers(waiversFile);
    } catch (e) {
      if (!(e instanceof WaiverFileError)) throw e;
      process.stderr.write(`${e.message}\nthe waivers file is unusable; nothing was probed.\n`);
      return 2;
    }
  }
  const names = args.flags.get('target') ?? [];
  for (const name of names) {
    if (!loaded.targets.some((t) => t.name === name)) {
      throw new UsageError(`no target named "${name}" in ${targetsFile} (targets: ${loaded.targets.map((t) => t.name).join(', ')})`);
    }
  }
  if (args.flags.has('dry-run')) {
    // Loaded only here: planning pulls in every probe, which a real run loads in its workers.
    const [{ formatPlan, selectedFor }, { planRun }] = await Promise.all([import('./dry-run.ts'), import('../harness/plan.ts')]);
    const targets = names.length ? loaded.targets.filter((t) => names.includes(t.name)) : loaded.targets;
    process.stdout.write(`${formatPlan(planRun(targets, selectedFor(args.rest)))}\n`);
    return 0;
  }
  const summaryFile = join(reportDir, 'summary.json');
  rmSync(summaryFile, { force: true });
  rmSync(join(reportDir, 'exchanges.har'), { force: true });
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const playwrightArgs = [
    cli,
    'test',
    '--config',
    join(ROOT, 'playwright.config.ts'),
    ...names.flatMap((n) => ['--project', n]),
    ...args.rest,
  ];
  const code = await new Promise<number>((done) => {
    const child = spawn(process.execPath, playwrightArgs, { cwd: ROOT, env, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    process.once('SIGINT', forward);
    process.once('SIGTERM', forward);
    child.on('exit', (c, signal) => done(c ?? (signal ? 130 : 2)));
  });
  if (!existsSync(summaryFile)) {
    process.stderr.write(`the run produced no summary (playwright exited ${code}); see the output above\n`);
    return 2;
  }
  let summary: ReturnType<typeof readSummary>;
  try {
    summary = readSummary(summaryFile);
  } catch (e) {
    if (!(e instanceof SummaryError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 2;
  }
  const rules = summary.targets.flatMap((t) => t.rules);
  const exit = runExitCode(rules);
  for (const p of summary.waivers?.problems ?? []) process.stderr.write(`${formatWaiverProblem(p)}\n`);
  process.stdout.write(
    `\nverdict: ${summary.verdict} — ${summary.targets.map((t) => `${t.name}: ${t.counts.passed} passed, ${t.counts.failed} failed, ${t.counts.error} error${t.counts.waived ? `, ${t.counts.waived} waived` : ''}, ${t.counts.skipped} skipped${t.tls_verify === false ? ' (tls_verify: false: certificate not verified)' : ''}`).join('; ')}\n` +
      `reports: ${join(reportDir, 'index.html')} · ${summaryFile} · ${join(reportDir, 'junit.xml')} · ${join(reportDir, 'playwright', 'index.html')}${env.CONFORMANCE_HAR === '1' ? ` · ${join(reportDir, 'exchanges.har')}` : ''}\n`,
  );
  return exit;
}
