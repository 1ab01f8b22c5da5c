import { probeStatusRule } from '../support.ts';

/** SPEC §6 status.not-found-404. */
export const notFound404 = probeStatusRule('resources:not-found', [404], 'reads of a missing item', 'no resource to read from');
