import { failed, passed, skipped, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import { acac, corsLine, echoes, exchangesOfOrigins, probedOrigins } from './support.ts';
import { defineRule } from '../define.ts';
import { corsOriginsProbe } from '../../probes/cors.ts';

/**
 * SPEC §6 cors.origin-bypass: look-alikes of the allowed origins (suffix, prefix on the
 * registrable domain, null, http downgrade, regex-dot, port change; see probes/cors-origins.ts)
 * are never echoed in ACAO, neither on the preflight nor on the actual request. ACAO `*` is not
 * an echo: cors.denied-origin judges it.
 */
export const corsOriginBypass = defineRule('cors.origin-bypass', {
  probes: [corsOriginsProbe],
  check(rec) {
    const lookAlikes = probedOrigins(rec, 'look-alike');
    const sent = exchangesOfOrigins(lookAlikes);
    const answered = sent.filter(({ e }) => e.response);
    if (!sent.length) return skipped('nothing-to-check', 'no look-alike origin could be made from the allowed origins');
    if (!answered.length) return unanswered(sent.map((x) => x.e));
    const findings: Finding[] = [];
    for (const { o, e, step } of answered) {
      if (!echoes(e, o.origin)) continue;
      findings.push({
        message: `${o.kind} look-alike of ${o.of} echoed on the ${step}${acac(e) === 'true' ? ' with credentials' : ''}: ${o.why} [${corsLine(e, o.origin)}]`,
        exchanges: [e.id],
        at: 'Access-Control-Allow-Origin',
        expected: 'not echoed',
        received: o.origin,
      });
    }
    const kinds = [...new Set(lookAlikes.map((o) => `${o.kind} ${o.origin}`))];
    if (findings.length) {
      const echoed = [...new Set(findings.map((f) => f.received!))];
      return failed(`${echoed.length} of ${lookAlikes.length} look-alike origins were echoed: ${echoed.join(', ')}`, findings);
    }
    return passed(`none of ${lookAlikes.length} look-alikes was echoed (${kinds.join('; ')})`, answered.map((x) => x.e).slice(0, 2));
  },
});
