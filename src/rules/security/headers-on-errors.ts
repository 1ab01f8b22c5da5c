import type { Exchange } from '../../http/exchange.ts';
import { apiExchanges, failed, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { byKind, ERROR_KINDS, kindList, kindOf, requiredHeaders, sampledResponses, tlsNote } from './headers.ts';
import { defineRule } from '../define.ts';
import { securitySamplesProbe } from '../../probes/security.ts';

/**
 * SPEC §6 security.headers-on-errors, run-wide: the security headers are also on 401, 404, 422
 * and 429 responses. "Also" reads against the successful responses: a header the 2xx sample
 * carries correctly must be on every error response too. A header the 2xx lacks as well is
 * that header's own rule's failure (security.nosniff…), not this one's. With no 2xx sampled,
 * every required header is judged.
 */
export const securityHeadersOnErrors = defineRule('security.headers-on-errors', {
  probes: [securitySamplesProbe],
  runWide: true,
  check(rec, ctx) {
    const samples = sampledResponses(rec);
    const successes = samples.filter((e) => kindOf(e) === '2xx');
    const required = requiredHeaders(ctx);
    const expected = required.filter((r) => successes.every((e) => r.judge(e).ok));
    const notOnSuccess = required.filter((r) => !expected.includes(r));
    const seen = new Map<number, Exchange>();
    for (const e of [...samples, ...apiExchanges(rec)]) {
      if (e.response && ERROR_KINDS.includes(e.response.status)) seen.set(e.id, e);
    }
    const errors = [...seen.values()];
    if (!errors.length) return skipped('nothing-to-check', 'the run saw no 401, 404, 422 or 429 response');
    if (!expected.length) {
      return skipped(
        'nothing-to-check',
        `the successful responses carry none of the security headers correctly (${notOnSuccess.map((r) => r.rule).join(', ')} judge that)`,
      );
    }
    const findings: Finding[] = [];
    const lacking = new Map<string, Set<string>>();
    for (const e of errors) {
      for (const r of expected) {
        const verdict = r.judge(e);
        if (verdict.ok) continue;
        const kind = kindOf(e);
        if (!lacking.has(kind)) lacking.set(kind, new Set());
        lacking.get(kind)!.add(r.header);
        findings.push({
          message: `${kind} responses: ${r.header} ${verdict.problem}, although the 2xx carries it`,
          exchanges: [e.id],
          at: r.header,
          expected: r.expected,
          ...(verdict.received !== undefined ? { received: verdict.received } : {}),
        });
      }
    }
    const unseen = ERROR_KINDS.filter((s) => !errors.some((e) => e.response!.status === s));
    const aside = `${unseen.length ? `; no ${unseen.join('/')} seen` : ''}${notOnSuccess.length ? `; ${notOnSuccess.map((r) => r.header).join(', ')} not judged here (absent or wrong on the 2xx too: ${notOnSuccess.map((r) => r.rule).join(', ')})` : ''}${expected.some((r) => r.key === 'hsts') ? tlsNote(ctx) : ''}`;
    if (findings.length) {
      const summary = [...lacking]
        .sort(([a], [b]) => byKind(a, b))
        .map(([kind, headers]) => `${kind} (${[...headers].join(', ')})`)
        .join('; ');
      return failed(`error responses lack security headers the 2xx carries: ${summary}${aside}`, findings);
    }
    return passed(
      `${expected.map((r) => r.header).join(', ')} also on the run's ${kindList(errors)} responses${aside}`,
      errors
        .slice()
        .sort((a, b) => a.response!.status - b.response!.status)
        .filter((e, i, all) => i === 0 || all[i - 1]!.response!.status !== e.response!.status),
    );
  },
});
