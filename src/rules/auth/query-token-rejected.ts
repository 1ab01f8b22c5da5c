import { attemptsOf, judgeStatuses } from './statuses.ts';
import { defineRule } from '../define.ts';
import { authQueryTokenProbe } from '../../probes/auth.ts';

/**
 * SPEC §6 auth.query-token-rejected: a token in `?access_token=` / `?token=` (and no
 * Authorization header) does not authenticate: the request is answered as unauthenticated
 * (401) or refused as a bad request (400); a 2xx means the query string authenticated it.
 */
export const authQueryTokenRejected = defineRule('auth.query-token-rejected', {
  probes: [authQueryTokenProbe],
  check: (rec) =>
    judgeStatuses(
      attemptsOf(rec, authQueryTokenProbe).map((a) => a.exchange),
      [401, 400],
      'requests carrying the token only in the query string',
      'no protected collection to probe',
    ),
});
