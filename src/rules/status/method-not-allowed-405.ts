import { probeStatusRule } from '../support.ts';
import { defineRule } from '../define.ts';
import { resourcesUnsupportedMethodProbe } from '../../probes/resources.ts';

/** SPEC §6 status.method-not-allowed-405. */
export const statusMethodNotAllowed405 = defineRule(
  'status.method-not-allowed-405',
  probeStatusRule(resourcesUnsupportedMethodProbe, [405], 'unsupported methods on known paths', 'no resource to probe'),
);
