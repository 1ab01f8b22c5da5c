import { attemptsOf, judgeStatuses } from './statuses.ts';
import { defineRule } from '../define.ts';
import { authMissingProbe } from '../../probes/auth.ts';

/** SPEC §6 auth.missing-401: every protected operation without credentials → 401. */
export const authMissing401 = defineRule('auth.missing-401', {
  probes: [authMissingProbe],
  check: (rec) =>
    judgeStatuses(
      attemptsOf(rec, authMissingProbe).map((a) => a.exchange),
      [401],
      'protected operations without credentials',
      'no protected operation was probed',
    ),
});
