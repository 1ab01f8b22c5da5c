import { probeStatusRule } from '../support.ts';
import { defineRule } from '../define.ts';
import { routeUnknownProbe } from '../../probes/resources.ts';

/** SPEC §6 status.unknown-route-404. */
export const statusUnknownRoute404 = defineRule(
  'status.unknown-route-404',
  probeStatusRule(routeUnknownProbe, [404], 'requests to an unknown route', 'no unknown route was probed'),
);
