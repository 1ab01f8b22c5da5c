import { attemptsOf, judgeStatuses } from './statuses.ts';
import { defineRule } from '../define.ts';
import { authExpiredProbe } from '../../probes/auth.ts';

/** SPEC §6 auth.expired-401: `expired_bearer` → 401 on every protected operation. */
export const authExpired401 = defineRule('auth.expired-401', {
  probes: [authExpiredProbe],
  check: (rec) =>
    judgeStatuses(
      attemptsOf(rec, authExpiredProbe).map((a) => a.exchange),
      [401],
      'requests with the expired token',
      'no protected operation was probed with the expired token',
    ),
});
