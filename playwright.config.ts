/**
 * One Playwright project per target of CONFORMANCE_TARGETS (default ./targets.yaml); reports
 * into CONFORMANCE_REPORT_DIR (default ./reports). The reference API is started by `webServer`
 * only when the targets file uses it.
 */
import { defineConfig, type ReporterDescription } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { ConfigError, loadTargets } from './src/config/load.ts';
import type { ProjectMetadata } from './src/harness/contract.ts';
import { waiversPath } from './src/policy/waivers.ts';
import { prepareReferenceEnv, usesReference } from './src/runner/reference-env.ts';
import { grepFromArgv } from './src/runner/selection.ts';
import { defaultWorkers } from './src/runner/workers.ts';

const targetsFile = resolve(process.env.CONFORMANCE_TARGETS ?? 'targets.yaml');
const reportDir = resolve(process.env.CONFORMANCE_REPORT_DIR ?? 'reports');
process.env.CONFORMANCE_REPORT_DIR = reportDir;
process.env.CONFORMANCE_TARGETS = targetsFile;
process.env.CONFORMANCE_RUN_ID ??= randomUUID();
// Playwright keeps --grep from workers; they need it to probe only for the rules selected.
if (!process.env.TEST_WORKER_INDEX) Object.assign(process.env, grepFromArgv(process.argv));
// One waivers file for the reporter and the workers: CONFORMANCE_WAIVERS, else ./waivers.yaml if present.
process.env.CONFORMANCE_WAIVERS ??= waiversPath(undefined) ?? 'none';

const reference = usesReference(targetsFile)
  ? process.env.CONFORMANCE_REFERENCE_STARTED === '1' && process.env.CONFORMANCE_REFERENCE_URL
    ? { port: Number(new URL(process.env.CONFORMANCE_REFERENCE_URL).port), url: process.env.CONFORMANCE_REFERENCE_URL }
    : prepareReferenceEnv()
  : undefined;

let targets: ReturnType<typeof loadTargets>;
try {
  targets = loadTargets(targetsFile, { trusted: !!process.env.TEST_WORKER_INDEX });
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(`targets file is invalid; nothing was probed.\n${e.message}`);
    process.exit(2);
  }
  throw e;
}

const reporters: ReporterDescription[] = [
  [process.env.CI ? 'dot' : 'list'],
  ['html', { outputFolder: `${reportDir}/playwright`, open: 'never' }],
  ['./src/report/summary-reporter.ts', { outputDir: reportDir }],
];
if (process.env.PLAYWRIGHT_BLOB_OUTPUT_DIR || process.argv.some((a) => a.startsWith('--shard'))) {
  reporters.push(['blob', { outputDir: process.env.PLAYWRIGHT_BLOB_OUTPUT_DIR ?? `${reportDir}/blob` }]);
}

export default defineConfig({
  testDir: './suites',
  workers: defaultWorkers(targets.length),
  outputDir: `${reportDir}/test-results`,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  globalTeardown: './src/harness/teardown.ts',
  reporter: reporters,
  projects: targets.map((t) => ({
    name: t.name,
    metadata: { target: t.name, targetsFile, baseUrl: t.baseUrl, profile: t.profile } satisfies ProjectMetadata,
  })),
  ...(reference?.port
    ? {
        webServer: {
          command: `node --import tsx reference/main.ts --port ${reference.port} --host 127.0.0.1`,
          url: `${reference.url}/platform/health`,
          reuseExistingServer: false,
          timeout: 20_000,
          stdout: 'ignore',
          stderr: 'pipe',
        },
      }
    : {}),
});
