import type { Exchange } from '../../http/exchange.ts';
import { errored, exchangeById, failed, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { endFindings } from './walk-complete.ts';
import { capFindings, occurrences, pageList, pagesOf, prefixFor, walksOf } from './walks.ts';
import { defineRule } from '../define.ts';
import { paginationStableUnderWritesProbe, paginationWalkProbe } from '../../probes/pagination.ts';
import { outputOf } from '../../probes/types.ts';

/** Why the page profile can only promise this as `should` (SPEC §6: must P, should B). */
const OFFSET_CAVEAT =
  'offset pagination cannot promise this in general: an item inserted before the current offset pushes every later page back by one (one item is seen twice), a deletion pulls them forward (one is skipped); cursors that point at an item do not move';

/**
 * SPEC §6 pagination.stable-under-writes (mutating): items created while a walk is halfway
 * cause no duplicate and no skipped item among those that existed when it began. "Existed"
 * is what the quiet walk just before saw (nothing else wrote in between), and only what the
 * writes changed counts: items the quiet walk already saw twice are walk-complete's business.
 */
export const paginationStableUnderWrites = defineRule('pagination.stable-under-writes', {
  probes: [paginationWalkProbe, paginationStableUnderWritesProbe],
  check(rec, ctx) {
    const caveat = ctx.target.conventions.pagination === 'page' ? ` (${OFFSET_CAVEAT})` : '';
    const outputs = outputOf(rec, paginationStableUnderWritesProbe) ?? {};
    const walks = walksOf(rec).filter((w) => outputs[w.resource]);
    if (!walks.length) return skipped('nothing-to-check', 'no collection with a create body was walked');
    const prefix = prefixFor(walks);
    const findings: Finding[] = [];
    const judged: Exchange[] = [];
    const said: string[] = [];
    for (const quiet of walks) {
      const out = outputs[quiet.resource]!;
      const p = prefix(quiet.resource);
      const pages = pagesOf(rec, out.walk.pages, quiet.output.style);
      const broken = pages.find((x) => !x.exchange.response);
      if (broken)
        return errored('transport-error', `could not finish the walk: ${broken.exchange.error?.message ?? 'no response'}`, [
          broken.exchange,
        ]);
      if (!out.created.length) {
        const creates = out.createExchanges.map((id) => exchangeById(rec, id)).filter((e): e is Exchange => !!e);
        return errored(
          'inconclusive',
          `could not judge: the items to create mid-walk were not created (${creates.map((e) => e.response?.status ?? e.error?.message).join(', ')})`,
          creates,
        );
      }
      if (quiet.attempt.end !== 'last-page') {
        said.push(`${p}not judged: the quiet walk did not reach its end (${quiet.attempt.end})`);
        continue;
      }
      const before = occurrences(quiet.pages);
      const during = occurrences(pages);
      if (out.walk.end !== 'page-cap') findings.push(...endFindings({ attempt: out.walk, pages }, `${p}while writing: `));
      for (const [id, quietPages] of before) {
        const now = during.get(id) ?? [];
        if (now.length > quietPages.length) {
          findings.push({
            message: `${p}item ${id}, there before the walk began, appeared on ${pageList(now)} after ${out.created.length} items were created at page ${out.createdAfterPage}`,
            exchanges: [...new Set(now)].map((n) => pages[n - 1]!.exchange.id),
            at: '$.items[*].id',
            expected: 'once',
            received: `${now.length} times`,
          });
        } else if (now.length < quietPages.length && out.walk.end === 'last-page') {
          const near = Math.min(quietPages[0]!, pages.length);
          findings.push({
            message: `${p}item ${id}, there before the walk began (page ${quietPages[0]} of the quiet walk), appeared on no page after ${out.created.length} items were created at page ${out.createdAfterPage}`,
            exchanges: [pages[near - 1]!.exchange.id],
            at: '$.items[*].id',
            expected: 'once',
            received: 'never',
          });
        }
      }
      judged.push(
        ...pages.slice(0, 1).map((x) => x.exchange),
        ...out.createExchanges
          .slice(0, 1)
          .map((id) => exchangeById(rec, id)!)
          .filter(Boolean),
      );
      const newSeen = out.created.filter((id) => during.has(id)).length;
      said.push(
        `${p}${before.size} items there before the walk were each seen once across ${pages.length} pages, with ${out.created.length} items created after page ${out.createdAfterPage} (${newSeen} of them appeared)`,
      );
    }
    if (findings.length)
      return failed(`items created during a walk made it see earlier items twice or not at all${caveat}`, capFindings(findings));
    if (!judged.length) return skipped('nothing-to-check', said.join('; '));
    return passed(`${said.join('; ')}${caveat}`, judged);
  },
});
