import { apiExchanges, describe, failed, passed } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { hostileIdsProbe } from '../../probes/resources.ts';
import { inputsGeneratedProbe } from '../../probes/inputs.ts';

/**
 * SPEC §6 status.no-server-errors, run-wide: no response of the run was a 5xx. The client has
 * already retried a 502/503/504 once, so one still here repeated. 503 from ready and 501 for an
 * unimplemented method do not count (SPEC §8). Generated requests (inputs:generated) are
 * inputs.no-server-errors' to judge.
 */
export const statusNoServerErrors = defineRule('status.no-server-errors', {
  probes: [hostileIdsProbe],
  runWide: true,
  check(rec, ctx) {
    // Generated requests' 5xx are inputs.no-server-errors' finding, with the shrunk case (one cause, one finding).
    const judged = apiExchanges(rec, { includeHealth: true }).filter((e) => e.probe !== inputsGeneratedProbe.name);
    const findings: Finding[] = [];
    for (const e of judged) {
      const status = e.response!.status;
      if (status < 500) continue;
      if (status === 503 && e.path === ctx.target.ready) continue;
      if (status === 501 && !['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(e.request.method)) continue;
      findings.push({
        message: `${e.purpose}: ${describe(e)}${e.notes?.some((n) => n.includes('retried')) ? ' (repeated on retry)' : ''}`,
        exchanges: [e.id],
        expected: '< 500',
        received: String(status),
      });
    }
    return findings.length
      ? failed(`${findings.length} response(s) of the run were server errors`, findings)
      : passed(`none of ${judged.length} responses of the run was a 5xx (hostile ids included)`, judged);
  },
});
