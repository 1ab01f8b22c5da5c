import type { RequestIdEchoOutput } from '../../probes/observability.ts';
import { header } from '../../http/exchange.ts';
import { errored, exchangeById, failed, passed, skipped } from '../support.ts';
import type { RuleBehaviour } from '../types.ts';
import { ECHO_PROBE } from './request-id.ts';

/** SPEC §6 observability.request-id-echo: a client-sent X-Request-ID (a fresh UUID) comes back in the response. */
export const requestIdEcho: RuleBehaviour = {
  probes: [ECHO_PROBE],
  check(rec) {
    const out = rec.outputs[ECHO_PROBE] as RequestIdEchoOutput | undefined;
    const e = exchangeById(rec, out?.exchange);
    if (!out || !e) return skipped('nothing-to-check', 'no request was sent with our own X-Request-ID');
    if (!e.response) return errored('transport-error', `could not check: ${e.error?.message ?? 'no response'}`, [e]);
    const got = header(e, 'x-request-id')?.trim();
    if (got?.toLowerCase() === out.sent.toLowerCase()) return passed(`the X-Request-ID we sent (${out.sent}) came back`, [e]);
    return failed('a client-sent X-Request-ID is not echoed', [{
      message: got ? 'the response carries its own X-Request-ID instead of the one sent' : 'the response carries no X-Request-ID',
      exchanges: [e.id], at: 'X-Request-ID', expected: out.sent, received: got ?? '(absent)',
    }]);
  },
};
