/** What the pagination checks share: the walks of a recording, read page by page. */
import type { PaginationStyle } from '../../config/target.ts';
import type { Exchange } from '../../http/exchange.ts';
import { shapeFindings } from '../errors/error-body.ts';
import { describe, exchangeById, passed, failed, skipped, unanswered, errored } from '../support.ts';
import type { CheckContext, Finding, Outcome, Recording } from '../types.ts';
import { readPage, type BadParameter, type ListPage, type WalkAttempt, type WalkOutput } from '../../probes/list-page.ts';
import { paginationWalkProbe } from '../../probes/pagination.ts';
import { outputOf, type ProbeDef } from '../../probes/types.ts';

export interface ReadWalk {
  readonly resource: string;
  readonly output: WalkOutput;
  /** The attempt that is judged: the last one (SPEC §8: repeated once when the total changed). */
  readonly attempt: WalkAttempt;
  readonly pages: readonly ListPage[];
}

export function pagesOf(rec: Recording, ids: readonly number[], style: PaginationStyle): ListPage[] {
  return ids
    .map((id) => exchangeById(rec, id))
    .filter((e): e is Exchange => e !== undefined)
    .map((e) => readPage(e, style));
}

export function walksOf(rec: Recording): ReadWalk[] {
  const out = outputOf(rec, paginationWalkProbe) ?? {};
  return Object.entries(out).flatMap(([resource, output]) => {
    const attempt = output.attempts.at(-1);
    return attempt ? [{ resource, output, attempt, pages: pagesOf(rec, attempt.pages, output.style) }] : [];
  });
}

/** "documents: " when several resources were walked, so findings say which collection. */
export function prefixFor(walks: readonly { resource: string }[]): (resource: string) => string {
  return (resource) => (new Set(walks.map((w) => w.resource)).size > 1 ? `${resource}: ` : '');
}

/** Where each item id appeared: 1-based page numbers, one entry per appearance. */
export function occurrences(pages: readonly ListPage[]): Map<string, number[]> {
  const seen = new Map<string, number[]>();
  pages.forEach((p, i) => {
    for (const id of p.ids) seen.set(id, [...(seen.get(id) ?? []), i + 1]);
  });
  return seen;
}

export function pageList(pageNos: readonly number[]): string {
  const unique = [...new Set(pageNos)];
  if (unique.length === 1 && pageNos.length > 1) return `page ${unique[0]} (${pageNos.length} times)`;
  return unique.length === 1 ? `page ${unique[0]}` : `pages ${unique.slice(0, -1).join(', ')} and ${unique.at(-1)}`;
}

/**
 * The walk's outcome when the collection changed during the walk and again, differently, when
 * it was repeated: nothing can be judged. Totals that change the same way in both walks are
 * the service's own inconsistency (pagination.total-consistent judges it), not a busy collection.
 */
export function busyCollection(walks: readonly ReadWalk[], rec: Recording): Outcome | undefined {
  const busy = walks.find((w) => {
    const [first, second] = w.output.attempts;
    return second?.totalChanged && first?.totalChanged?.join() !== second.totalChanged.join();
  });
  if (!busy) return undefined;
  const [a, b] = [busy.output.attempts[0]!.totalChanged!, busy.attempt.totalChanged!];
  return errored(
    'inconclusive',
    `could not judge: the ${busy.resource} collection changed during the walk (total ${a.join(' → ')}) and again when it was repeated (total ${b.join(' → ')}); a collection others write to cannot be walked quietly`,
    [...pagesOf(rec, busy.output.attempts[0]!.pages, busy.output.style).slice(0, 2), ...busy.pages.slice(0, 3)].map((p) => p.exchange),
  );
}

