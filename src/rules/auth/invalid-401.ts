import type { RuleBehaviour } from '../types.ts';
import { attemptsOf, judgeStatuses } from './statuses.ts';

/** SPEC §6 auth.invalid-401: garbage, empty, wrong-scheme, alg-none and wrongly-signed tokens → 401 on every protected operation. */
export const invalid401: RuleBehaviour = {
  probes: ['auth:invalid'],
  check: (rec) => judgeStatuses(attemptsOf(rec, 'auth:invalid').map((a) => a.exchange), [401],
    'requests with invalid tokens', 'no protected operation was probed'),
};
