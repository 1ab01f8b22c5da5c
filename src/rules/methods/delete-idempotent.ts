import type { DeleteAgainOutput } from '../../probes/methods.ts';
import { exchangeById, expectStatuses, skipped } from '../support.ts';
import type { RuleBehaviour } from '../types.ts';

/** SPEC §6 methods.delete-idempotent: a second DELETE → 404 or 204, never 5xx. */
export const deleteIdempotent: RuleBehaviour = {
  probes: ['methods:delete-again'],
  check(rec) {
    const outputs = (rec.outputs['methods:delete-again'] ?? {}) as Record<string, DeleteAgainOutput>;
    const seconds = Object.values(outputs).map((o) => exchangeById(rec, o.second)).filter((e) => e !== undefined);
    if (!seconds.length) return skipped('nothing-to-check', 'no item was deleted successfully, so there was no second DELETE to send (status.delete-204 judges the first)');
    return expectStatuses(seconds, [404, 204], 'second DELETEs of a deleted item', '');
  },
};
