import { probeStatusRule } from '../support.ts';

/** SPEC §6 status.validation-422. */
export const validation422 = probeStatusRule('resources:validation', [422], 'invalid create bodies',
  'no resource declares a `create` or `invalid` body to derive invalid bodies from');
