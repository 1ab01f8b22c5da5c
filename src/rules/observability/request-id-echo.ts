import { observabilityRequestIdEchoProbe } from '../../probes/observability.ts';
import { outputOf } from '../../probes/types.ts';
import { header } from '../../http/exchange.ts';
import { exchangeById, failed, passed, skipped, unanswered } from '../support.ts';
import { defineRule } from '../define.ts';

/** SPEC §6 observability.request-id-echo: a client-sent X-Request-ID (a fresh UUID) comes back in the response. */
export const observabilityRequestIdEcho = defineRule('observability.request-id-echo', {
  probes: [observabilityRequestIdEchoProbe],
  check(rec) {
    const out = outputOf(rec, observabilityRequestIdEchoProbe);
    const e = exchangeById(rec, out?.exchange);
    if (!out || !e) return skipped('nothing-to-check', 'no request was sent with our own X-Request-ID');
    if (!e.response) return unanswered([e]);
    const got = header(e, 'x-request-id')?.trim();
    if (got?.toLowerCase() === out.sent.toLowerCase()) return passed(`the X-Request-ID we sent (${out.sent}) came back`, [e]);
    return failed('a client-sent X-Request-ID is not echoed', [
      {
        message: got ? 'the response carries its own X-Request-ID instead of the one sent' : 'the response carries no X-Request-ID',
        exchanges: [e.id],
        at: 'X-Request-ID',
        expected: out.sent,
        received: got ?? '(absent)',
      },
    ]);
  },
});
