import { exchangesFromOutput, expectStatuses } from '../support.ts';
import type { RuleBehaviour } from '../types.ts';

/** SPEC §6 status.read-200: GET collection and GET item → 200. */
export const read200: RuleBehaviour = {
  probes: ['resources:list', 'resources:read'],
  check: (rec) => expectStatuses(
    [...exchangesFromOutput(rec, 'resources:list'), ...exchangesFromOutput(rec, 'resources:read')],
    [200], 'reads', 'no collection or item was read'),
};
