import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Exchange } from '../src/http/exchange.ts';
import { ratelimit429Body as body429 } from '../src/rules/ratelimit/429-body.ts';
import { ratelimit429 as tooManyRequests } from '../src/rules/ratelimit/429.ts';
import type { BurstOutput } from '../src/probes/ratelimit.ts';
import { ratelimitHeaders as headers } from '../src/rules/ratelimit/headers.ts';
import { ratelimitRemainingDecrements as remainingDecrements } from '../src/rules/ratelimit/remaining-decrements.ts';
import { ratelimitRetryAfter as retryAfter } from '../src/rules/ratelimit/retry-after.ts';
import type { Outcome } from '../src/rules/types.ts';
import { evaluateRule } from '../src/harness/evaluate.ts';
import { ruleById } from '../src/rules/registry.ts';
import { context, exchange, recording } from './support/exchanges.ts';

const platform = context('platform');
const backend = context('backend');
const NOW = Math.floor(Date.now() / 1000);
const date = new Date(NOW * 1000).toUTCString();
const messages = (o: Outcome): string => (o.status === 'failed' ? o.findings.map((f) => f.message).join('\n') : o.message);

function limited(
  remaining: number,
  o: {
    reset?: number | string;
    window?: string | null;
    status?: number;
    probe?: string;
    extra?: Record<string, string>;
    body?: unknown;
  } = {},
): Exchange {
  return exchange({
    probe: o.probe ?? 'ratelimit:sequence',
    status: o.status ?? 200,
    body: o.body ?? { items: [] },
    headers: {
      date,
      'x-ratelimit-limit': '1000',
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String(o.reset ?? NOW + 40),
      ...(o.window === null ? {} : { 'x-ratelimit-window': o.window ?? '60' }),
      ...o.extra,
    },
  });
}

describe('ratelimit.headers', () => {
  it('passes integers with Reset an epoch second within the window, and reports IETF headers it saw', () => {
    const e = limited(999, { extra: { 'ratelimit-policy': '"default";q=1000;w=60', ratelimit: '"default";r=999;t=40' } });
    const out = headers.check(recording([e, limited(998)]), platform);
    assert.equal(out.status, 'passed', messages(out));
    assert.match(out.message, /Reset \d+ \(40 s ahead\)/);
    assert.match(
      out.message,
      /IETF rate-limit headers \(informational\) also seen on 1 of 2 responses, e\.g\. RateLimit-Policy: "default";q=1000;w=60; RateLimit: "default";r=999;t=40/,
    );
  });

  it('says precisely when Reset is delta-seconds rather than an epoch', () => {
    const out = headers.check(recording([limited(999, { reset: 40 }), limited(998, { reset: 39 })]), platform);
    assert.equal(out.status, 'failed');
    const f = out.status === 'failed' ? out.findings[0]! : undefined;
    assert.match(f!.message, /X-RateLimit-Reset is delta-seconds/);
    assert.equal(f!.received, '40');
    assert.equal(f!.count, 2, 'the same finding on many responses collapses');
  });

  it('fails a Reset in the past or beyond the window, a missing header, a non-integer', () => {
    assert.match(messages(headers.check(recording([limited(1, { reset: NOW - 30 })]), platform)), /in the past/);
    assert.match(messages(headers.check(recording([limited(1, { reset: NOW + 3600 })]), platform)), /further away than one window/);
    assert.match(messages(headers.check(recording([limited(1, { window: null })]), platform)), /X-RateLimit-Window is missing/);
    assert.match(messages(headers.check(recording([limited(1, { window: '60s' })]), platform)), /X-RateLimit-Window is not an integer/);
    const unauthenticated = exchange({ status: 401, body: { status: 401 } });
    assert.match(messages(headers.check(recording([limited(1), unauthenticated]), platform)), /X-RateLimit-Limit is missing/);
  });

  it('a Reset is wrong only when wrong by both the Date header and the harness clock (Date is cached, coarse, or skewed)', () => {
    // uvicorn refreshes Date once a second, later under load: a Date 3 s stale puts a correct Reset 63 s "ahead".
    const stale = (reset: number): Exchange => ({
      ...limited(1, { reset, extra: { date: new Date((NOW - 3) * 1000).toUTCString() } }),
      startedAt: new Date(NOW * 1000).toISOString(),
      durationMs: 5,
    });
    assert.equal(headers.check(recording([stale(NOW + 60)]), platform).status, 'passed');
    assert.match(messages(headers.check(recording([stale(NOW + 70)]), platform)), /further away than one window/);
    // A service clock ahead of the harness's: its own Date vouches for a Reset the harness sees as far.
    const ahead = {
      ...limited(1, { reset: NOW + 130, extra: { date: new Date((NOW + 75) * 1000).toUTCString() } }),
      startedAt: new Date(NOW * 1000).toISOString(),
      durationMs: 5,
    };
    assert.equal(headers.check(recording([ahead]), platform).status, 'passed');
  });

  it('backend: Window is not required; health responses do not count (SPEC §8)', () => {
    const health = exchange({ path: '/health', scope: 'health', body: { status: 'healthy' } });
    assert.equal(headers.check(recording([limited(5, { window: null }), health]), backend).status, 'passed');
    assert.equal(headers.check(recording([health]), backend).status, 'skipped');
  });
});

