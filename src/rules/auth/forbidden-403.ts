import type { RuleBehaviour } from '../types.ts';
import { attemptsOf, judgeStatuses } from './statuses.ts';

/**
 * SPEC §6 auth.forbidden-403: `limited_bearer` (valid, no write permission) on a write → 403:
 * not 401 (the credential is valid), not 404 (the item is the caller's tenant's), never 2xx.
 */
export const forbidden403: RuleBehaviour = {
  probes: ['auth:forbidden'],
  check: (rec) => judgeStatuses(attemptsOf(rec, 'auth:forbidden').map((a) => a.exchange), [403],
    'writes with the read-only credential', 'no write was probed with limited_bearer'),
};
