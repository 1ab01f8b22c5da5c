import { header } from '../../http/exchange.ts';
import { apiExchanges, failed, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { authInvalidProbe, authMissingProbe } from '../../probes/auth.ts';

/** SPEC §6 auth.www-authenticate, run-wide: every 401 carries WWW-Authenticate naming Bearer (RFC 9110 §11.6.1, RFC 6750 §3). */
export const authWwwAuthenticate = defineRule('auth.www-authenticate', {
  probes: [authMissingProbe, authInvalidProbe],
  runWide: true,
  check(rec) {
    const judged = apiExchanges(rec, { includeHealth: true }).filter((e) => e.response!.status === 401);
    if (!judged.length) return skipped('nothing-to-check', 'the run saw no 401 response');
    const findings: Finding[] = [];
    for (const e of judged) {
      const value = header(e, 'www-authenticate');
      if (!value)
        findings.push({
          message: '401 without WWW-Authenticate',
          exchanges: [e.id],
          at: 'WWW-Authenticate',
          expected: 'Bearer realm="…"',
          received: '(absent)',
        });
      else if (!/(^|[\s,])Bearer(\s|,|$)/i.test(value))
        findings.push({
          message: `401 WWW-Authenticate does not name Bearer: ${value.slice(0, 80)}`,
          exchanges: [e.id],
          at: 'WWW-Authenticate',
          expected: 'a Bearer challenge',
          received: value.slice(0, 120),
        });
    }
    return findings.length
      ? failed(`${new Set(findings.flatMap((f) => f.exchanges)).size} of ${judged.length} 401 responses lack a Bearer challenge`, findings)
      : passed(`all ${judged.length} 401 responses carry WWW-Authenticate naming Bearer`, judged);
  },
});
