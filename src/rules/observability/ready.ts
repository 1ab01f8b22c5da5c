import { describeSchemaError } from '../../spec/schemas.ts';
import { shapeFindings } from '../errors/error-body.ts';
import { bodyExcerpt, describe, failed, jsonBody, passed, skipped, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import { endpointExchange } from './endpoint.ts';
import { defineRule } from '../define.ts';
import { readyProbe } from '../../probes/health.ts';
import { healthAuthenticatedProbe } from '../../probes/observability.ts';

/** SPEC §6 observability.ready (backend): GET ready → 200 {status: "ready"}, or 503 with the error shape. */
export const observabilityReady = defineRule('observability.ready', {
  probes: [readyProbe, healthAuthenticatedProbe],
  check(rec, ctx) {
    const e = endpointExchange(rec, 'ready');
    if (!e) return skipped('nothing-to-check', 'ready was not probed');
    if (!e.response) return unanswered([e]);
    const s = e.response.status;
    let findings: Finding[] = [];
    if (s === 200) {
      const body = jsonBody(e);
      findings =
        body === undefined
          ? [{ message: 'the ready body is not JSON', exchanges: [e.id], expected: '{"status": "ready"}', received: bodyExcerpt(e, 120) }]
          : ctx.schemas.validate('ready-backend', body).map((err) => ({
              message: `ready body: ${describeSchemaError(err)}`,
              exchanges: [e.id],
              at: `$${err.instancePath.replace(/\//g, '.')}`,
              expected: '{"status": "ready"}',
              received: bodyExcerpt(e, 160),
            }));
    } else if (s === 503) {
      findings = shapeFindings(e, ctx).map((f) => ({ ...f, message: `ready answered 503 without the error shape: ${f.message}` }));
    } else {
      findings = [
        {
          message: `${describe(e)}: expected 200 or 503`,
          exchanges: [e.id],
          expected: '200 {"status": "ready"} or 503 with the error shape',
          received: String(s),
        },
      ];
    }
    return findings.length
      ? failed('ready does not answer as the guideline says', findings)
      : passed(`${describe(e)} ${s === 200 ? 'reports ready' : 'reports not ready with the error shape'}`, [e]);
  },
});
