import { failed, passed, skipped, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import { paginationOf } from '../../spec/conventions.ts';
import { prefixFor, walksOf, LIST_SHAPE } from './walks.ts';
import { defineRule } from '../define.ts';
import { paginationWalkProbe } from '../../probes/pagination.ts';

function jsonArrayLength(body: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return Array.isArray(parsed) ? parsed.length : undefined;
  } catch {
    return undefined;
  }
}

/**
 * SPEC §6 pagination.default-limit: without a size parameter a page holds at most the default
 * (50 / 20). Reading (issue 12): a list that is not the profile's list shape (a bare array) is
 * pagination.envelope's failure and blocks this rule; this rule never says "no collection had
 * more items" about a list it could not read as a page.
 */
export const paginationDefaultLimit = defineRule('pagination.default-limit', {
  probes: [paginationWalkProbe],
  dependsOn: [LIST_SHAPE],
  check(rec, ctx) {
    const walks = walksOf(rec);
    const size = paginationOf(ctx.target).defaultSize;
    const param = paginationOf(ctx.target).sizeParam;
    const prefix = prefixFor(walks);
    const findings: Finding[] = [];
    const judged = [];
    const small: string[] = [];
    const notList: string[] = [];
    for (const w of walks) {
      const first = w.pages[0];
      if (!first) continue;
      if (!first.exchange.response) return unanswered([first.exchange]);
      if (!first.ok) {
        // Not the profile's list shape: pagination.envelope judges it (and blocks this rule when it fails).
        const items = jsonArrayLength(first.exchange.response.body);
        notList.push(
          `${w.resource}: the first page is not in the profile's list shape${items !== undefined ? ` (a bare array of ${items} items)` : ''}`,
        );
        continue;
      }
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
        notList.length
          ? `no first page in the profile's list shape to count against the default ${size}: ${[...notList, ...small].join('; ')}`
          : `no collection had more items than the default page size ${size} (${small.join(', ') || 'nothing was listed'}), so the default could not show`,
      );
    }
    return passed(
      `without ${param} the first page held ${judged.map((e) => walks.find((w) => w.pages[0]?.exchange === e)!.pages[0]!.itemCount).join(', ')} items with more to come: at most the default ${size}`,
      judged,
    );
  },
});
