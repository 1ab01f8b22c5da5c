import type { RuleBehaviour } from '../types.ts';
import { attemptsOf, judgeStatuses } from './statuses.ts';

/** SPEC §6 auth.expired-401: `expired_bearer` → 401 on every protected operation. */
export const expired401: RuleBehaviour = {
  probes: ['auth:expired'],
  check: (rec) => judgeStatuses(attemptsOf(rec, 'auth:expired').map((a) => a.exchange), [401],
    'requests with the expired token', 'no protected operation was probed with the expired token'),
};
