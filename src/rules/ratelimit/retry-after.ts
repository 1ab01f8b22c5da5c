import { header } from '../../http/exchange.ts';
import { failed, passed } from '../support.ts';
import { first429, isExchange } from './burst.ts';
import { nowOf } from './rate-headers.ts';
import { defineRule } from '../define.ts';
import { ratelimitBurstProbe } from '../../probes/ratelimit.ts';

/** SPEC §6 ratelimit.retry-after (burst): the 429 carries Retry-After (delta-seconds or HTTP-date), no later than the window. */
export const ratelimitRetryAfter = defineRule('ratelimit.retry-after', {
  probes: [ratelimitBurstProbe],
  check(rec, ctx) {
    const e = first429(rec);
    if (!isExchange(e)) return e;
    const windowS = ctx.target.rateLimit.windowS;
    const value = header(e, 'retry-after')?.trim();
    if (value === undefined) {
      return failed('the 429 carries no Retry-After', [
        {
          message: 'the 429 has no Retry-After header',
          exchanges: [e.id],
          at: 'Retry-After',
          expected: `delta-seconds or an HTTP-date, ≤ ${windowS} s`,
          received: '(absent)',
        },
      ]);
    }
    let seconds: number | undefined;
    let form = '';
    if (/^\d+$/.test(value)) {
      seconds = Number(value);
      form = 'delta-seconds';
    } else if (/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value) && !Number.isNaN(Date.parse(value))) {
      seconds = Math.ceil(Date.parse(value) / 1000) - nowOf(e);
      form = 'an HTTP-date';
    }
    if (seconds === undefined) {
      return failed('the 429 Retry-After is neither delta-seconds nor an HTTP-date', [
        {
          message: 'Retry-After is neither delta-seconds nor an HTTP-date (RFC 9110 §10.2.3)',
          exchanges: [e.id],
          at: 'Retry-After',
          expected: 'e.g. 30 or Wed, 21 Oct 2015 07:28:00 GMT',
          received: value,
        },
      ]);
    }
    // One second of slack: an HTTP-date has second resolution and the clocks may straddle a second.
    if (seconds > windowS + 1) {
      return failed(`Retry-After asks for ${seconds} s, later than the ${windowS} s window`, [
        {
          message: `Retry-After (${form}) asks for a wait longer than the rate-limit window`,
          exchanges: [e.id],
          at: 'Retry-After',
          expected: `≤ ${windowS} s`,
          received: `${value} (${seconds} s)`,
        },
      ]);
    }
    return passed(`the 429 carries Retry-After: ${value} (${form}, ${seconds} s), within the ${windowS} s window`, [e]);
  },
});
