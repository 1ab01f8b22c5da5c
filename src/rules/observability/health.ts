import { describeSchemaError } from '../../spec/schemas.ts';
import { bodyExcerpt, describe, failed, jsonBody, passed, skipped, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import { endpointExchange } from './endpoint.ts';
import { defineRule } from '../define.ts';
import { healthProbe } from '../../probes/health.ts';
import { healthAuthenticatedProbe } from '../../probes/observability.ts';

/**
 * SPEC §6 observability.health: GET health → 200 with a body matching
 * schemas/health-<profile>.schema.json ({status: "healthy", timestamp}; platform: each
 * `services.*.status` healthy/degraded/unhealthy). The timestamp's format is format.timestamps'.
 */
export const observabilityHealth = defineRule('observability.health', {
  probes: [healthProbe, healthAuthenticatedProbe],
  check(rec, ctx) {
    const e = endpointExchange(rec, 'health');
    if (!e) return skipped('nothing-to-check', 'health was not probed');
    if (!e.response) return unanswered([e]);
    const schema = `health-${ctx.target.profile}`;
    const findings: Finding[] = [];
    if (e.response.status !== 200) {
      findings.push({ message: `${describe(e)}: expected 200`, exchanges: [e.id], expected: '200', received: String(e.response.status) });
    }
    const body = jsonBody(e);
    if (body === undefined) {
      findings.push({
        message: 'the health body is not JSON',
        exchanges: [e.id],
        expected: '{"status": "healthy", "timestamp": …}',
        received: bodyExcerpt(e, 120),
      });
    } else {
      for (const err of ctx.schemas.validate(schema, body)) {
        findings.push({
          message: `health body does not match ${schema}: ${describeSchemaError(err)}`,
          exchanges: [e.id],
          at: `$${err.instancePath.replace(/\//g, '.')}`,
          expected: '{"status": "healthy", "timestamp": …}',
          received: bodyExcerpt(e, 160),
        });
      }
    }
    return findings.length
      ? failed('health does not report healthy in the expected shape', findings)
      : passed(`${describe(e)} reports healthy in the ${ctx.target.profile} shape`, [e]);
  },
});
