/**
 * Bounded findings (SPEC §5): a rule keeps at most 50 findings, plus `findings_total` and a
 * count per kind of finding. Decided here, once, for every rule: checks report everything they
 * saw and evaluation (evaluate.ts) bounds it, so no rule can flood summary.json, junit.xml,
 * index.html or the history, and no rule keeps a cap of its own.
 *
 * A kind is one cause: the finding's own `kind` when the check names it, otherwise its message
 * with the particulars (paths, quoted values, numbers) taken out, so that "GET /a/1 → 200:
 * must be string (instance /0/x …)" and "GET /b/2 → 200: must be string (instance /3/x …)" are
 * one kind seen twice rather than two causes.
 */
import type { Finding } from '../rules/types.ts';
import { collapse } from '../rules/support.ts';
import type { FindingKindCount } from '../spec/summary.ts';

export const MAX_FINDINGS = 50;
/** Kinds listed per rule; findings_total still counts every finding of every kind. */
export const MAX_KINDS = 50;
const MAX_MESSAGE = 500;
const MAX_DETAIL = 300;
const MAX_KIND = 200;

export type FindingKind = FindingKindCount;

export interface BoundedFindings {
  /** At most MAX_FINDINGS, every kind represented before any kind gets a second example. */
  readonly findings: readonly (Finding & { readonly kind: string })[];
  /** Every finding the check reported, counting repeats (a collapsed finding counts `count` times). */
  readonly findings_total: number;
  /** Kinds, most frequent first; past MAX_KINDS, the last entry sums up the other kinds. */
  readonly finding_kinds: readonly FindingKind[];
}

const clip = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max)}…(${s.length} chars)` : s);

/** The message with what varies between instances of one cause replaced by "…". */
export function kindOf(f: Finding): string {
  if (f.kind) return clip(f.kind, MAX_KIND);
  const template = f.message
    .replace(/"(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`/g, '…') // quoted values
    .replace(/(?:https?:\/\/\S+|#?\/[^\s,;)]*)/g, '…') // URLs, paths and JSON pointers
    .replace(/\b\d+(?:\.\d+)?\b/g, 'N')
    .replace(/…(?:\s*…)+/g, '…');
  return clip(template, MAX_KIND);
}

export function boundFindings(all: readonly Finding[]): BoundedFindings {
  const collapsed = collapse(all);
  const byKind = new Map<string, { count: number; members: Finding[] }>();
  let total = 0;
  for (const f of collapsed) {
    const kind = kindOf(f);
    const n = f.count ?? 1;
    total += n;
    const g = byKind.get(kind) ?? { count: 0, members: [] };
    g.count += n;
    if (g.members.length < MAX_FINDINGS) g.members.push(f);
    byKind.set(kind, g);
  }
  const kinds = [...byKind].sort((a, b) => b[1].count - a[1].count);
  // Round robin over kinds, most frequent first: one cause never crowds out the others.
  const kept: (Finding & { kind: string })[] = [];
  for (let round = 0; kept.length < MAX_FINDINGS; round++) {
    let any = false;
    for (const [kind, g] of kinds) {
      const f = g.members[round];
      if (!f) continue;
      any = true;
      kept.push(slim(f, kind));
      if (kept.length >= MAX_FINDINGS) break;
    }
    if (!any) break;
  }
  return {
    findings: kept,
    findings_total: total,
    finding_kinds: kindCounts(kinds.map(([kind, g]) => ({ kind, count: g.count }))),
  };
}

function kindCounts(kinds: readonly FindingKind[]): FindingKind[] {
  if (kinds.length <= MAX_KINDS) return [...kinds];
  const rest = kinds.slice(MAX_KINDS - 1);
  return [...kinds.slice(0, MAX_KINDS - 1), { kind: `(${rest.length} other kinds)`, count: rest.reduce((n, k) => n + k.count, 0) }];
}

function slim(f: Finding, kind: string): Finding & { kind: string } {
  return {
    message: clip(f.message, MAX_MESSAGE),
    exchanges: f.exchanges.slice(0, 5),
    ...(f.at !== undefined ? { at: clip(f.at, MAX_DETAIL) } : {}),
    ...(f.expected !== undefined ? { expected: clip(f.expected, MAX_DETAIL) } : {}),
    ...(f.received !== undefined ? { received: clip(f.received, MAX_DETAIL) } : {}),
    ...(f.count && f.count > 1 ? { count: f.count } : {}),
    kind,
  };
}
