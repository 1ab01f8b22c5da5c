import type { RuleBehaviour } from '../types.ts';
import { badParameterOutcome } from './walks.ts';

/** SPEC §6 pagination.page-bounds (page profile): page 0, -1, non-numeric → 422 (FastAPI's Query(1, ge=1)). */
export const pageBounds: RuleBehaviour = {
  probes: ['pagination:page-bounds'],
  check: (rec, ctx) => badParameterOutcome(rec, ctx, 'pagination:page-bounds', 'out-of-range page numbers', [422], false),
};
