import { failed, passed, skipped, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import { paginationOf } from '../../spec/conventions.ts';
import { prefixFor, walksOf } from './walks.ts';
import { defineRule } from '../define.ts';
import { paginationWalkProbe } from '../../probes/pagination.ts';

/** SPEC §6 pagination.default-limit: without a size parameter a page holds at most the default (50 / 20). */
export const paginationDefaultLimit = defineRule('pagination.default-limit', {
  probes: [paginationWalkProbe],
  check(rec, ctx) {
    const walks = walksOf(rec);
    const size = paginationOf(ctx.target).defaultSize;
    const param = paginationOf(ctx.target).sizeParam;
    const prefix = prefixFor(walks);
    const findings: Finding[] = [];
    const judged = [];
    const small: string[] = [];
    for (const w of walks) {
      const first = w.pages[0];
      if (!first) continue;
      if (!first.exchange.response) return unanswered([first.exchange]);
      if (!first.ok) continue; // not a list: pagination.envelope and status rules say why
      if (first.itemCount > size) {
        findings.push({
          message: `${prefix(w.resource)}the first page without ${param} held ${first.itemCount} items, expected at most the default ${size}`,
          exchanges: [first.exchange.id],
          at: '$.items',
          expected: `≤ ${size} items`,
          received: `${first.itemCount} items`,
        });
      } else if (first.itemCount < size && first.hasMore !== true) {
        small.push(`${w.resource} holds only ${first.itemCount}`);
      } else judged.push(first.exchange);
    }
    if (findings.length) return failed(`a page requested without ${param} held more than the default ${size} items`, findings);
    if (!judged.length) {
      return skipped(
        'nothing-to-check',
        `no collection had more items than the default page size ${size} (${small.join(', ') || 'nothing was listed'}), so the default could not show`,
      );
    }
    return passed(
      `without ${param} the first page held ${judged.map((e) => walks.find((w) => w.pages[0]?.exchange === e)!.pages[0]!.itemCount).join(', ')} items with more to come: at most the default ${size}`,
      judged,
    );
  },
});
