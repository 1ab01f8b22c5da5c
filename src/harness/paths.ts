/** Where a run writes: CONFORMANCE_REPORT_DIR (default ./reports) and a per-run work folder. */
import { resolve } from 'node:path';

export function runPaths(): { reportDir: string; workDir: string; runId: string } {
  const reportDir = resolve(process.env.CONFORMANCE_REPORT_DIR ?? 'reports');
  const runId = process.env.CONFORMANCE_RUN_ID ?? 'adhoc';
  return { reportDir, workDir: resolve(reportDir, '.work', runId), runId };
}
