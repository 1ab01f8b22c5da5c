import { failed, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { corsLine, echoes, exchangesOfOrigins, list, probedOrigins } from './support.ts';
import { defineRule } from '../define.ts';
import { corsOriginsProbe } from '../../probes/cors.ts';

/**
 * SPEC §6 cors.vary-origin: a response whose ACAO echoes the request's origin says Vary: Origin
 * (or Vary: *), so no cache hands one origin's answer to another.
 */
export const corsVaryOrigin = defineRule('cors.vary-origin', {
  probes: [corsOriginsProbe],
  check(rec) {
    const echoing = exchangesOfOrigins(probedOrigins(rec)).filter(({ o, e }) => e.response && echoes(e, o.origin));
    if (!echoing.length) return skipped('nothing-to-check', 'no response of the CORS probes echoed an origin');
    const findings: Finding[] = [];
    for (const { o, e, step } of echoing) {
      const vary = list(e, 'vary').map((v) => v.toLowerCase());
      if (vary.includes('origin') || vary.includes('*')) continue;
      findings.push({
        message: `${step} from ${o.origin} echoes the origin without Vary: Origin (Vary: ${vary.join(', ') || 'absent'}) [${corsLine(e, o.origin)}]`,
        exchanges: [e.id],
        at: 'Vary',
        expected: 'Origin',
        received: vary.join(', ') || '(absent)',
      });
    }
    if (findings.length) return failed(`${findings.length} of ${echoing.length} responses echo an origin without Vary: Origin`, findings);
    return passed(
      `all ${echoing.length} responses that echo an origin carry Vary: Origin`,
      echoing.map((x) => x.e),
    );
  },
});
