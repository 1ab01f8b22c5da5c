import { probeStatusRule } from '../support.ts';

/** SPEC §6 status.method-not-allowed-405. */
export const methodNotAllowed405 = probeStatusRule('resources:unsupported-method', [405], 'unsupported methods on known paths', 'no resource to probe');
