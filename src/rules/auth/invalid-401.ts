import { attemptsOf, judgeStatuses } from './statuses.ts';
import { defineRule } from '../define.ts';
import { authInvalidProbe } from '../../probes/auth.ts';

/** SPEC §6 auth.invalid-401: garbage, empty, wrong-scheme, alg-none and wrongly-signed tokens → 401 on every protected operation. */
export const authInvalid401 = defineRule('auth.invalid-401', {
  probes: [authInvalidProbe],
  check: (rec) =>
    judgeStatuses(
      attemptsOf(rec, authInvalidProbe).map((a) => a.exchange),
      [401],
      'requests with invalid tokens',
      'no protected operation was probed',
    ),
});
