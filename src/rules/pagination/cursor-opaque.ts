import type { Exchange } from '../../http/exchange.ts';
import { failed, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { decodeCursorJson, isBase64 } from '../../probes/list-page.ts';
import { pagesOf, prefixFor, walksOf } from './walks.ts';
import { defineRule } from '../define.ts';
import { paginationStableUnderWritesProbe, paginationWalkProbe } from '../../probes/pagination.ts';
import { outputOf } from '../../probes/types.ts';

/**
 * SPEC §6 pagination.cursor-opaque: every cursor the service hands out is a base64 string
 * (either alphabet, padding optional); the platform guideline's cursors are base64-encoded JSON.
 */
export const paginationCursorOpaque = defineRule('pagination.cursor-opaque', {
  probes: [paginationWalkProbe],
  check(rec) {
    const walks = walksOf(rec);
    const prefix = prefixFor(walks);
    const stable = outputOf(rec, paginationStableUnderWritesProbe) ?? {};
    const findings: Finding[] = [];
    const seen: { cursor: string; exchange: Exchange }[] = [];
    for (const w of walks) {
      const pages = [...w.pages, ...pagesOf(rec, stable[w.resource]?.walk.pages ?? [], 'cursor')];
      for (const page of pages) {
        if (!page.cursor) continue;
        seen.push({ cursor: page.cursor, exchange: page.exchange });
        if (!isBase64(page.cursor)) {
          findings.push({
            message: `${prefix(w.resource)}cursor ${JSON.stringify(page.cursor.slice(0, 60))} is not base64 (either alphabet, padding optional)`,
            exchanges: [page.exchange.id],
            at: '$.pagination.cursor',
            expected: 'a base64 string',
            received: page.cursor.slice(0, 60),
          });
        }
      }
    }
    if (!seen.length) return skipped('nothing-to-check', 'no page carried a cursor (every walk fit on one page)');
    if (findings.length) return failed(`${findings.length} of ${seen.length} cursors are not base64 strings`, findings);
    const alphabet = seen.some((s) => /[-_]/.test(s.cursor))
      ? 'URL-safe alphabet'
      : seen.some((s) => /[+/]/.test(s.cursor))
        ? 'standard alphabet'
        : 'alphabet-neutral characters';
    const json = decodeCursorJson(seen[0]!.cursor);
    const carries =
      json && typeof json === 'object' && !Array.isArray(json)
        ? `; they decode to JSON with ${Object.keys(json).join(', ') || 'no'} keys`
        : '; they do not decode to JSON';
    return passed(
      `all ${seen.length} cursors are base64 (${alphabet}${seen.some((s) => s.cursor.endsWith('=')) ? ', padded' : ', unpadded'})${carries}`,
      seen.map((s) => s.exchange),
    );
  },
});