describe('ratelimit.remaining-decrements', () => {
  const seq = (...rs: [number, number?][]) => {
    const ex = rs.map(([remaining, reset]) => limited(remaining, reset === undefined ? {} : { reset }));
    return recording(ex, { 'ratelimit:sequence': ex.map((e) => e.id) });
  };

  it('passes a strictly decreasing Remaining with a constant Limit', () => {
    const out = remainingDecrements.check(seq([10], [9], [8], [7], [6]), platform);
    assert.equal(out.status, 'passed');
    assert.match(out.message, /10 → 9 → 8 → 7 → 6/);
  });

  it('fails a Remaining that does not count down', () => {
    const out = remainingDecrements.check(seq([1000], [1000], [1000], [1000], [1000]), platform);
    assert.equal(out.status, 'failed');
    assert.equal(out.status === 'failed' && out.findings.length, 4);
    assert.match(messages(out), /Remaining did not decrease: request 1 → 2/);
  });

  it("no counters at all is ratelimit.headers' finding: this rule is blocked by it", () => {
    const bare = [1, 2, 3, 4, 5].map(() => exchange({ status: 200, body: {} }));
    const rec = recording(bare, { 'ratelimit:sequence': bare.map((e) => e.id) });
    assert.equal(remainingDecrements.check(rec, platform).status, 'failed');
    const result = evaluateRule(ruleById('ratelimit.remaining-decrements')!, platform.target, rec, platform.schemas);
    assert.equal(result.status, 'skipped');
    assert.equal(result.reason, 'blocked');
    assert.equal(result.blocked_by, 'ratelimit.headers');
  });

  it('compares only responses of one window: a new Reset may raise Remaining', () => {
    assert.equal(
      remainingDecrements.check(seq([3, NOW + 2], [2, NOW + 2], [999, NOW + 62], [998, NOW + 62], [997, NOW + 62]), platform).status,
      'passed',
    );
    assert.equal(remainingDecrements.check(seq([3, NOW + 1], [999, NOW + 61]), platform).status, 'error');
  });

  it('reads delta-seconds Resets as the instant they name (the headers rule judges the form)', () => {
    assert.equal(remainingDecrements.check(seq([10, 40], [9, 40], [8, 39], [7, 39], [6, 39]), platform).status, 'passed');
  });

  it('has nothing to check without the sequence', () => {
    assert.equal(remainingDecrements.check(recording([]), platform).status, 'skipped');
  });
});

function burstRec(exchanges: Exchange[], out: Partial<BurstOutput>): ReturnType<typeof recording> {
  const full: BurstOutput = {
    path: '/v2/documents',
    limit: 1000,
    windowS: 60,
    maxRequests: 1010,
    concurrency: 8,
    sent: exchanges.length,
    durationMs: 250,
    ...out,
  };
  return recording(exchanges, { 'ratelimit:burst': full });
}

const problem429 = (extra: object = {}) => ({
  type: 'about:blank',
  title: 'Too Many Requests',
  status: 429,
  detail: 'slow down',
  retry_after: 30,
  ...extra,
});

