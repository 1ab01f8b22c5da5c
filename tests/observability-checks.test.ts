import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { observabilityHealth as health } from '../src/rules/observability/health.ts';
import { observabilityReady as ready } from '../src/rules/observability/ready.ts';
import { observabilityRequestId as requestId } from '../src/rules/observability/request-id.ts';
import { observabilityRequestIdEcho as requestIdEcho } from '../src/rules/observability/request-id-echo.ts';
import type { Outcome } from '../src/rules/types.ts';
import { context, exchange, recording } from './support/exchanges.ts';

const platform = context('platform');
const backend = context('backend');
const findings = (o: Outcome) => (o.status === 'failed' ? o.findings : []);
const UUID1 = '550e8400-e29b-41d4-a716-446655440000';

describe('observability checks', () => {
  it('request-id: every API and health response carries a UUID or 32 hex digits; missing ones collapse per status', () => {
    const ok = [
      exchange({ headers: { 'x-request-id': UUID1 }, body: {} }),
      exchange({ scope: 'health', headers: { 'x-request-id': 'a'.repeat(32) }, body: {} }),
    ];
    assert.equal(requestId.check(recording(ok), platform).status, 'passed');
    const missing = [1, 2, 3].map(() => exchange({ status: 401, body: { status: 401 } }));
    const odd = exchange({ headers: { 'x-request-id': 'req-42' }, body: {} });
    const docs = exchange({ scope: 'docs', body: {} });
    const out = requestId.check(recording([...ok, ...missing, odd, docs]), platform);
    assert.deepEqual(
      findings(out).map((f) => [f.message, f.count]),
      [
        ['no X-Request-ID on 401 responses', 3],
        ['X-Request-ID is neither a UUID nor 32 hex digits', undefined],
      ],
    );
  });

  it('request-id: the echo probe (our own id) is not judged', () => {
    const echo = exchange({ probe: 'observability:request-id-echo', body: {} });
    assert.equal(requestId.check(recording([echo]), platform).status, 'skipped');
  });

  it('request-id-echo: the sent id must come back', () => {
    const e = exchange({ headers: { 'x-request-id': UUID1 }, body: {} });
    assert.equal(
      requestIdEcho.check(recording([e], { 'observability:request-id-echo': { exchange: e.id, sent: UUID1 } }), platform).status,
      'passed',
    );
    const other = exchange({ headers: { 'x-request-id': 'b'.repeat(32) }, body: {} });
    const out = requestIdEcho.check(recording([other], { 'observability:request-id-echo': { exchange: other.id, sent: UUID1 } }), platform);
    assert.equal(findings(out)[0]!.expected, UUID1);
  });

  it('health: 200 {status: healthy, timestamp} per profile schema; platform services statuses are enumerated', () => {
    const h = (body: unknown, status = 200) => exchange({ scope: 'health', status, body });
    const good = h({ status: 'healthy', timestamp: '2024-01-01T00:00:00Z', services: { db: { status: 'degraded', response_time_ms: 3 } } });
    assert.equal(health.check(recording([good], { health: good.id }), platform).status, 'passed');
    const badService = h({ status: 'healthy', timestamp: 'x', services: { db: { status: 'on fire' } } });
    assert.equal(findings(health.check(recording([badService], { health: badService.id }), platform))[0]!.at, '$.services.db.status');
    const ok = h({ status: 'ok', timestamp: 'x' });
    assert.equal(health.check(recording([ok], { health: ok.id }), backend).status, 'failed');
    const numeric = h({ status: 'healthy', timestamp: 1700000000 });
    assert.equal(
      health.check(recording([numeric], { health: numeric.id }), backend).status,
      'passed',
      "the timestamp format is format.timestamps' business",
    );
    assert.equal(health.check(recording([]), backend).status, 'skipped');
  });

  it('health: when anonymous callers are refused, the authenticated retry is judged', () => {
    const refused = exchange({ scope: 'health', status: 401, body: { status: 401 } });
    const retried = exchange({ scope: 'health', body: { status: 'healthy', timestamp: 'x' } });
    assert.equal(
      health.check(recording([refused, retried], { health: refused.id, 'health:authenticated': { health: retried.id } }), platform).status,
      'passed',
    );
  });

  it('ready: 200 {status: ready} or 503 with the error shape', () => {
    const r = (status: number, body: unknown) => exchange({ scope: 'health', path: '/ready', status, body });
    for (const [e, expected] of [
      [r(200, { status: 'ready' }), 'passed'],
      [r(503, { error: { code: 'NOT_READY', message: 'db down', details: {} } }), 'passed'],
      [r(503, { detail: 'Not ready' }), 'failed'],
      [r(200, { ready: true }), 'failed'],
      [r(500, { error: { code: 'X', message: 'y', details: {} } }), 'failed'],
    ] as const) {
      assert.equal(ready.check(recording([e], { ready: e.id }), backend).status, expected, e.response!.body);
    }
  });
});
