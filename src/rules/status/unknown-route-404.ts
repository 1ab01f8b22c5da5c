import { probeStatusRule } from '../support.ts';

/** SPEC §6 status.unknown-route-404. */
export const unknownRoute404 = probeStatusRule('route:unknown', [404], 'requests to an unknown route', 'no unknown route was probed');
