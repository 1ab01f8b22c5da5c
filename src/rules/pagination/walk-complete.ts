import type { Exchange } from '../../http/exchange.ts';
import { describe, errored, failed, passed, skipped, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import type { ListPage } from '../../probes/list-page.ts';
import { busyCollection, capFindings, occurrences, pageList, prefixFor, walksOf, type ReadWalk } from './walks.ts';
import { defineRule } from '../define.ts';
import { paginationSeedProbe, paginationWalkProbe } from '../../probes/pagination.ts';
import { outputOf } from '../../probes/types.ts';

const short = (c: string): string => (c.length > 40 ? `${c.slice(0, 36)}…` : c);

/** Findings about how a walk ended, shared with stable-under-writes. */
export function endFindings(w: { attempt: ReadWalk['attempt']; pages: readonly ListPage[] }, prefix: string): Finding[] {
  const { attempt, pages } = w;
  const last = pages.at(-1);
  const at = (n: number): Exchange | undefined => pages[n - 1]?.exchange;
  switch (attempt.end) {
    case 'repeated-cursor': {
      const [a, b] = attempt.repeatedAt ?? [];
      const c = pages[(b ?? 1) - 1]?.cursor ?? '';
      return [
        {
          message: `${prefix}pages ${a} and ${b} returned the same next cursor ${short(c)}: following it would read the same pages again, so the walk stopped`,
          exchanges: [at(a ?? 0), at(b ?? 0)].filter((e): e is Exchange => !!e).map((e) => e.id),
          at: '$.pagination.cursor',
          expected: 'a new cursor on every page',
          received: `the cursor of page ${a} again`,
        },
      ];
    }
    case 'repeated-page': {
      const [a, b] = attempt.repeatedAt ?? [];
      return [
        {
          message: `${prefix}page ${b} served the same items as page ${a}: the page parameter seems ignored, so the walk stopped`,
          exchanges: [at(a ?? 0), at(b ?? 0)].filter((e): e is Exchange => !!e).map((e) => e.id),
          expected: 'the next items',
          received: `the items of page ${a}`,
        },
      ];
    }
    case 'no-cursor':
      return [
        {
          message: `${prefix}page ${pages.length} says has_more: true but carries no cursor: the walk cannot go on`,
          exchanges: last ? [last.exchange.id] : [],
          at: '$.pagination.cursor',
          expected: 'a cursor when has_more is true',
          received: String(last?.cursor ?? 'absent'),
        },
      ];
    case 'bad-response':
      return last?.exchange.response
        ? [
            {
              message: `${prefix}page ${pages.length} of the walk was not a list: ${describe(last.exchange)}`,
              exchanges: [last.exchange.id],
              expected: '200 with items',
              received: String(last.exchange.response.status),
            },
          ]
        : [];
    default:
      return [];
  }
}

/**
 * SPEC §6 pagination.walk-complete: following cursors or pages to the end yields every seeded
 * item exactly once (read-only: no item twice). The walk's end is judged too: a cursor that
 * repeats, a page that repeats or a has_more without a cursor fail; page_cap is truncation.
 */
export const paginationWalkComplete = defineRule('pagination.walk-complete', {
  probes: [paginationWalkProbe],
  check(rec, _ctx) {
    const walks = walksOf(rec);
    if (!walks.length) return skipped('nothing-to-check', 'no collection was walked (no resource declared)');
    const busy = busyCollection(walks, rec);
    if (busy) return busy;
    const seeds = outputOf(rec, paginationSeedProbe) ?? {};
    const prefix = prefixFor(walks);
    const findings: Finding[] = [];
    const summary: string[] = [];
    const truncated: string[] = [];
    let unseenPastCap = 0;
    for (const w of walks) {
      const p = prefix(w.resource);
      const first = w.pages[0];
      if (first && !first.exchange.response) return unanswered([first.exchange]);
      const broken = w.pages.find((x) => !x.exchange.response);
      if (broken)
        return errored(
          'transport-error',
          `could not finish the walk of ${w.resource}: ${broken.exchange.error?.message ?? 'no response'}`,
          [broken.exchange],
        );
      findings.push(...endFindings(w, p));
      const seen = occurrences(w.pages);
      for (const [id, pageNos] of seen) {
        if (pageNos.length < 2) continue;
        findings.push({
          message: `${p}item ${id} appeared ${pageNos.length} times, on ${pageList(pageNos)}`,
          exchanges: [...new Set(pageNos)].map((n) => w.pages[n - 1]!.exchange.id),
          at: '$.items[*].id',
          expected: 'each item once',
          received: `${pageNos.length} times`,
        });
      }
      const seed = seeds[w.resource];
      const seeded = seed?.ids ?? [];
      const capped = w.attempt.end === 'page-cap';
      if (capped) truncated.push(`${w.resource} at ${w.pages.length} pages`);
      const missing = seeded.map((id, i) => ({ id, i })).filter(({ id }) => !seen.has(id));
      if (capped) unseenPastCap += missing.length;
      else if (w.attempt.end === 'last-page') {
        for (const { id, i } of missing) findings.push(gapFinding(w, p, seeded, seen, id, i));
      }
      const withoutId = w.pages.reduce((n, x) => n + x.withoutId, 0);
      if (withoutId && !seen.size)
        return skipped('nothing-to-check', `the items of ${w.resource} carry no id (nor data.id), so the walk cannot tell them apart`);
      summary.push(
        `${p}${w.pages.length} page${w.pages.length === 1 ? '' : 's'}, ${seen.size} distinct items${seeded.length ? `, all ${seeded.length} seeded items once` : ''}`,
      );
    }
    const repeated = walks.some((w) => w.output.attempts.length > 1) ? ' (walked twice: the total changed during the first walk)' : '';
    if (findings.length)
      return failed(
        `the walk of ${walks.map((w) => w.resource).join(', ')} did not see every item exactly once${repeated}`,
        capFindings(findings),
      );
    if (!findings.length && walks.every((w) => w.pages.every((x) => x.itemCount === 0))) {
      return skipped(
        'nothing-to-check',
        `the walked collections are empty (${walks.map((w) => w.resource).join(', ')}): no item to see once; mode: mutating seeds items to walk`,
      );
    }
    const judged: Exchange[] = walks
      .flatMap((w) => [w.pages[0]!.exchange, w.pages.at(-1)!.exchange])
      .filter((e, i, a) => a.indexOf(e) === i);
    if (unseenPastCap) {
      return skipped(
        'truncated',
        `truncated at page_cap (${truncated.join(', ')}): no item appeared twice, but ${unseenPastCap} seeded items lie beyond the cap, so completeness could not be shown (raise pagination.page_cap)`,
      );
    }
    if (truncated.length) {
      return passed(
        `truncated at page_cap (${truncated.join(', ')}; pages beyond it were not read): no item seen twice in ${summary.join('; ')}${repeated}`,
        judged,
      );
    }
    return passed(`walked to has_more: false without seeing any item twice: ${summary.join('; ')}${repeated}`, judged);
  },
});

/** A seeded item the walk never saw: where it should have been, judging by its neighbours in creation order. */
function gapFinding(w: ReadWalk, p: string, seeded: readonly string[], seen: Map<string, number[]>, id: string, i: number): Finding {
  const before = seeded
    .slice(0, i)
    .reverse()
    .find((x) => seen.has(x));
  const after = seeded.slice(i + 1).find((x) => seen.has(x));
  const near = [before, after].filter((x): x is string => !!x).map((x) => seen.get(x)![0]!);
  const where = near.length
    ? `expected on ${pageList(near)} (where the items created just before and after it appeared)`
    : `expected on one of the ${w.pages.length} pages`;
  const exchanges = (near.length ? near : [1, w.pages.length])
    .map((n) => w.pages[n - 1]?.exchange.id)
    .filter((x): x is number => x !== undefined);
  return {
    message: `${p}seeded item ${id} (created ${i + 1} of ${seeded.length}) appeared on no page; ${where}`,
    exchanges: [...new Set(exchanges)],
    at: '$.items[*].id',
    expected: 'each seeded item once',
    received: 'never',
  };
}
