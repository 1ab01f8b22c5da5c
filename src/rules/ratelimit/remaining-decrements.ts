import { unanswered, errored, exchangesFromOutput, failed, passed, skipped } from '../support.ts';
import type { Exchange } from '../../http/exchange.ts';
import type { Finding } from '../types.ts';
import { intHeader, resetEpoch } from './rate-headers.ts';
import { defineRule } from '../define.ts';
import { ratelimitSequenceProbe } from '../../probes/ratelimit.ts';

const lacksCounters = (e: Exchange): boolean => intHeader(e, 'remaining') === undefined || intHeader(e, 'limit') === undefined;

/**
 * SPEC §6 ratelimit.remaining-decrements: five sequential requests with one credential:
 * X-RateLimit-Limit constant, X-RateLimit-Remaining strictly decreasing. A change of Reset
 * marks a new window (SPEC §8): only consecutive responses of one window are compared.
 */
export const ratelimitRemainingDecrements = defineRule('ratelimit.remaining-decrements', {
  probes: [ratelimitSequenceProbe],
  // No headers to count down is ratelimit.headers' finding; this rule then names it instead of
  // failing for the same cause (issue 13's field review).
  dependsOn: [
    {
      rule: 'ratelimit.headers',
      needs: 'X-RateLimit-Limit and X-RateLimit-Remaining on the responses',
      when: (rec) => exchangesFromOutput(rec, ratelimitSequenceProbe).some((e) => e.response && lacksCounters(e)),
    },
  ],
  check(rec) {
    const seq = exchangesFromOutput(rec, ratelimitSequenceProbe);
    if (!seq.length) return skipped('nothing-to-check', 'the sequence of requests was not sent');
    const answered = seq.filter((e) => e.response);
    if (answered.length < seq.length) {
      const broken = seq.find((e) => !e.response)!;
      return unanswered([broken]);
    }
    const findings: Finding[] = [];
    const missing = answered.filter(lacksCounters);
    if (missing.length) {
      return failed(
        `${missing.length} of ${answered.length} responses carry no integer X-RateLimit-Limit and -Remaining to count down`,
        missing.map((e) => ({
          message: 'no integer X-RateLimit-Limit / X-RateLimit-Remaining',
          exchanges: [e.id],
          at: 'X-RateLimit-Remaining',
          expected: 'integers',
          received: `${e.response!.headers['x-ratelimit-limit'] ?? '(absent)'} / ${e.response!.headers['x-ratelimit-remaining'] ?? '(absent)'}`,
        })),
      );
    }
    let compared = 0;
    const windows = new Set<number>();
    for (let i = 1; i < answered.length; i++) {
      const [a, b] = [answered[i - 1]!, answered[i]!];
      const [ra, rb] = [resetEpoch(a), resetEpoch(b)];
      if (ra !== undefined) windows.add(ra);
      // Reset moved: a new window began between the two, so Remaining may rise.
      if (ra !== undefined && rb !== undefined && Math.abs(ra - rb) > 1) continue;
      compared++;
      const [la, lb, ma, mb] = [intHeader(a, 'limit')!, intHeader(b, 'limit')!, intHeader(a, 'remaining')!, intHeader(b, 'remaining')!];
      if (la !== lb)
        findings.push({
          message: `X-RateLimit-Limit changed within one window: request ${i} → ${i + 1}`,
          exchanges: [a.id, b.id],
          at: 'X-RateLimit-Limit',
          expected: String(la),
          received: String(lb),
        });
      if (mb >= ma)
        findings.push({
          message: `X-RateLimit-Remaining did not decrease: request ${i} → ${i + 1}`,
          exchanges: [a.id, b.id],
          at: 'X-RateLimit-Remaining',
          expected: `< ${ma}`,
          received: String(mb),
        });
    }
    const trail = answered.map((e) => intHeader(e, 'remaining')).join(' → ');
    if (!compared)
      return errored(
        'inconclusive',
        `could not judge: every one of the ${answered.length} requests fell in a different window (X-RateLimit-Reset changed each time)`,
        answered,
      );
    if (findings.length) return failed(`X-RateLimit-Remaining does not count down request by request (${trail})`, findings);
    return passed(
      `over ${answered.length} requests in a row X-RateLimit-Limit stayed ${intHeader(answered[0]!, 'limit')} and X-RateLimit-Remaining went ${trail}${windows.size > 1 ? ' (a new window began midway; pairs across it were not compared)' : ''}`,
      answered,
    );
  },
});
