import type { RuleBehaviour } from '../types.ts';
import { attemptsOf, judgeStatuses } from './statuses.ts';

/** SPEC §6 auth.missing-401: every protected operation without credentials → 401. */
export const missing401: RuleBehaviour = {
  probes: ['auth:missing'],
  check: (rec) => judgeStatuses(attemptsOf(rec, 'auth:missing').map((a) => a.exchange), [401],
    'protected operations without credentials', 'no protected operation was probed'),
};
