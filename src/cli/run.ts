/**
 * `conformance run`: validates the targets file (exit 2 and nothing probed when broken),
 * runs Playwright over it, then derives the exit code from summary.json (SPEC §2). With
 * --dry-run it prints what the run would send, within which budgets, and sends nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatProblem, tryLoadTargets } from '../config/load.ts';
import { prepareReferenceEnv, usesReference } from '../harness/reference-env.ts';
import { runExitCode } from '../report/verdict.ts';
import type { Summary } from '../report/summary.ts';
import { formatPlan, selectedFor } from './dry-run.ts';
import { planRun } from '../harness/plan.ts';
import { parseArgs, UsageError } from './main.ts';
import { targetsPath } from './validate.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export async function runCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['dry-run']);
  const targetsFile = targetsPath(args.flags.get('targets'));
  const reportDir = resolve(args.flags.get('report-dir')?.at(-1) ?? process.env.CONFORMANCE_REPORT_DIR ?? 'reports');
  const env: NodeJS.ProcessEnv = { ...process.env, CONFORMANCE_TARGETS: targetsFile, CONFORMANCE_REPORT_DIR: reportDir };
  if (usesReference(targetsFile)) prepareReferenceEnv(env);

  const loaded = tryLoadTargets(targetsFile, { env });
  if ('problems' in loaded) {
    process.stderr.write(`${loaded.problems.map(formatProblem).join('\n')}\nthe targets file is invalid; nothing was probed.\n`);
    return 2;
  }
  const names = args.flags.get('target') ?? [];
  for (const name of names) {
    if (!loaded.targets.some((t) => t.name === name)) {
      throw new UsageError(`no target named "${name}" in ${targetsFile} (targets: ${loaded.targets.map((t) => t.name).join(', ')})`);
    }
  }
  if (args.flags.has('dry-run')) {
    const targets = names.length ? loaded.targets.filter((t) => names.includes(t.name)) : loaded.targets;
    process.stdout.write(`${formatPlan(planRun(targets, selectedFor(args.rest)))}\n`);
    return 0;
  }
  const summaryFile = join(reportDir, 'summary.json');
  rmSync(summaryFile, { force: true });
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const playwrightArgs = [cli, 'test', '--config', join(ROOT, 'playwright.config.ts'), ...names.flatMap((n) => ['--project', n]), ...args.rest];
  const code = await new Promise<number>((done) => {
    const child = spawn(process.execPath, playwrightArgs, { cwd: ROOT, env, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals): void => { child.kill(signal); };
    process.once('SIGINT', forward);
    process.once('SIGTERM', forward);
    child.on('exit', (c, signal) => done(c ?? (signal ? 130 : 2)));
  });
  if (!existsSync(summaryFile)) {
    process.stderr.write(`the run produced no summary (playwright exited ${code}); see the output above\n`);
    return 2;
  }
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as Summary;
  const rules = summary.targets.flatMap((t) => t.rules);
  const exit = runExitCode(rules);
  process.stdout.write(`\nverdict: ${summary.verdict} — ${summary.targets.map((t) => `${t.name}: ${t.counts.passed} passed, ${t.counts.failed} failed, ${t.counts.error} error, ${t.counts.skipped} skipped${t.tls_verify === false ? ' (tls_verify: false: certificate not verified)' : ''}`).join('; ')}\n` +
    `reports: ${join(reportDir, 'index.html')} · ${summaryFile} · ${join(reportDir, 'junit.xml')} · ${join(reportDir, 'playwright', 'index.html')}\n`);
  return exit;
}
