import { headerValues } from '../../http/exchange.ts';
import { describe, failed, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { securityCookiesProbe } from '../../probes/security.ts';

export interface CookieFlags {
  readonly name: string;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  readonly sameSite?: string;
}

/** Name and attributes of a Set-Cookie value (RFC 6265 §5.2); never its value. */
export function parseSetCookie(value: string): CookieFlags {
  const [pair, ...attributes] = value.split(';');
  const name = pair!.split('=')[0]!.trim();
  const attrs = new Map(
    attributes.map((a) => {
      const eq = a.indexOf('=');
      return [(eq < 0 ? a : a.slice(0, eq)).trim().toLowerCase(), eq < 0 ? '' : a.slice(eq + 1).trim()] as const;
    }),
  );
  const sameSite = attrs.get('samesite');
  return { name, secure: attrs.has('secure'), httpOnly: attrs.has('httponly'), ...(sameSite !== undefined ? { sameSite } : {}) };
}

/**
 * SPEC §6 security.cookie-flags: every Set-Cookie of the run has HttpOnly, SameSite and, on
 * https targets, Secure (SPEC §8). SameSite=None needs Secure wherever it is sent (browsers
 * drop it otherwise). Responses from http_url count for no other rule (SPEC §8).
 */
export const securityCookieFlags = defineRule('security.cookie-flags', {
  probes: [securityCookiesProbe],
  runWide: true,
  check(rec, ctx) {
    const https = ctx.target.baseUrl.startsWith('https://');
    const withCookies = rec.exchanges.filter((e) => e.response && e.scope !== 'http-url' && headerValues(e, 'set-cookie').length);
    if (!withCookies.length) return skipped('nothing-to-check', 'the run saw no Set-Cookie header');
    const findings: Finding[] = [];
    const names = new Set<string>();
    for (const e of withCookies) {
      for (const value of headerValues(e, 'set-cookie')) {
        const c = parseSetCookie(value);
        names.add(c.name);
        const missing: string[] = [];
        if (!c.httpOnly) missing.push('HttpOnly');
        if (c.sameSite === undefined || !/^(strict|lax|none)$/i.test(c.sameSite)) missing.push('SameSite');
        if (!c.secure && (https || c.sameSite?.toLowerCase() === 'none'))
          missing.push(https ? 'Secure' : 'Secure (required by SameSite=None)');
        if (missing.length) {
          findings.push({
            message: `cookie ${c.name} lacks ${missing.join(', ')} (${describe(e)})`,
            exchanges: [e.id],
            at: 'Set-Cookie',
            expected: `HttpOnly; SameSite${https ? '; Secure' : ''}`,
            received: value.replace(/^([^=]+)=[^;]*/, '$1=…'),
          });
        }
      }
    }
    if (findings.length) return failed(`${findings.length} Set-Cookie header(s) lack flags: ${findings[0]!.message}`, findings);
    return passed(
      `every Set-Cookie (${[...names].join(', ')}) has HttpOnly and SameSite${https ? ' and Secure' : ' (Secure not required: http target)'}`,
      withCookies,
    );
  },
});
