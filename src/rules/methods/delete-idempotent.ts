import { exchangeById, expectStatuses, skipped } from '../support.ts';
import { defineRule } from '../define.ts';
import { methodsDeleteAgainProbe } from '../../probes/methods.ts';
import { outputOf } from '../../probes/types.ts';

/** SPEC §6 methods.delete-idempotent: a second DELETE → 404 or 204, never 5xx. */
export const methodsDeleteIdempotent = defineRule('methods.delete-idempotent', {
  probes: [methodsDeleteAgainProbe],
  check(rec) {
    const outputs = outputOf(rec, methodsDeleteAgainProbe) ?? {};
    const seconds = Object.values(outputs)
      .map((o) => exchangeById(rec, o.second))
      .filter((e) => e !== undefined);
    if (!seconds.length)
      return skipped(
        'nothing-to-check',
        'no item was deleted successfully, so there was no second DELETE to send (status.delete-204 judges the first)',
      );
    return expectStatuses(seconds, [404, 204], 'second DELETEs of a deleted item', '');
  },
});
