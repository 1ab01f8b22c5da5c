import { header } from '../../http/exchange.ts';
import { apiExchanges, failed, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { healthProbe } from '../../probes/health.ts';
import { observabilityRequestIdEchoProbe } from '../../probes/observability.ts';
import { resourcesListProbe, resourcesNotFoundProbe } from '../../probes/resources.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX32 = /^[0-9a-f]{32}$/i;

/**
 * SPEC §6 observability.request-id, run-wide: every response (API and health) carries
 * X-Request-ID, a UUID or 32 hex digits. The echo probe's response is left out: its id is
 * ours, not the service's (SPEC §8).
 */
export const observabilityRequestId = defineRule('observability.request-id', {
  probes: [healthProbe, resourcesListProbe, resourcesNotFoundProbe],
  runWide: true,
  check(rec) {
    const judged = apiExchanges(rec, { includeHealth: true }).filter((e) => e.probe !== observabilityRequestIdEchoProbe.name);
    if (!judged.length) return skipped('nothing-to-check', 'the run saw no response');
    const findings: Finding[] = [];
    for (const e of judged) {
      const value = header(e, 'x-request-id')?.trim();
      if (!value)
        findings.push({
          message: `no X-Request-ID on ${e.response!.status} responses`,
          exchanges: [e.id],
          at: 'X-Request-ID',
          expected: 'a UUID or 32 hex digits',
          received: '(absent)',
        });
      else if (!UUID.test(value) && !HEX32.test(value))
        findings.push({
          message: 'X-Request-ID is neither a UUID nor 32 hex digits',
          exchanges: [e.id],
          at: 'X-Request-ID',
          expected: 'a UUID or 32 hex digits',
          received: value.slice(0, 80),
        });
    }
    return findings.length
      ? failed(`${findings.length} of ${judged.length} responses lack a well-formed X-Request-ID`, findings)
      : passed(`all ${judged.length} responses carry an X-Request-ID (UUID or 32 hex digits)`, judged);
  },
});
