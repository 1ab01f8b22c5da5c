import { isAnonymous } from '../../http/budget.ts';
import { apiExchanges, failed, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import {
  clocksOf,
  EPOCH_FLOOR,
  headerName,
  ietfSummary,
  intHeader,
  nowOf,
  rateHeader,
  X_RATELIMIT,
  type XRateLimitField,
} from './rate-headers.ts';
import { defineRule } from '../define.ts';
import { ratelimitSequenceProbe } from '../../probes/ratelimit.ts';

/** Seconds of clock skew and rounding tolerated between the service's clock and Reset. */
const SLACK_S = 2;

/**
 * SPEC §6 ratelimit.headers, run-wide: every API response (health and ready do not count,
 * SPEC §8) carries X-RateLimit-Limit, -Remaining, -Reset and, on the platform profile,
 * -Window as integers; Reset is the epoch second the window resets (the guideline's example
 * 1642261800), in the future and no further than one window away. IETF RateLimit headers are
 * recognised and reported, never required.
 */
export const ratelimitHeaders = defineRule('ratelimit.headers', {
  probes: [ratelimitSequenceProbe],
  runWide: true,
  check(rec, ctx) {
    const judged = apiExchanges(rec);
    if (!judged.length) return skipped('nothing-to-check', 'the run saw no API response');
    const fields: XRateLimitField[] = ctx.target.profile === 'platform' ? [...X_RATELIMIT] : ['limit', 'remaining', 'reset'];
    const rl = ctx.target.rateLimit;
    const findings: Finding[] = [];
    let example = '';
    for (const e of judged) {
      const before = findings.length;
      for (const f of fields) {
        const v = rateHeader(e, f);
        if (v === undefined)
          findings.push({
            message: `${headerName(f)} is missing`,
            exchanges: [e.id],
            at: headerName(f),
            expected: 'an integer',
            received: '(absent)',
          });
        else if (!/^\d+$/.test(v))
          findings.push({
            message: `${headerName(f)} is not an integer`,
            exchanges: [e.id],
            at: headerName(f),
            expected: 'an integer',
            received: v,
          });
      }
      const reset = intHeader(e, 'reset');
      const limit = intHeader(e, 'limit');
      const remaining = intHeader(e, 'remaining');
      const now = nowOf(e);
      const { earliest, latest } = clocksOf(e);
      const windowS = intHeader(e, 'window') ?? (isAnonymous(e.credential) ? rl.anonymous.windowS : rl.windowS);
      if (reset !== undefined) {
        if (reset < EPOCH_FLOOR) {
          findings.push({
            message: `X-RateLimit-Reset is delta-seconds (seconds until the reset), expected the epoch second the window resets (the guideline's example: 1642261800)`,
            exchanges: [e.id],
            at: 'X-RateLimit-Reset',
            expected: `an epoch second near ${now + windowS}`,
            received: String(reset),
          });
        } else if (reset < earliest - SLACK_S) {
          findings.push({
            message: 'X-RateLimit-Reset is in the past',
            exchanges: [e.id],
            at: 'X-RateLimit-Reset',
            expected: `≥ ${earliest} (the response's Date, or the harness's clock if earlier)`,
            received: `${reset} (${earliest - reset} s ago)`,
          });
        } else if (reset > latest + windowS + SLACK_S) {
          findings.push({
            message: `X-RateLimit-Reset is further away than one window`,
            exchanges: [e.id],
            at: 'X-RateLimit-Reset',
            expected: `≤ ${latest + windowS} (now + ${windowS} s, by the later of the response's Date and the harness's clock)`,
            received: `${reset} (${reset - latest} s ahead)`,
          });
        }
      }
      if (limit !== undefined && remaining !== undefined && remaining > limit) {
        findings.push({
          message: 'X-RateLimit-Remaining exceeds X-RateLimit-Limit',
          exchanges: [e.id],
          at: 'X-RateLimit-Remaining',
          expected: `≤ ${limit}`,
          received: String(remaining),
        });
      }
      if (findings.length === before && !example && reset !== undefined) {
        example = `e.g. Limit ${limit}, Remaining ${remaining}, Reset ${reset} (${reset - now} s ahead)${fields.includes('window') ? `, Window ${rateHeader(e, 'window')}` : ''}`;
      }
    }
    const names = fields.map((f) => headerName(f)).join(', ');
    const ietf = ietfSummary(judged);
    if (findings.length) {
      const bad = new Set(findings.flatMap((f) => f.exchanges)).size;
      return failed(
        `${bad === judged.length ? 'every one' : 'some'} of ${judged.length} API responses lack integer ${names} with Reset as an epoch second within the window; ${ietf}`,
        findings,
      );
    }
    return passed(
      `all ${judged.length} API responses carry integer ${names}; Reset is an epoch second within the window (${example}); ${ietf}`,
      judged,
    );
  },
});
