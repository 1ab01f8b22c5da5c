import { probeStatusRule } from '../support.ts';
import { defineRule } from '../define.ts';
import { resourcesNotFoundProbe } from '../../probes/resources.ts';

/** SPEC §6 status.not-found-404. */
export const statusNotFound404 = defineRule(
  'status.not-found-404',
  probeStatusRule(resourcesNotFoundProbe, [404], 'reads of a missing item', 'no resource to read from'),
);
