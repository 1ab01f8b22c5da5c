import { attemptsOf, judgeStatuses } from './statuses.ts';
import { defineRule } from '../define.ts';
import { authForbiddenProbe } from '../../probes/auth.ts';

/**
 * SPEC §6 auth.forbidden-403: `limited_bearer` (valid, no write permission) on a write → 403:
 * not 401 (the credential is valid), not 404 (the item is the caller's tenant's), never 2xx.
 */
export const authForbidden403 = defineRule('auth.forbidden-403', {
  probes: [authForbiddenProbe],
  check: (rec) =>
    judgeStatuses(
      attemptsOf(rec, authForbiddenProbe).map((a) => a.exchange),
      [403],
      'writes with the read-only credential',
      'no write was probed with limited_bearer',
    ),
});
