/**
 * What limited a run, read off its summary (SPEC §5: the report's first screen says what
 * limited the run): discovery that found nothing and why, a target that did not answer, rules
 * blocked by a failed rule, skipped or not judged, grouped by reason with counts. Presentation
 * only: the summary already says all of it, rule by rule; this puts the causes first.
 */
import type { Summary, SummaryRule, TargetSummary } from '../spec/summary.ts';

export interface Limit {
  /** The target it is about (omitted in the text when the run has one target). */
  readonly target: string;
  readonly kind: 'discovery' | 'unreachable' | 'blocked' | 'skipped' | 'error';
  readonly text: string;
}

/** Reasons that are the target's design, not a limit of the run. */
const BY_DESIGN = new Set(['not-applicable', 'turned-off', 'waived']);

const SKIP_TEXT: Record<string, string> = {
  'missing-prerequisite': 'missing a prerequisite',
  'not-selected': 'not selected (--grep, --project, --shard)',
  'read-only': 'need writes (the target is read-only)',
  'nothing-to-check': 'had nothing to check',
  'not-implemented': 'not implemented',
  environment: "prevented by the harness's environment",
};
const ERROR_TEXT: Record<string, string> = {
  'rate-limit-wait': 'waited longer than max_wait_s allows (Retry-After or the declared budget)',
  'transport-error': 'got no usable answer (transport errors)',
  'probe-failed': 'lost a probe they read',
  inconclusive: 'could not reach a verdict',
  truncated: 'judged a body cut short',
  environment: "prevented by the harness's environment",
};

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The most frequent messages of `rules` with their counts, the first `n`. */
function topMessages(rules: readonly SummaryRule[], n: number): string {
  const counts = new Map<string, number>();
  for (const r of rules) {
    const m = r.message.length > 120 ? `${r.message.slice(0, 120)}…` : r.message;
    counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, n);
  const rest = counts.size - top.length;
  return `${top.map(([m, c]) => (c > 1 ? `${m} (${c}×)` : m)).join('; ')}${rest > 0 ? `; ${plural(rest, 'other reason')}` : ''}`;
}

function groupBy<T>(items: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of items) out.set(key(x), [...(out.get(key(x)) ?? []), x]);
  return out;
}

function targetLimits(t: TargetSummary): Limit[] {
  const out: Limit[] = [];
  const add = (kind: Limit['kind'], text: string): void => void out.push({ target: t.name, kind, text });
  const d = t.discovery;
  if (d?.problem) {
    add(
      'discovery',
      d.resources.length || d.uploads.length || d.streams.length
        ? `discovery from ${d.source} was partial: ${d.problem}`
        : `nothing discovered: the OpenAPI document at ${d.source} could not be used (${d.problem})`,
    );
  }
  const unreachable = t.rules.filter((r) => r.reason === 'unreachable');
  if (unreachable.length)
    add('unreachable', `the target did not answer (${plural(unreachable.length, 'rule')} not judged): ${unreachable[0]!.message}`);

  const blocked = t.rules.filter((r) => r.status === 'skipped' && r.reason === ('blocked' as string));
  if (blocked.length) {
    const by = groupBy(blocked, (r) => (r as { blocked_by?: string }).blocked_by ?? '(unnamed rule)');
    const parts = [...by].sort((a, b) => b[1].length - a[1].length).map(([id, rs]) => `${rs.length} by ${id}`);
    add('blocked', `${plural(blocked.length, 'rule')} blocked by a failed rule: ${parts.join(', ')}`);
  }

  const skipped = t.rules.filter((r) => r.status === 'skipped' && r.reason !== ('blocked' as string) && !BY_DESIGN.has(r.reason ?? ''));
  if (skipped.length) {
    const by = [...groupBy(skipped, (r) => r.reason ?? 'skipped')].sort((a, b) => b[1].length - a[1].length);
    const parts = by.map(
      ([reason, rs]) =>
        `${rs.length} ${SKIP_TEXT[reason] ?? reason}${reason === 'missing-prerequisite' || by.length === 1 ? ` (${topMessages(rs, 2)})` : ''}`,
    );
    add('skipped', `${plural(skipped.length, 'rule')} skipped: ${parts.join(', ')}`);
  }

  const errors = t.rules.filter((r) => r.status === 'error' && r.reason !== 'unreachable');
  if (errors.length) {
    const by = [...groupBy(errors, (r) => r.reason ?? 'error')].sort((a, b) => b[1].length - a[1].length);
    add(
      'error',
      `${plural(errors.length, 'rule')} not judged: ${by.map(([reason, rs]) => `${rs.length} ${ERROR_TEXT[reason] ?? reason}`).join(', ')}`,
    );
  }
  return out;
}

export function limitsOf(summary: Summary): Limit[] {
  return summary.targets.flatMap(targetLimits);
}