/** Findings for bad parameters the service must refuse (400/422, error shape) or at least not crash on. */
export function badParameterFindings(
  rec: Recording,
  ctx: CheckContext,
  bad: readonly BadParameter[],
  prefix: string,
  statuses: readonly number[] = [400, 422],
  withShape = true,
): { findings: Finding[]; judged: Exchange[]; broken: Exchange[] } {
  const findings: Finding[] = [];
  const judged: Exchange[] = [];
  const broken: Exchange[] = [];
  for (const b of bad) {
    const e = exchangeById(rec, b.exchange);
    if (!e) continue;
    if (!e.response) {
      broken.push(e);
      continue;
    }
    judged.push(e);
    const status = e.response.status;
    if (b.expect === 'no-5xx') {
      if (status >= 500) {
        findings.push({
          message: `${prefix}${b.kind} cursor: received ${status}, expected a refusal (400/422) or a page, never a server error`,
          exchanges: [e.id],
          expected: '< 500',
          received: String(status),
        });
      }
      continue;
    }
    if (!statuses.includes(status)) {
      findings.push({
        message: `${prefix}${b.kind}: received ${status}, expected ${statuses.join(' or ')}`,
        exchanges: [e.id],
        expected: statuses.join(' or '),
        received: String(status),
      });
    } else if (withShape) {
      for (const f of shapeFindings(e, ctx)) findings.push({ ...f, message: `${prefix}${b.kind}: ${f.message}` });
    }
  }
  return { findings, judged, broken };
}

/** A probe that sends bad parameters to each resource (pagination:limits, :page-bounds, :cursors). */
type BadParameterProbe = ProbeDef<Readonly<Record<string, { readonly bad: readonly BadParameter[]; readonly notes?: readonly string[] }>>>;

/** Outcome over bad-parameter probes of every resource. */
export function badParameterOutcome(
  rec: Recording,
  ctx: CheckContext,
  probe: BadParameterProbe,
  what: string,
  statuses: readonly number[] = [400, 422],
  withShape = true,
  extra: (resource: string) => { findings: Finding[]; judged: Exchange[]; notes?: string[] } = () => ({ findings: [], judged: [] }),
): Outcome {
  const out = outputOf(rec, probe) ?? {};
  const resources = Object.keys(out);
  if (!resources.length) return skipped('nothing-to-check', `no ${what} was sent (no resource declared)`);
  const prefix = prefixFor(resources.map((resource) => ({ resource })));
  const findings: Finding[] = [];
  const judged: Exchange[] = [];
  const broken: Exchange[] = [];
  const notes: string[] = [];
  for (const r of resources) {
    const res = badParameterFindings(rec, ctx, out[r]!.bad, prefix(r), statuses, withShape);
    const more = extra(r);
    findings.push(...res.findings, ...more.findings);
    judged.push(...res.judged, ...more.judged);
    broken.push(...res.broken);
    notes.push(...(out[r]!.notes ?? []).map((n) => `${prefix(r)}${n}`), ...(more.notes ?? []));
  }
  if (!judged.length && broken.length) return unanswered(broken);
  const noted = notes.length ? ` (${notes.join('; ')})` : '';
  if (findings.length)
    return failed(
      `${new Set(findings.flatMap((f) => f.exchanges)).size} of ${judged.length} ${what} were not answered as the profile requires${noted}`,
      findings,
    );
  const statusesSeen = [...new Set(judged.map((e) => e.response!.status))].sort().join('/');
  return passed(`all ${judged.length} ${what} were answered as required (${statusesSeen})${noted}`, judged);
}

export { describe };

/** Many items wrong the same way say little more than twenty-five do: keep those and count the rest. */
export function capFindings(findings: readonly Finding[], max = 25): Finding[] {
  if (findings.length <= max) return [...findings];
  const rest = findings.slice(max);
  return [
    ...findings.slice(0, max),
    {
      message: `… and ${rest.length} more like these (not listed)`,
      exchanges: [...new Set(rest.flatMap((f) => f.exchanges))].slice(0, 5),
    },
  ];
}
