/** Where a run writes: CONFORMANCE_REPORT_DIR (default ./reports) and a per-run work folder. */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export function runPaths(): { reportDir: string; workDir: string; runId: string } {
  const reportDir = resolve(process.env.CONFORMANCE_REPORT_DIR ?? 'reports');
  const runId = process.env.CONFORMANCE_RUN_ID ?? 'adhoc';
  return { reportDir, workDir: resolve(reportDir, '.work', runId), runId };
}

/**
 * Where the run's worker processes share tokens fetched with client credentials: private to the
 * run and outside the report dir (which CI uploads), removed by the global teardown. Undefined
 * outside a Playwright run: each process then keeps its tokens in memory.
 */
export function runTokenDir(): string | undefined {
  const runId = process.env.CONFORMANCE_RUN_ID;
  return runId ? join(tmpdir(), `conformance-tokens-${runId.replace(/[^\w.-]/g, '_')}`) : undefined;
}
