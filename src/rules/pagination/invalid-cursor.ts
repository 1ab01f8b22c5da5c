import { badParameterOutcome } from './walks.ts';
import { defineRule } from '../define.ts';
import { paginationCursorsProbe } from '../../probes/pagination.ts';

/**
 * SPEC §6 pagination.invalid-cursor: garbage, truncated, non-base64 and non-JSON cursors →
 * 400/422 with the error shape; well-formed cursors that were modified (other JSON, changed
 * values, another collection's) may be refused or served, never answered with a 5xx.
 */
export const paginationInvalidCursor = defineRule('pagination.invalid-cursor', {
  probes: [paginationCursorsProbe],
  check: (rec, ctx) => badParameterOutcome(rec, ctx, paginationCursorsProbe, 'bad cursors'),
});
