/**
 * Config for `npx playwright merge-reports --config merge.config.ts <blob dir>`: turns the
 * blob reports of sharded runs (`--shard i/n`) into the same reports an unsharded run writes
 * (reports/index.html, summary.json, junit.xml, playwright/). Only its reporters are used; it
 * loads no targets file and starts no server. CONFORMANCE_REPORT_DIR, CONFORMANCE_WAIVERS and
 * CONFORMANCE_HISTORY_DIR are honoured as in a run.
 */
import { defineConfig } from '@playwright/test';
import { resolve } from 'node:path';
import { waiversPath } from './src/policy/waivers.ts';

const reportDir = resolve(process.env.CONFORMANCE_REPORT_DIR ?? 'reports');
process.env.CONFORMANCE_REPORT_DIR = reportDir;
process.env.CONFORMANCE_WAIVERS ??= waiversPath(undefined) ?? 'none';

export default defineConfig({
  testDir: './suites',
  reporter: [
    [process.env.CI ? 'dot' : 'list'],
    ['html', { outputFolder: `${reportDir}/playwright`, open: 'never' }],
    ['./src/report/summary-reporter.ts', { outputDir: reportDir }],
  ],
});
