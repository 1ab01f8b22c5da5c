import { headerValues } from '../../http/exchange.ts';
import { describe, failed, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { securitySamplesProbe } from '../../probes/security.ts';

/** Headers that name the software serving the response; the ASP.NET ones hold nothing but a version. */
const PRODUCT_HEADERS = ['server', 'x-powered-by', 'x-aspnet-version', 'x-aspnetmvc-version'] as const;
const ALWAYS_A_VERSION = new Set(['x-aspnet-version', 'x-aspnetmvc-version']);
/** A version: "nginx/1.25.3", "Apache/2", "PHP 8.2.1", "Microsoft-IIS/10.0". */
const VERSION = /\/\s*v?\d|\b\d+\.\d+/i;

export function disclosesVersion(header: string, value: string): boolean {
  return ALWAYS_A_VERSION.has(header) || VERSION.test(value);
}

/**
 * SPEC §6 security.no-version-disclosure: no Server / X-Powered-By header discloses a product
 * version. Judged on every response of the run but those from http_url (SPEC §8); a product
 * name without a version ("uvicorn", "Express") passes.
 */
export const securityNoVersionDisclosure = defineRule('security.no-version-disclosure', {
  probes: [securitySamplesProbe],
  runWide: true,
  check(rec) {
    const judged = rec.exchanges.filter((e) => e.response && e.scope !== 'http-url');
    if (!judged.length) return skipped('nothing-to-check', 'the run saw no response');
    const findings: Finding[] = [];
    const products = new Set<string>();
    for (const e of judged) {
      for (const name of PRODUCT_HEADERS) {
        for (const value of headerValues(e, name)) {
          products.add(`${name}: ${value}`);
          if (disclosesVersion(name, value)) {
            findings.push({
              message: `${name}: ${value} discloses a product version`,
              exchanges: [e.id],
              at: name,
              expected: 'no version (or no header)',
              received: value,
            });
          }
        }
      }
    }
    if (findings.length) {
      const distinct = [...new Set(findings.map((f) => `${f.at}: ${f.received}`))];
      return failed(`${distinct.join('; ')} (e.g. on ${describe(judged.find((e) => e.id === findings[0]!.exchanges[0])!)})`, findings);
    }
    return passed(
      `no product version in ${judged.length} responses${products.size ? ` (${[...products].slice(0, 3).join('; ')})` : ' (no Server or X-Powered-By header)'}`,
      judged.slice(0, 1),
    );
  },
});
