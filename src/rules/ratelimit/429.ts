import { errored, exchangesOf, failed, passed, skipped, unanswered } from '../support.ts';
import { burstOf } from './burst.ts';
import { intHeader, resetEpoch } from './rate-headers.ts';
import { defineRule } from '../define.ts';
import { ratelimitBurstProbe } from '../../probes/ratelimit.ts';

/**
 * SPEC §6 ratelimit.429 (burst): past the declared limit the service answers 429. No 429 is a
 * failure only when refill cannot explain it: not when a new window began during the burst
 * (Reset moved) or Remaining rose, nor — unless the headers show one fixed window throughout —
 * when the burst lasted long enough for a refilling budget to regain the 10 requests it sends
 * past the limit.
 */
export const ratelimit429 = defineRule('ratelimit.429', {
  probes: [ratelimitBurstProbe],
  check(rec) {
    const out = burstOf(rec);
    if (!out) return skipped('nothing-to-check', 'the burst did not run');
    const burst = exchangesOf(rec, ratelimitBurstProbe);
    const answered = burst.filter((e) => e.response);
    if (!answered.length) return unanswered(burst.slice(0, 1), undefined, burst[0]?.error?.message ?? 'the burst sent nothing');
    const seconds = (out.durationMs / 1000).toFixed(2);
    const firstRemaining = intHeader(answered[0]!, 'remaining');
    const before = firstRemaining !== undefined ? `; X-RateLimit-Remaining was ${firstRemaining + 1} when it began` : '';
    const hit = burst.find((e) => e.id === out.first429);
    if (hit) {
      return passed(
        `the service answered 429 after ${out.answeredBefore429} burst requests (${out.sent} sent in ${seconds} s at concurrency ${out.concurrency}, declared limit ${out.limit} per ${out.windowS} s${before})`,
        [hit, answered[0]!],
      );
    }
    if (out.sent < out.maxRequests) {
      const broken = burst.filter((e) => !e.response);
      return unanswered(
        broken.slice(0, 3),
        undefined,
        `the burst stopped after ${out.sent} of ${out.maxRequests} requests on transport errors (${broken[0]?.error?.message ?? 'unknown'})`,
      );
    }
    const resets = [...new Set(answered.map(resetEpoch).filter((r): r is number => r !== undefined))].sort();
    if (resets.length > 1 && resets.at(-1)! - resets[0]! > 1) {
      return errored(
        'inconclusive',
        `burst inconclusive: no 429 in ${out.sent} requests, but a new window began during the burst (X-RateLimit-Reset moved from ${resets[0]} to ${resets.at(-1)}), so the budget was refilled`,
        [answered[0]!, answered.at(-1)!],
      );
    }
    // The service's own headers can rule refill out: one Reset throughout, Remaining never rising
    // (beyond the reordering that concurrent requests cause).
    const remaining = answered.map((e) => intHeader(e, 'remaining'));
    const fixedWindow = resets.length === 1 && answered.every((e) => resetEpoch(e) !== undefined);
    let lowest = Infinity;
    const rose = remaining.some((r) => {
      if (r === undefined) return false;
      const up = r > lowest + out.concurrency;
      lowest = Math.min(lowest, r);
      return up;
    });
    if (rose) {
      return errored(
        'inconclusive',
        `burst inconclusive: no 429 in ${out.sent} requests, but X-RateLimit-Remaining rose during the burst, so the budget was refilled`,
        [answered[0]!, answered.at(-1)!],
      );
    }
    const margin = out.maxRequests - out.limit;
    const refill = (out.durationMs / 1000) * (out.limit / out.windowS);
    if (!fixedWindow && refill >= margin) {
      return errored(
        'inconclusive',
        `burst inconclusive: no 429 in ${out.sent} requests, but they took ${seconds} s, in which a budget refilling at ${out.limit} per ${out.windowS} s regains ${Math.floor(refill)} requests — at least the ${margin} the burst sends past the limit (and no X-RateLimit-Reset showed one fixed window)`,
        [answered[0]!, answered.at(-1)!],
      );
    }
    const why = fixedWindow
      ? `one window throughout (X-RateLimit-Reset ${resets[0]})`
      : `too fast for refill to regain the ${margin} extra`;
    const lastRemaining = intHeader(answered.at(-1)!, 'remaining');
    return failed(
      `no 429: all ${out.sent} burst requests (declared limit ${out.limit} per ${out.windowS} s, + ${margin}) were served in ${seconds} s with one credential`,
      [
        {
          message: `sent ${out.sent} requests in ${seconds} s to ${out.path}, past the declared limit of ${out.limit} per ${out.windowS} s, ${why}; none answered 429${lastRemaining !== undefined ? ` (the last said X-RateLimit-Remaining: ${lastRemaining})` : ''}`,
          exchanges: [answered[0]!.id, answered.at(-1)!.id],
          expected: `429 after at most ${out.limit} requests`,
          received: `${answered.at(-1)!.response!.status} to request ${out.sent}`,
        },
      ],
    );
  },
});
