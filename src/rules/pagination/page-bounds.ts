import { badParameterOutcome } from './walks.ts';
import { defineRule } from '../define.ts';
import { paginationPageBoundsProbe } from '../../probes/pagination.ts';

/** SPEC §6 pagination.page-bounds (page profile): page 0, -1, non-numeric → 422 (FastAPI's Query(1, ge=1)). */
export const paginationPageBounds = defineRule('pagination.page-bounds', {
  probes: [paginationPageBoundsProbe],
  check: (rec, ctx) => badParameterOutcome(rec, ctx, paginationPageBoundsProbe, 'out-of-range page numbers', [422], false),
});
