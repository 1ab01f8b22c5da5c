import { probeStatusRule } from '../support.ts';

/** SPEC §6 status.malformed-body-400: 400 or 422, never 2xx/5xx. */
export const malformedBody400 = probeStatusRule('resources:malformed', [400, 422], 'syntactically broken bodies', 'no resource to post to');
