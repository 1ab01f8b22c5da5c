import { header, type Exchange } from '../../http/exchange.ts';
import { apiExchanges, describe, failed, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { versioningDeprecatedProbe } from '../../probes/versioning.ts';

const under = (path: string, prefix: string): boolean => {
  const p = prefix.replace(/\/+$/, '');
  return path === p || path.startsWith(`${p}/`);
};

/**
 * SPEC §6 versioning.deprecation-header: 2xx responses under `deprecated_prefixes` carry
 * `Deprecation` (RFC 9745; the platform guideline's `version="v1" date=…` form is accepted too);
 * `Sunset` (RFC 8594) and `Link` are should-haves, reported in the message, not failed.
 */
export const versioningDeprecationHeader = defineRule('versioning.deprecation-header', {
  probes: [versioningDeprecatedProbe],
  runWide: true,
  check(rec, ctx) {
    const prefixes = ctx.target.deprecatedPrefixes;
    const under_ = apiExchanges(rec).filter((e) => prefixes.some((p) => under(e.path, p)));
    const judged = under_.filter((e) => e.response!.status >= 200 && e.response!.status < 300);
    if (!judged.length) {
      const seen = under_.slice(0, 3).map(describe).join(', ');
      return skipped(
        'nothing-to-check',
        `no 2xx response under ${prefixes.join(', ')}${seen ? ` (saw ${seen})` : ' (no declared resource has a versioned counterpart there)'}`,
      );
    }
    const findings: Finding[] = [];
    const lacking: Record<'sunset' | 'link', Exchange[]> = { sunset: [], link: [] };
    for (const e of judged) {
      const value = header(e, 'deprecation')?.trim();
      if (!value || value.toLowerCase() === 'false') {
        findings.push({
          message: `a response under a deprecated prefix has ${value ? `Deprecation: ${value}` : 'no Deprecation header'}`,
          exchanges: [e.id],
          at: 'Deprecation',
          expected: 'Deprecation: @<epoch seconds> (RFC 9745)',
          received: value ?? '(absent)',
        });
      }
      if (!header(e, 'sunset')) lacking.sunset.push(e);
      if (!header(e, 'link')) lacking.link.push(e);
    }
    if (findings.length)
      return failed(
        `${findings.length} of ${judged.length} responses under ${prefixes.join(', ')} do not say the version is deprecated`,
        findings,
      );
    const should = (['sunset', 'link'] as const)
      .filter((h) => lacking[h].length)
      .map((h) => `${lacking[h].length} lack ${h === 'sunset' ? 'Sunset' : 'Link'} (should)`);
    return passed(
      `${judged.length === 1 ? 'the response' : `all ${judged.length} responses`} under ${prefixes.join(', ')} carry Deprecation${should.length ? `; ${should.join(', ')}` : ', Sunset and Link'}`,
      judged,
    );
  },
});
