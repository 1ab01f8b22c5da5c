import { failed, passed, skipped, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import { acac, acaoValues, corsLine, exchangesOfOrigins, probedOrigins } from './support.ts';
import { defineRule } from '../define.ts';
import { corsOriginsProbe } from '../../probes/cors.ts';

/**
 * SPEC §6 cors.credentials: with allow_credentials, preflights and actual responses for allowed
 * origins carry Access-Control-Allow-Credentials: true (exactly "true": browsers compare it
 * case-sensitively), and no response of the CORS probes pairs ACAO `*` with ACAC true.
 */
export const corsCredentials = defineRule('cors.credentials', {
  probes: [corsOriginsProbe],
  check(rec, ctx) {
    const all = exchangesOfOrigins(probedOrigins(rec)).filter(({ e }) => e.response);
    if (!all.length) {
      const sent = exchangesOfOrigins(probedOrigins(rec));
      return sent.length ? unanswered(sent.map((x) => x.e)) : skipped('nothing-to-check', 'no CORS request was sent');
    }
    const wanted = ctx.target.cors.allowCredentials;
    const findings: Finding[] = [];
    for (const { o, e, step } of all) {
      if (acaoValues(e).includes('*') && acac(e) === 'true') {
        findings.push({
          message: `${step} from ${o.origin}: ACAO * together with ACAC true [${corsLine(e, o.origin)}]`,
          exchanges: [e.id],
          expected: 'never ACAO * with ACAC true',
          received: 'ACAO: *, ACAC: true',
        });
      }
      if (wanted && o.role === 'allowed' && acac(e) !== 'true') {
        findings.push({
          message: `${step} from allowed origin ${o.origin}: ACAC is ${acac(e) === undefined ? 'absent' : `"${acac(e)}"`}, expected "true" [${corsLine(e, o.origin)}]`,
          exchanges: [e.id],
          at: 'Access-Control-Allow-Credentials',
          expected: 'true',
          received: acac(e) ?? '(absent)',
        });
      }
    }
    if (findings.length) return failed(`credentialed CORS is broken: ${findings[0]!.message}`, findings);
    const allowedOnes = all.filter(({ o }) => o.role === 'allowed').map(({ e }) => e);
    return passed(
      wanted
        ? `ACAC: true on ${allowedOnes.length} preflight/actual responses for allowed origins; ACAO * never paired with it`
        : `allow_credentials is false: only judged that ACAO * is never paired with ACAC true (${all.length} responses)`,
      allowedOnes.length ? allowedOnes : all.map((x) => x.e),
    );
  },
});
