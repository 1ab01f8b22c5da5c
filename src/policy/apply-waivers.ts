/**
 * Applies waivers to a summary (SPEC §2, §5): rules that failed or could not be judged and
 * match a waiver become `waived`, counts and verdict are recomputed. Works on summary.json
 * alone, so `gate` can re-apply (or re-check) waivers long after the run.
 */
import { suggest } from '../config/suggest.ts';
import type { AppliedWaiver, Summary, SummaryRule, TargetSummary, WaiverProblem } from '../spec/summary.ts';
import type { RuleStatus } from '../spec/vocabulary.ts';
import { verdictOf } from './verdict.ts';
import { expiryInstant, findWaiver, type Waiver, type WaiverSet } from './waivers.ts';

/**
 * The waivers a summary already carries (written by `run --waivers`), so that `gate` without a
 * waivers file re-checks them (an expired one stops counting) instead of trusting them blindly.
 */
export function waiversRecordedIn(summary: Summary, now: Date = new Date()): WaiverSet {
  const waivers: Waiver[] = [];
  const problems: WaiverProblem[] = [];
  const seen = new Set<string>();
  for (const t of summary.targets) {
    for (const r of t.rules) {
      if (r.status !== 'waived' || !r.waiver) continue;
      const key = `${r.id}|${r.waiver.target}|${r.waiver.source}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const m = /^(.*):(\d+):(\d+)$/.exec(r.waiver.source);
      const source = m ? { file: m[1]!, line: Number(m[2]), column: Number(m[3]) } : { file: r.waiver.source, line: 1, column: 1 };
      const end = expiryInstant(r.waiver.expires);
      if (!end || end.getTime() <= now.getTime()) {
        problems.push({
          ...source,
          level: 'error',
          kind: 'expired',
          message: `recorded waiver of ${r.id} on ${r.waiver.target} (owner ${r.waiver.owner}) expired on ${r.waiver.expires}; it does not count`,
          fix: 'fix the rule, or renew the waiver with a new expiry date and a reason',
        });
        continue;
      }
      waivers.push({
        rule: r.id,
        target: r.waiver.target,
        reason: r.waiver.reason,
        owner: r.waiver.owner,
        expires: r.waiver.expires,
        source,
      });
    }
  }
  return { file: 'summary.json (waivers recorded by the run)', waivers, problems };
}

/** Puts a waived rule back to what the run found. */
function unwaive(rule: SummaryRule): SummaryRule {
  if (rule.status !== 'waived' || !rule.waiver) return rule;
  const { waiver, reason: _reason, ...rest } = rule;
  return { ...rest, status: waiver.was.status, ...(waiver.was.reason ? { reason: waiver.was.reason } : {}) };
}

export function countsOf(rules: readonly { status: RuleStatus }[]): Record<RuleStatus, number> {
  const counts: Record<RuleStatus, number> = { passed: 0, failed: 0, skipped: 0, waived: 0, error: 0 };
  for (const r of rules) counts[r.status]++;
  return counts;
}

/**
 * Applies `set` to a summary: rules that `failed` or could not be judged (`error`) and match
 * a waiver become `waived`, keeping their message, findings and evidence. Waivers recorded
 * earlier are undone first, so the same summary can be re-gated with another waivers file.
 * Counts and verdict are recomputed; unused waivers and unknown targets are reported.
 */
export function applyWaivers(summary: Summary, set: WaiverSet): Summary {
  const used = new Set<Waiver>();
  const targets = summary.targets.map((t): TargetSummary => {
    const rules = t.rules.map((original) => {
      const rule = unwaive(original);
      if (rule.status !== 'failed' && rule.status !== 'error') return rule;
      const w = findWaiver(set, t.name, rule.id);
      if (!w) return rule;
      used.add(w);
      const applied: AppliedWaiver = {
        target: w.target,
        reason: w.reason,
        owner: w.owner,
        expires: w.expires,
        source: `${w.source.file}:${w.source.line}:${w.source.column}`,
        was: { status: rule.status, ...(rule.reason ? { reason: rule.reason } : {}) },
      };
      return { ...rule, status: 'waived' as const, reason: 'waived' as const, waiver: applied };
    });
    return { ...t, counts: countsOf(rules), rules };
  });
  const names = new Set(summary.targets.map((t) => t.name));
  const notes: WaiverProblem[] = [];
  for (const w of set.waivers) {
    if (used.has(w)) continue;
    if (w.target !== '*' && !names.has(w.target)) {
      const guess = suggest(w.target, names);
      notes.push({
        ...w.source,
        level: 'warning',
        kind: 'unknown-target',
        message: `the waiver of ${w.rule} names target "${w.target}", which is not in this run`,
        ...(guess ? { fix: `did you mean "${guess}"?` } : {}),
      });
      continue;
    }
    const statuses = summary.targets
      .filter((t) => w.target === '*' || t.name === w.target)
      .map((t) => `${t.rules.find((r) => r.id === w.rule)?.status ?? 'absent'} on ${t.name}`);
    notes.push({
      ...w.source,
      level: 'warning',
      kind: 'unused',
      message: `the waiver of ${w.rule} (${w.target}) matched no failed rule (${statuses.join(', ')})`,
      fix: 'remove the waiver once the rule passes',
    });
  }
  const { waivers: _previous, ...rest } = summary;
  return {
    ...rest,
    verdict: verdictOf(targets.flatMap((t) => t.rules)),
    targets,
    waivers: {
      ...(set.file ? { file: set.file } : {}),
      applied: [...targets].reduce((n, t) => n + t.counts.waived, 0),
      problems: [...set.problems, ...notes],
    },
  };
}
