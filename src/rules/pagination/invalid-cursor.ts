import type { RuleBehaviour } from '../types.ts';
import { badParameterOutcome } from './walks.ts';

/**
 * SPEC §6 pagination.invalid-cursor: garbage, truncated, non-base64 and non-JSON cursors →
 * 400/422 with the error shape; well-formed cursors that were modified (other JSON, changed
 * values, another collection's) may be refused or served, never answered with a 5xx.
 */
export const invalidCursor: RuleBehaviour = {
  probes: ['pagination:cursors'],
  check: (rec, ctx) => badParameterOutcome(rec, ctx, 'pagination:cursors', 'bad cursors'),
};
