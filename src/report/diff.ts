/**
 * What changed between two runs (SPEC §2 `diff`): regressions, fixes, new failures, other
 * status changes, and rules or targets that appeared or disappeared. Pure comparison;
 * diff-view.ts presents it.
 *
 * A waived rule is compared by what the run found (its waiver's `was`): a rule that passed
 * and now fails under a waiver is still a regression of the service, shown as waived.
 */
import type { RuleStatus, Severity } from '../spec/vocabulary.ts';
import type { Summary, SummaryRule } from '../spec/summary.ts';
import type { Verdict } from '../spec/summary.ts';

export interface RuleChange {
  readonly target: string;
  readonly id: string;
  readonly severity: Severity;
  readonly from: RuleStatus;
  readonly to: RuleStatus;
  /** The newer run's message (why it fails now, or what passed). */
  readonly message: string;
  /** The newer run waived it. */
  readonly waived?: boolean;
}

export interface RunInfo {
  readonly started_at: string;
  readonly verdict: Verdict;
  readonly catalogue_version: string;
  readonly harness_version: string;
}

export interface TargetCounts {
  readonly target: string;
  readonly old?: Record<RuleStatus, number>;
  readonly new?: Record<RuleStatus, number>;
}

export interface SummaryDiff {
  readonly old: RunInfo;
  readonly new: RunInfo;
  /** passed → failed or error. */
  readonly regressions: readonly RuleChange[];
  /** failed or error → passed. */
  readonly fixes: readonly RuleChange[];
  /** Not judged before (skipped, or absent) → failed or error. */
  readonly newFailures: readonly RuleChange[];
  /** Every other change of status (e.g. passed → skipped, failed → error). */
  readonly otherChanges: readonly RuleChange[];
  readonly newRules: readonly string[];
  readonly removedRules: readonly string[];
  readonly newTargets: readonly string[];
  readonly removedTargets: readonly string[];
  readonly counts: readonly TargetCounts[];
}

/** The status a run found, seeing through a waiver. */
export function foundStatus(r: SummaryRule): RuleStatus {
  return r.status === 'waived' && r.waiver ? r.waiver.was.status : r.status;
}

const bad = (s: RuleStatus): boolean => s === 'failed' || s === 'error';
const info = (s: Summary): RunInfo => ({
  started_at: s.started_at,
  verdict: s.verdict,
  catalogue_version: s.catalogue_version,
  harness_version: s.harness_version,
});

export function diffSummaries(older: Summary, newer: Summary): SummaryDiff {
  const oldTargets = new Map(older.targets.map((t) => [t.name, t]));
  const newTargets = new Map(newer.targets.map((t) => [t.name, t]));
  const regressions: RuleChange[] = [];
  const fixes: RuleChange[] = [];
  const newFailures: RuleChange[] = [];
  const otherChanges: RuleChange[] = [];

  for (const [name, now] of newTargets) {
    const before = oldTargets.get(name);
    if (!before) continue;
    const previous = new Map(before.rules.map((r) => [r.id, r]));
    for (const rule of now.rules) {
      const was = previous.get(rule.id);
      if (!was) continue; // a new rule: listed once in newRules
      const from = foundStatus(was);
      const to = foundStatus(rule);
      if (from === to && was.status === rule.status) continue;
      const change: RuleChange = {
        target: name,
        id: rule.id,
        severity: rule.severity,
        from: was.status,
        to: rule.status,
        message: rule.message,
        ...(rule.status === 'waived' ? { waived: true } : {}),
      };
      if (from === 'passed' && bad(to)) regressions.push(change);
      else if (bad(from) && to === 'passed') fixes.push(change);
      else if (!bad(from) && from !== 'passed' && bad(to)) newFailures.push(change);
      else otherChanges.push(change);
    }
  }
  const ids = (s: Summary): Set<string> => new Set(s.targets.flatMap((t) => t.rules.map((r) => r.id)));
  const oldIds = ids(older);
  const newIds = ids(newer);
  const severityOrder = (c: RuleChange): number => (c.severity === 'must' ? 0 : c.severity === 'should' ? 1 : 2);
  const sort = (list: RuleChange[]): RuleChange[] =>
    list.sort((a, b) => severityOrder(a) - severityOrder(b) || a.target.localeCompare(b.target) || a.id.localeCompare(b.id));
  return {
    old: info(older),
    new: info(newer),
    regressions: sort(regressions),
    fixes: sort(fixes),
    newFailures: sort(newFailures),
    otherChanges: sort(otherChanges),
    newRules: [...newIds].filter((id) => !oldIds.has(id)).sort(),
    removedRules: [...oldIds].filter((id) => !newIds.has(id)).sort(),
    newTargets: [...newTargets.keys()].filter((n) => !oldTargets.has(n)),
    removedTargets: [...oldTargets.keys()].filter((n) => !newTargets.has(n)),
    counts: [...new Set([...oldTargets.keys(), ...newTargets.keys()])].map((target) => ({
      target,
      ...(oldTargets.get(target) ? { old: oldTargets.get(target)!.counts } : {}),
      ...(newTargets.get(target) ? { new: newTargets.get(target)!.counts } : {}),
    })),
  };
}

export type FailOn = 'any' | 'must' | 'never';

/** Exit code of `diff`: 1 when a rule regressed (passed → failed/error), by `failOn`; else 0. */
export function diffExitCode(d: SummaryDiff, failOn: FailOn = 'any'): 0 | 1 {
  if (failOn === 'never') return 0;
  return d.regressions.some((r) => r.severity !== 'off' && (failOn === 'any' || r.severity === 'must')) ? 1 : 0;
}

export function hasChanges(d: SummaryDiff): boolean {
  return [d.regressions, d.fixes, d.newFailures, d.otherChanges, d.newRules, d.removedRules, d.newTargets, d.removedTargets].some(
    (l) => l.length > 0,
  );
}
