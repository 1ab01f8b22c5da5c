import { exchangesFromOutput, expectStatuses } from '../support.ts';
import { defineRule } from '../define.ts';
import { resourcesListProbe, resourcesReadProbe } from '../../probes/resources.ts';

/** SPEC §6 status.read-200: GET collection and GET item → 200. */
export const statusRead200 = defineRule('status.read-200', {
  probes: [resourcesListProbe, resourcesReadProbe],
  check: (rec) =>
    expectStatuses(
      [...exchangesFromOutput(rec, resourcesListProbe), ...exchangesFromOutput(rec, resourcesReadProbe)],
      [200],
      'reads',
      'no collection or item was read',
    ),
});
