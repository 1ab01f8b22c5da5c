import type { Exchange } from '../../http/exchange.ts';
import { failed, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { busyCollection, occurrences, prefixFor, walksOf } from './walks.ts';
import { defineRule } from '../define.ts';
import { paginationWalkProbe } from '../../probes/pagination.ts';

/**
 * SPEC §6 pagination.total-consistent: `total` (page profile) or `metadata.total_count`
 * (cursor profile) equals the items a complete walk found, and has_more agrees with what
 * followed: a page saying has_more: true is followed by items; on page-numbered lists
 * has_more is true exactly while (page - 1) × page_size + items < total.
 */
export const paginationTotalConsistent = defineRule('pagination.total-consistent', {
  probes: [paginationWalkProbe],
  check(rec, ctx) {
    const walks = walksOf(rec);
    if (!walks.length) return skipped('nothing-to-check', 'no collection was walked (no resource declared)');
    const busy = busyCollection(walks, rec);
    if (busy) return busy;
    const field = ctx.target.conventions.pagination === 'cursor' ? 'metadata.total_count' : 'total';
    const prefix = prefixFor(walks);
    const findings: Finding[] = [];
    const judged: Exchange[] = [];
    const said: string[] = [];
    const notes: string[] = [];
    for (const w of walks) {
      const p = prefix(w.resource);
      if (w.attempt.end !== 'last-page') {
        notes.push(`${p}the walk did not reach the last page (${w.attempt.end}), so totals were not compared`);
        continue;
      }
      const found = occurrences(w.pages).size || w.pages.reduce((n, x) => n + x.itemCount, 0);
      const pageSize = w.pages[0]?.itemCount ?? 0;
      w.pages.forEach((page, i) => {
        judged.push(page.exchange);
        if (page.total !== undefined && page.total !== found) {
          findings.push({
            message: `${p}page ${i + 1} says ${field} ${page.total}, but the walk found ${found} items`,
            exchanges: [page.exchange.id],
            at: `$.${field}`,
            expected: String(found),
            received: String(page.total),
          });
        }
        const next = w.pages[i + 1];
        if (page.hasMore === true && next && next.ok && next.itemCount === 0) {
          findings.push({
            message: `${p}page ${i + 1} says has_more: true, but page ${i + 2} held no items`,
            exchanges: [page.exchange.id, next.exchange.id],
            expected: 'has_more: false on the last page with items',
            received: 'has_more: true',
          });
        }
        if (field === 'total' && page.total !== undefined && page.hasMore !== undefined && pageSize > 0) {
          const through = i * pageSize + page.itemCount;
          if (page.hasMore !== through < page.total) {
            findings.push({
              message: `${p}page ${i + 1} says has_more: ${page.hasMore} after ${through} of total ${page.total} items`,
              exchanges: [page.exchange.id],
              at: '$.has_more',
              expected: String(through < page.total),
              received: String(page.hasMore),
            });
          }
        }
      });
      const totals = [...new Set(w.pages.map((x) => x.total).filter((t) => t !== undefined))];
      if (totals.length) said.push(`${p}${field} ${totals.join('/')} = ${found} items walked`);
      else notes.push(`${p}the pages carry no ${field}; only has_more was compared`);
    }
    if (findings.length) return failed(`${field} or has_more disagree with what the walk found`, findings.slice(0, 25));
    if (!judged.length) return skipped('nothing-to-check', notes.join('; '));
    return passed(
      `${said.join('; ') || 'has_more agrees with every page that followed'}${notes.length ? ` (${notes.join('; ')})` : ''}`,
      judged,
    );
  },
});