describe('ratelimit.429', () => {
  it('passes on the first 429 and says after how many requests', () => {
    const ok = limited(1, { probe: 'ratelimit:burst' });
    const hit = limited(0, { probe: 'ratelimit:burst', status: 429, body: problem429(), extra: { 'retry-after': '30' } });
    const out = tooManyRequests.check(burstRec([ok, hit], { first429: hit.id, answeredBefore429: 1 }), platform);
    assert.equal(out.status, 'passed');
    assert.match(out.message, /429 after 1 burst requests/);
  });

  it('fails when limit+10 requests were served quickly within one window', () => {
    const ex = [limited(2, { probe: 'ratelimit:burst' }), limited(0, { probe: 'ratelimit:burst' })];
    const out = tooManyRequests.check(burstRec(ex, { sent: 1010, durationMs: 300 }), platform);
    assert.equal(out.status, 'failed');
    assert.match(messages(out), /sent 1010 requests in 0\.30 s .* none answered 429 \(the last said X-RateLimit-Remaining: 0\)/);
  });

  it('is inconclusive, not failed, when refill could explain it', () => {
    const bare = [exchange({ probe: 'ratelimit:burst', body: {} }), exchange({ probe: 'ratelimit:burst', body: {} })];
    const slow = tooManyRequests.check(burstRec(bare, { sent: 1010, durationMs: 5000 }), platform);
    assert.equal(slow.status, 'error');
    assert.match(slow.message, /regains 83 requests/);
    const moved = [limited(2, { probe: 'ratelimit:burst' }), limited(999, { probe: 'ratelimit:burst', reset: NOW + 100 })];
    const newWindow = tooManyRequests.check(burstRec(moved, { sent: 1010, durationMs: 100 }), platform);
    assert.equal(newWindow.status, 'error');
    assert.match(newWindow.message, /a new window began during the burst/);
    const rising = [
      limited(2, { probe: 'ratelimit:burst' }),
      limited(0, { probe: 'ratelimit:burst' }),
      limited(40, { probe: 'ratelimit:burst' }),
    ];
    assert.match(tooManyRequests.check(burstRec(rising, { sent: 1010, durationMs: 100 }), platform).message, /Remaining rose/);
  });

  it('fails a slow burst too when the headers show one fixed window and no refill', () => {
    const ex = [
      limited(2, { probe: 'ratelimit:burst' }),
      limited(0, { probe: 'ratelimit:burst' }),
      limited(0, { probe: 'ratelimit:burst' }),
    ];
    const out = tooManyRequests.check(burstRec(ex, { sent: 1010, durationMs: 5000 }), platform);
    assert.equal(out.status, 'failed');
    assert.match(messages(out), /one window throughout/);
  });
});

describe('ratelimit.retry-after and 429-body', () => {
  const with429 = (headersExtra: Record<string, string>, body: unknown = problem429()) => {
    const hit = limited(0, { probe: 'ratelimit:burst', status: 429, body, extra: headersExtra });
    return burstRec([hit], { first429: hit.id, answeredBefore429: 0 });
  };

  it('retry-after: delta-seconds or an HTTP-date within the window', () => {
    assert.equal(retryAfter.check(with429({ 'retry-after': '30' }), platform).status, 'passed');
    const httpDate = new Date((NOW + 20) * 1000).toUTCString();
    const out = retryAfter.check(with429({ 'retry-after': httpDate }), platform);
    assert.equal(out.status, 'passed');
    assert.match(out.message, /an HTTP-date, 20 s/);
  });

  it('retry-after: missing, unreadable or longer than the window fails', () => {
    assert.match(messages(retryAfter.check(with429({}), platform)), /no Retry-After/);
    assert.match(messages(retryAfter.check(with429({ 'retry-after': 'soon' }), platform)), /neither delta-seconds nor an HTTP-date/);
    assert.match(messages(retryAfter.check(with429({ 'retry-after': '3600' }), platform)), /longer than the rate-limit window/);
  });

  it('429-body: the profile error shape; on the platform status 429 and an integer retry_after', () => {
    assert.equal(body429.check(with429({}), platform).status, 'passed');
    const out = body429.check(with429({}, problem429({ retry_after: undefined })), platform);
    assert.equal(out.status, 'failed');
    assert.match(messages(out), /has no retry_after/);
    const envelope = { error: { code: 'RATE_LIMITED', message: 'slow down', details: {} } };
    assert.equal(body429.check(with429({}, envelope), backend).status, 'passed');
    assert.equal(body429.check(with429({}, problem429()), backend).status, 'failed');
  });

  it('has nothing to check when the burst saw no 429', () => {
    const rec = burstRec([limited(5, { probe: 'ratelimit:burst' })], { sent: 1010 });
    assert.equal(retryAfter.check(rec, platform).status, 'skipped');
    assert.equal(body429.check(rec, platform).status, 'skipped');
  });
});
