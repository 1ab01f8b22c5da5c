import { exchangesFromOutput, expectStatuses } from '../support.ts';
import type { RuleBehaviour } from '../types.ts';

/** SPEC §6 status.update-200: PUT of `update` → 200. */
export const update200: RuleBehaviour = {
  probes: ['resources:update'],
  check: (rec) => expectStatuses(exchangesFromOutput(rec, 'resources:update'), [200], 'updates',
    'no item was updated (a resource needs both `create` and `update` bodies)'),
};
