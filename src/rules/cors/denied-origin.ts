import { failed, passed, skipped, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import { acaoValues, corsLine, corsOutput, exchangesOfOrigins, probedOrigins } from './support.ts';
import { defineRule } from '../define.ts';
import { corsOriginsProbe } from '../../probes/cors.ts';

/**
 * SPEC §6 cors.denied-origin: denied origins (targets.yaml `denied_origins`, or the harness's own
 * reserved origin when none is declared) get no ACAO: neither their origin echoed nor `*` on a
 * credentialed endpoint (`*` on a public one lets pages read public data only, which is allowed).
 */
export const corsDeniedOrigin = defineRule('cors.denied-origin', {
  probes: [corsOriginsProbe],
  check(rec) {
    const credentialed = corsOutput(rec)?.credentialed ?? true;
    const denied = probedOrigins(rec, 'denied');
    const sent = exchangesOfOrigins(denied);
    const answered = sent.filter(({ e }) => e.response);
    if (!sent.length) return skipped('nothing-to-check', 'no request was sent from a denied origin');
    if (!answered.length) return unanswered(sent.map((x) => x.e));
    const findings: Finding[] = [];
    for (const { o, e, step } of answered) {
      const acao = acaoValues(e);
      const problem = acao.includes(o.origin)
        ? 'its origin is echoed in ACAO'
        : acao.includes('*') && credentialed
          ? 'ACAO * on a credentialed endpoint'
          : undefined;
      if (problem) {
        findings.push({
          message: `${step} from denied origin ${o.origin}: ${problem} [${corsLine(e, o.origin)}]`,
          exchanges: [e.id],
          at: 'Access-Control-Allow-Origin',
          expected: '(absent)',
          received: acao.join(', '),
        });
      }
    }
    const who = denied.map((o) => `${o.origin}${o.harnessDefault ? " (the harness's own: no denied_origins declared)" : ''}`).join(', ');
    if (findings.length) return failed(`a denied origin may read responses: ${findings[0]!.message}`, findings);
    return passed(
      `no ACAO for ${who} on ${answered.length} preflight/actual responses (${answered.map(({ e }) => e.response!.status).join('/')})`,
      answered.map((x) => x.e),
    );
  },
});
