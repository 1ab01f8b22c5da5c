import type { Exchange } from '../../http/exchange.ts';
import { describe, failed, passed, skipped, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import type { ListPage } from '../../probes/list-page.ts';
import { busyCollection, pagesOf, prefixFor, walksOf } from './walks.ts';
import { defineRule } from '../define.ts';
import { paginationWalkProbe } from '../../probes/pagination.ts';

/**
 * SPEC §6 pagination.terminal-page: the last page has `has_more: false` (cursor null or
 * absent); past the end → empty items and `has_more: false`. Page profile: the page after the
 * last. Cursor profile, where no cursor leads past the end: the page that ends exactly at the
 * last item must say has_more: false, or else the page after it must be empty and say so.
 */
export const paginationTerminalPage = defineRule('pagination.terminal-page', {
  probes: [paginationWalkProbe],
  check(rec, ctx) {
    const walks = walksOf(rec);
    if (!walks.length) return skipped('nothing-to-check', 'no collection was walked (no resource declared)');
    const busy = busyCollection(walks, rec);
    if (busy) return busy;
    const cursorStyle = ctx.target.conventions.pagination === 'cursor';
    const prefix = prefixFor(walks);
    const findings: Finding[] = [];
    const judged: Exchange[] = [];
    const notes: string[] = [];
    for (const w of walks) {
      const p = prefix(w.resource);
      if (w.attempt.end !== 'last-page') {
        notes.push(`${p}the walk did not reach a last page (${w.attempt.end})`);
        continue;
      }
      const last = w.pages.at(-1)!;
      judged.push(last.exchange);
      findings.push(...lastPageFindings(last, `${p}the last page (page ${w.pages.length})`, cursorStyle));
      const past = pagesOf(rec, w.attempt.pastEnd ?? [], w.output.style);
      const broken = past.find((x) => !x.exchange.response);
      if (broken) return unanswered([broken.exchange]);
      judged.push(...past.map((x) => x.exchange));
      if (!cursorStyle) {
        const after = past[0];
        if (after) findings.push(...pastEndFindings(after, `${p}page ${w.pages.length + 1}, past the end,`));
        continue;
      }
      const [boundary, beyond] = past;
      if (!boundary) {
        notes.push(`${p}the last page was empty, so it is itself the page past the end`);
        continue;
      }
      const what = `${p}the page ending exactly at the last item (${describe(boundary.exchange)})`;
      if (!boundary.ok) {
        findings.push({
          message: `${what} is not a list`,
          exchanges: [boundary.exchange.id],
          expected: '200 with items',
          received: String(boundary.exchange.response!.status),
        });
      } else if (boundary.hasMore === true) {
        // Lazy has_more: allowed, if the page after it is empty and final.
        if (beyond) findings.push(...pastEndFindings(beyond, `${p}the page after the last item`));
      } else {
        findings.push(...lastPageFindings(boundary, what, true));
      }
    }
    if (findings.length) return failed('the end of the list is not marked as the profile requires', findings);
    if (!judged.length) return skipped('nothing-to-check', `no walk reached its last page: ${notes.join('; ')}`);
    return passed(
      `the last page says has_more: false${cursorStyle ? ' with no cursor' : ''} and past the end the list is empty and final${notes.length ? ` (${notes.join('; ')})` : ''}`,
      judged,
    );
  },
});

function lastPageFindings(page: ListPage, what: string, cursorStyle: boolean): Finding[] {
  const e = page.exchange;
  const findings: Finding[] = [];
  if (page.hasMore !== false) {
    findings.push({
      message: `${what} has ${page.hasMore === undefined ? 'no has_more' : `has_more: ${page.hasMore}`}, expected has_more: false`,
      exchanges: [e.id],
      at: cursorStyle ? '$.pagination.has_more' : '$.has_more',
      expected: 'false',
      received: String(page.hasMore ?? 'absent'),
    });
  }
  if (cursorStyle && page.cursor) {
    findings.push({
      message: `${what} says has_more: false but still carries a cursor (${page.cursor.slice(0, 40)}), expected null or none`,
      exchanges: [e.id],
      at: '$.pagination.cursor',
      expected: 'null or absent',
      received: page.cursor.slice(0, 60),
    });
  }
  return findings;
}

function pastEndFindings(page: ListPage, what: string): Finding[] {
  const e = page.exchange;
  if (!page.ok) {
    const status = e.response!.status;
    // A refusal past the end is not a page, but it is not a crash either: report it as what it is.
    return [
      {
        message: `${what} answered ${status} without a list, expected 200 with empty items and has_more: false`,
        exchanges: [e.id],
        expected: '200, items: [], has_more: false',
        received: String(status),
      },
    ];
  }
  const findings: Finding[] = [];
  if (page.itemCount > 0) {
    findings.push({
      message: `${what} returned ${page.itemCount} items (${page.ids.slice(0, 3).join(', ')}${page.ids.length > 3 ? ', …' : ''}), expected none`,
      exchanges: [e.id],
      at: '$.items',
      expected: 'no items',
      received: `${page.itemCount} items`,
    });
  }
  if (page.hasMore !== false) {
    findings.push({
      message: `${what} has ${page.hasMore === undefined ? 'no has_more' : `has_more: ${page.hasMore}`}, expected has_more: false`,
      exchanges: [e.id],
      expected: 'false',
      received: String(page.hasMore ?? 'absent'),
    });
  }
  return findings;
}
