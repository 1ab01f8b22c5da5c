import { header } from '../../http/exchange.ts';
import { apiExchanges, describe, failed, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { resourcesReadProbe } from '../../probes/resources.ts';
import { securitySamplesProbe } from '../../probes/security.ts';

const VALID_CREDENTIALS = new Set(['bearer', 'api_key', 'limited_bearer', 'other_tenant_bearer']);

/** Directive names of a Cache-Control value, lower case ("private=\"x\"" → private). */
export function cacheDirectives(value: string | undefined): Set<string> {
  return new Set(
    (value ?? '')
      .split(',')
      .map((d) => d.split('=')[0]!.trim().toLowerCase())
      .filter(Boolean),
  );
}

/**
 * SPEC §6 security.no-store-authenticated: responses to authenticated requests carry
 * Cache-Control no-store or private, so no shared cache keeps one user's data for another.
 * Judged run-wide on the responses caches may store by default (GET, RFC 9111 §3) to requests
 * that carried a credential the service accepted (a 401 was not an authenticated answer).
 */
export const securityNoStoreAuthenticated = defineRule('security.no-store-authenticated', {
  probes: [securitySamplesProbe, resourcesReadProbe],
  runWide: true,
  check(rec) {
    const judged = apiExchanges(rec).filter(
      (e) => e.request.method === 'GET' && VALID_CREDENTIALS.has(e.credential) && e.response!.status !== 401,
    );
    if (!judged.length) return skipped('nothing-to-check', 'the run made no authenticated GET');
    const findings: Finding[] = [];
    for (const e of judged) {
      const value = header(e, 'cache-control');
      const directives = cacheDirectives(value);
      if (directives.has('no-store') || directives.has('private')) continue;
      findings.push({
        message:
          value === undefined
            ? 'no Cache-Control on an authenticated response'
            : `Cache-Control: ${value} lets shared caches store an authenticated response`,
        exchanges: [e.id],
        at: 'Cache-Control',
        expected: 'no-store or private',
        received: value ?? '(absent)',
      });
    }
    if (findings.length) {
      return failed(
        `${findings.length} of ${judged.length} authenticated GET responses may be stored by shared caches (e.g. ${describe(judged.find((e) => e.id === findings[0]!.exchanges[0])!)}: ${findings[0]!.received})`,
        findings,
      );
    }
    const values = [...new Set(judged.map((e) => header(e, 'cache-control')))];
    return passed(`all ${judged.length} authenticated GET responses carry Cache-Control ${values.join(' / ')}`, judged);
  },
});
