import { probeStatusRule } from '../support.ts';
import { defineRule } from '../define.ts';
import { resourcesValidationProbe } from '../../probes/resources.ts';

/** SPEC §6 status.validation-422. */
export const statusValidation422 = defineRule(
  'status.validation-422',
  probeStatusRule(
    resourcesValidationProbe,
    [422],
    'invalid create bodies',
    'no resource declares a `create` or `invalid` body to derive invalid bodies from',
  ),
);
