/** The release verdict (SPEC §5): policy over rule statuses, kept apart from checks and presentation. */
import type { Verdict } from '../spec/summary.ts';
import type { ReasonCode, RuleStatus, Severity } from '../spec/vocabulary.ts';

interface Judged {
  readonly severity: Severity;
  readonly status: RuleStatus;
  readonly reason?: ReasonCode;
}

export function verdictOf(rules: readonly Judged[]): Verdict {
  const must = rules.filter((r) => r.severity === 'must');
  if (must.some((r) => r.status === 'failed' || r.status === 'error')) return 'not-ready';
  if (must.some((r) => r.status === 'skipped' && (r.reason === 'missing-prerequisite' || r.reason === 'not-selected'))) return 'incomplete';
  return 'ready';
}

/** Exit code of `run` (SPEC §2): 1 when a must rule failed or errored. */
export function runExitCode(rules: readonly Judged[]): 0 | 1 {
  return rules.some((r) => r.severity === 'must' && (r.status === 'failed' || r.status === 'error')) ? 1 : 0;
}
