import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statusCreate201 as create201 } from '../src/rules/status/create-201.ts';
import { statusDelete204 as delete204 } from '../src/rules/status/delete-204.ts';
import { statusNoServerErrors as noServerErrors } from '../src/rules/status/no-server-errors.ts';
import { statusNotFound404 as notFound404 } from '../src/rules/status/not-found-404.ts';
import { statusRead200 as read200 } from '../src/rules/status/read-200.ts';
import { statusValidation422 as validation422 } from '../src/rules/status/validation-422.ts';
import { context, exchange, recording } from './support/exchanges.ts';

const ctx = context('platform');

describe('status checks', () => {
  it('create-201: passes on 201 with data.id, fails on 200 and on a body without id, skips without creates', () => {
    const ok = exchange({ method: 'POST', status: 201, body: { data: { id: 'a' } } });
    assert.equal(create201.check(recording([ok], { 'resources:create': { docs: { exchange: ok.id } } }), ctx).status, 'passed');
    const wrong = exchange({ method: 'POST', status: 200, body: { id: 'a' } });
    const out = create201.check(recording([wrong], { 'resources:create': { docs: { exchange: wrong.id } } }), ctx);
    assert.equal(out.status, 'failed');
    assert.equal(out.status === 'failed' && out.findings[0]!.received, '200');
    const noId = exchange({ method: 'POST', status: 201, body: { name: 'x' } });
    assert.equal(create201.check(recording([noId], { 'resources:create': { docs: { exchange: noId.id } } }), ctx).status, 'failed');
    assert.equal(create201.check(recording([]), ctx).status, 'skipped');
  });

  it('a probe whose request never got an answer makes the rule an error, not a failure', () => {
    const down = exchange({ error: 'connection refused' });
    const out = read200.check(recording([down], { 'resources:list': { docs: down.id } }), ctx);
    assert.equal(out.status, 'unanswered');
  });

  it('read-200 judges both the list and the item read', () => {
    const list = exchange({ status: 200, body: { items: [] } });
    const item = exchange({ status: 203, body: {} });
    const out = read200.check(recording([list, item], { 'resources:list': { d: list.id }, 'resources:read': { d: item.id } }), ctx);
    assert.equal(out.status, 'failed');
    assert.deepEqual(out.status === 'failed' && out.findings.flatMap((f) => f.exchanges), [item.id]);
  });

  it('delete-204: 204 without body then 404 passes; a body or a lingering item fails', () => {
    const del = exchange({ method: 'DELETE', status: 204 });
    const after = exchange({ status: 404, body: { status: 404 } });
    assert.equal(
      delete204.check(recording([del, after], { 'resources:delete': { d: { delete: del.id, after: after.id } } }), ctx).status,
      'passed',
    );
    const still = exchange({ status: 200, body: {} });
    assert.equal(
      delete204.check(recording([del, still], { 'resources:delete': { d: { delete: del.id, after: still.id } } }), ctx).status,
      'failed',
    );
    const withBody = exchange({ method: 'DELETE', status: 204, body: 'x' });
    assert.equal(
      delete204.check(recording([withBody, after], { 'resources:delete': { d: { delete: withBody.id, after: after.id } } }), ctx).status,
      'failed',
    );
  });

  it('not-found-404 and validation-422 expect their statuses', () => {
    const nf = exchange({ status: 400, body: {} });
    assert.equal(notFound404.check(recording([nf], { 'resources:not-found': { d: nf.id } }), ctx).status, 'failed');
    const v = [exchange({ method: 'POST', status: 422, body: {} }), exchange({ method: 'POST', status: 201, body: {} })];
    const out = validation422.check(recording(v, { 'resources:validation': { d: v.map((e) => e.id) } }), ctx);
    assert.equal(out.status, 'failed');
    assert.match(out.status === 'failed' ? out.message : '', /1 of 2/);
  });

  it('no-server-errors: any 5xx of the run fails; 503 from ready and 501 for TRACE do not count', () => {
    const clean = [
      exchange({ status: 200, body: {} }),
      exchange({ status: 503, path: '/ready', scope: 'health', body: {} }),
      exchange({ method: 'TRACE', status: 501 }),
    ];
    assert.equal(noServerErrors.check(recording(clean), ctx).status, 'passed');
    const crash = exchange({ status: 500, body: { status: 500 }, purpose: 'read an item by a 10 kB id' });
    const out = noServerErrors.check(recording([...clean, crash]), ctx);
    assert.equal(out.status, 'failed');
    assert.match(out.status === 'failed' ? out.findings[0]!.message : '', /10 kB id/);
  });
});
