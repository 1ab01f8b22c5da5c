import { exchangeById } from '../support.ts';
import type { Exchange } from '../../http/exchange.ts';
import type { Finding } from '../types.ts';
import { readPage } from '../../probes/list-page.ts';
import { paginationOf } from '../../spec/conventions.ts';
import { badParameterOutcome, prefixFor } from './walks.ts';
import { defineRule } from '../define.ts';
import { paginationLimitsProbe } from '../../probes/pagination.ts';
import { outputOf } from '../../probes/types.ts';

/** SPEC §6 pagination.limit-bounds: size 0, -1, 101, non-numeric → 400/422 with the error shape; 100 accepted. */
export const paginationLimitBounds = defineRule('pagination.limit-bounds', {
  probes: [paginationLimitsProbe],
  check(rec, ctx) {
    const out = outputOf(rec, paginationLimitsProbe) ?? {};
    const prefix = prefixFor(Object.keys(out).map((resource) => ({ resource })));
    const param = paginationOf(ctx.target).sizeParam;
    return badParameterOutcome(
      rec,
      ctx,
      paginationLimitsProbe,
      `out-of-range ${param} values and ${param}=100`,
      [400, 422],
      true,
      (resource) => {
        const e: Exchange | undefined = exchangeById(rec, out[resource]?.max);
        if (!e?.response) return { findings: [], judged: [] };
        const page = readPage(e, ctx.target.conventions.pagination);
        const findings: Finding[] = [];
        if (e.response.status !== 200 || !page.ok) {
          findings.push({
            message: `${prefix(resource)}${param}=100 (the largest allowed): received ${e.response.status}${page.ok ? '' : ' without a list'}, expected 200 with a page`,
            exchanges: [e.id],
            expected: '200',
            received: String(e.response.status),
          });
        } else if (page.itemCount > 100) {
          findings.push({
            message: `${prefix(resource)}${param}=100 returned ${page.itemCount} items, expected at most 100`,
            exchanges: [e.id],
            at: '$.items',
            expected: '≤ 100 items',
            received: `${page.itemCount} items`,
          });
        }
        return { findings, judged: [e] };
      },
    );
  },
});
