import { bodyExcerpt, describe, exchangeById, failed, passed, skipped, unanswered } from '../support.ts';
import { defineRule } from '../define.ts';
import { securityTraceProbe } from '../../probes/security.ts';
import { outputOf } from '../../probes/types.ts';

/**
 * SPEC §6 security.trace-disabled: TRACE is refused with 405 or 501 and never echoes the request
 * (cross-site tracing). The probe sends a marker header; seeing it in the body is an echo. A 501
 * here does not count for status.no-server-errors (SPEC §8).
 */
export const securityTraceDisabled = defineRule('security.trace-disabled', {
  probes: [securityTraceProbe],
  check(rec) {
    const out = outputOf(rec, securityTraceProbe);
    const e = exchangeById(rec, out?.exchange);
    if (!out || !e) return skipped('nothing-to-check', 'TRACE was not sent');
    if (!e.response) return unanswered([e], undefined, `TRACE got no answer: ${e.error?.message ?? 'no response'}`);
    const status = e.response.status;
    if (e.response.body.includes(out.marker)) {
      return failed(`TRACE answered ${status} and echoed the request back (cross-site tracing)`, [
        {
          message: `TRACE echoed the request, with its headers, in a ${status} body`,
          exchanges: [e.id],
          expected: '405 or 501, no echo',
          received: `${status}: ${bodyExcerpt(e, 120)}`,
        },
      ]);
    }
    if (status !== 405 && status !== 501) {
      return failed(`TRACE answered ${status}, expected 405 or 501`, [
        {
          message: `TRACE: received ${status}, expected 405 or 501`,
          exchanges: [e.id],
          expected: '405 or 501',
          received: String(status),
        },
      ]);
    }
    return passed(`TRACE refused: ${describe(e)}, nothing echoed`, [e]);
  },
});
