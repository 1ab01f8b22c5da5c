import { failed, passed, skipped, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import { acaoValues, corsLine, corsOutput, isOk, list, probedOrigins } from './support.ts';
import { defineRule } from '../define.ts';
import { corsOriginsProbe } from '../../probes/cors.ts';

/** Methods a preflight never needs to allow (Fetch standard: CORS-safelisted methods). */
const SAFELISTED = new Set(['GET', 'HEAD', 'POST']);

/**
 * SPEC §6 cors.preflight-allowed: a preflight from each allowed origin (OPTIONS with Origin,
 * Access-Control-Request-Method PUT and -Headers authorization,content-type) answers 2xx with
 * ACAO equal to the origin and allows the method and both headers, judged as Chromium does: ACAO
 * is compared byte for byte; `*` counts for methods and headers only without credentials, and
 * never covers Authorization.
 */
export const corsPreflightAllowed = defineRule('cors.preflight-allowed', {
  probes: [corsOriginsProbe],
  check(rec, ctx) {
    const out = corsOutput(rec);
    const allowed = probedOrigins(rec, 'allowed').filter((o) => o.preflightExchange);
    if (!out || !allowed.length) return skipped('nothing-to-check', 'no preflight was sent from an allowed origin');
    const answered = allowed.filter((o) => o.preflightExchange!.response);
    if (!answered.length) return unanswered(allowed.map((o) => o.preflightExchange!));
    const credentials = ctx.target.cors.allowCredentials;
    const findings: Finding[] = [];
    for (const o of answered) {
      const e = o.preflightExchange!;
      const problems: string[] = [];
      const acao = acaoValues(e);
      if (!isOk(e)) problems.push(`answered ${e.response!.status}, expected 2xx`);
      if (acao.length > 1) problems.push(`${acao.length} ACAO values (browsers reject the response)`);
      else if (acao[0] !== o.origin && !(acao[0] === '*' && !credentials))
        problems.push(`ACAO is ${acao[0] ?? 'absent'}, expected ${o.origin}`);
      const methods = list(e, 'access-control-allow-methods');
      const method = out.requestMethod;
      if (!SAFELISTED.has(method) && !methods.includes(method) && !(methods.includes('*') && !credentials)) {
        problems.push(`Access-Control-Allow-Methods (${methods.join(', ') || 'absent'}) does not allow ${method}`);
      }
      const allowedHeaders = list(e, 'access-control-allow-headers').map((h) => h.toLowerCase());
      const wildcard = allowedHeaders.includes('*') && !credentials;
      const refused = out.requestHeaders.filter((h) => !allowedHeaders.includes(h) && !(wildcard && h !== 'authorization'));
      if (refused.length)
        problems.push(`Access-Control-Allow-Headers (${allowedHeaders.join(', ') || 'absent'}) does not allow ${refused.join(', ')}`);
      if (problems.length) {
        findings.push({
          message: `preflight from ${o.origin}: ${problems.join('; ')} [${corsLine(e, o.origin)}]`,
          exchanges: [e.id],
          expected: `2xx, ACAO ${o.origin}, ${method} and ${out.requestHeaders.join(', ')} allowed`,
          received: problems.join('; '),
        });
      }
    }
    if (findings.length)
      return failed(
        `${findings.length} of ${answered.length} preflights from allowed origins were refused or incomplete: ${findings[0]!.received}`,
        findings,
      );
    return passed(
      `preflights from ${answered.map((o) => o.origin).join(', ')} answered ${[...new Set(answered.map((o) => o.preflightExchange!.response!.status))].join('/')} with ACAO = origin, ${out.requestMethod} and ${out.requestHeaders.join(', ')} allowed`,
      answered.map((o) => o.preflightExchange!),
    );
  },
});
