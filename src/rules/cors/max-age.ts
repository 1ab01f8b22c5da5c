import { header } from '../../http/exchange.ts';
import { failed, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { corsLine, probedOrigins } from './support.ts';
import { defineRule } from '../define.ts';
import { corsOriginsProbe } from '../../probes/cors.ts';

/** Chromium caches a preflight for at most this long, whatever the service says. */
const CHROMIUM_CAP_S = 7200;

/**
 * SPEC §6 cors.max-age: preflights from allowed origins carry Access-Control-Max-Age, a positive
 * integer of seconds (the platform guideline uses 86400), so browsers do not preflight every call.
 */
export const corsMaxAge = defineRule('cors.max-age', {
  probes: [corsOriginsProbe],
  check(rec) {
    const preflights = probedOrigins(rec, 'allowed')
      .map((o) => ({ o, e: o.preflightExchange }))
      .filter((x) => x.e?.response);
    if (!preflights.length) return skipped('nothing-to-check', 'no preflight from an allowed origin was answered');
    const findings: Finding[] = [];
    const values = new Set<string>();
    for (const { o, e } of preflights) {
      const value = header(e!, 'access-control-max-age')?.trim();
      if (value !== undefined && /^\d+$/.test(value) && Number(value) > 0) {
        values.add(value);
        continue;
      }
      findings.push({
        message: `preflight from ${o.origin}: Access-Control-Max-Age is ${value === undefined ? 'absent' : `"${value}"`}, expected a positive number of seconds [${corsLine(e!, o.origin)}]`,
        exchanges: [e!.id],
        at: 'Access-Control-Max-Age',
        expected: 'a positive integer (86400)',
        received: value ?? '(absent)',
      });
    }
    if (findings.length) return failed(`preflights are not cacheable: ${findings[0]!.received}`, findings);
    const capped = [...values].some((v) => Number(v) > CHROMIUM_CAP_S) ? ` (Chromium caps it at ${CHROMIUM_CAP_S} s)` : '';
    return passed(
      `preflights carry Access-Control-Max-Age: ${[...values].join(', ')}${capped}`,
      preflights.map((x) => x.e!),
    );
  },
});
