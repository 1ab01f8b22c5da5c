import { exchangesFromOutput, expectStatuses } from '../support.ts';
import { defineRule } from '../define.ts';
import { resourcesUpdateProbe } from '../../probes/resources.ts';

/** SPEC §6 status.update-200: PUT of `update` → 200. */
export const statusUpdate200 = defineRule('status.update-200', {
  probes: [resourcesUpdateProbe],
  check: (rec) =>
    expectStatuses(
      exchangesFromOutput(rec, resourcesUpdateProbe),
      [200],
      'updates',
      'no item was updated (a resource needs both `create` and `update` bodies)',
    ),
});
