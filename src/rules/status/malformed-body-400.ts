import { probeStatusRule } from '../support.ts';
import { defineRule } from '../define.ts';
import { resourcesMalformedProbe } from '../../probes/resources.ts';

/** SPEC §6 status.malformed-body-400: 400 or 422, never 2xx/5xx. */
export const statusMalformedBody400 = defineRule(
  'status.malformed-body-400',
  probeStatusRule(resourcesMalformedProbe, [400, 422], 'syntactically broken bodies', 'no resource to post to'),
);
