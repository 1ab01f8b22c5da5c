import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { methodsDeleteIdempotent as deleteIdempotent } from '../src/rules/methods/delete-idempotent.ts';
import { methodsGetSafe as getSafe } from '../src/rules/methods/get-safe.ts';
import { methodsPutIdempotent as putIdempotent } from '../src/rules/methods/put-idempotent.ts';
import { differences, formatDifferences } from '../src/rules/methods/representation.ts';
import type { Outcome } from '../src/rules/types.ts';
import { context, exchange, recording } from './support/exchanges.ts';

const platform = context('platform');
const backend = context('backend');
const findings = (o: Outcome) => (o.status === 'failed' ? o.findings : []);
const doc = (
  over: object = {},
  meta: object = { request_id: Math.random().toString(), timestamp: new Date().toISOString() },
  method = 'GET',
) =>
  exchange({
    method,
    path: '/v2/documents/a',
    body: { data: { id: 'a', name: 'n', updated_at: '2024-01-01T00:00:00.100Z', ...over }, metadata: meta },
  });

describe('methods checks', () => {
  it('differences lists JSON paths, honours ignored keys, and formats compactly', () => {
    const d = differences({ a: 1, b: { c: [1, 2] }, x_at: 1 }, { a: 2, b: { c: [1] }, x_at: 2 }, (k) => k.endsWith('_at'));
    assert.equal(formatDifferences(d), '$.a: 1 → 2; $.b.c[1]: 2 → (absent)');
  });

  it('put-idempotent: compares data (never metadata), `*_at` aside; a diff is the evidence', () => {
    const run = (p1: ReturnType<typeof doc>, p2: ReturnType<typeof doc>, g1 = doc(), g2 = doc()) =>
      putIdempotent.check(
        recording([p1, p2, g1, g2], { 'methods:put-twice': { documents: { puts: [p1.id, p2.id], reads: [g1.id, g2.id] } } }),
        platform,
      );
    assert.equal(run(doc({}, undefined, 'PUT'), doc({ updated_at: '2030-01-01T00:00:00Z' }, undefined, 'PUT')).status, 'passed');
    const out = run(doc({ revision: 1 }, undefined, 'PUT'), doc({ revision: 2 }, undefined, 'PUT'));
    assert.equal(out.status, 'failed');
    assert.match(findings(out)[0]!.message, /\$\.data\.revision: 1 → 2/);
    const second = exchange({ method: 'PUT', status: 409, body: { status: 409 } });
    assert.match(findings(run(doc({}, undefined, 'PUT'), second))[0]!.message, /answered 409 where the first answered 200/);
  });

  it('put-idempotent: a PUT answering 204 is judged by the reads after it', () => {
    const p1 = exchange({ method: 'PUT', status: 204 });
    const p2 = exchange({ method: 'PUT', status: 204 });
    const g1 = exchange({ body: { id: 'a', name: 'x' } });
    const g2 = exchange({ body: { id: 'a', name: 'x-x' } });
    const out = putIdempotent.check(
      recording([p1, p2, g1, g2], { 'methods:put-twice': { s: { puts: [p1.id, p2.id], reads: [g1.id, g2.id] } } }),
      backend,
    );
    assert.equal(findings(out)[0]!.at, '$.name');
  });

  it('put-idempotent: nothing to compare when the first PUT failed', () => {
    const p1 = exchange({ method: 'PUT', status: 422, body: { status: 422 } });
    const p2 = exchange({ method: 'PUT', status: 422, body: { status: 422 } });
    assert.equal(
      putIdempotent.check(recording([p1, p2], { 'methods:put-twice': { d: { puts: [p1.id, p2.id], reads: [] } } }), platform).status,
      'skipped',
    );
  });

  it('get-safe: every field counts, updated_at included', () => {
    const run = (a: ReturnType<typeof doc>, b: ReturnType<typeof doc>) =>
      getSafe.check(recording([a, b], { 'methods:get-twice': { documents: { reads: [a.id, b.id], gapMs: 25 } } }), platform);
    assert.equal(run(doc(), doc()).status, 'passed', 'metadata differs, data does not');
    const out = run(doc(), doc({ updated_at: '2024-01-01T00:00:00.200Z' }));
    assert.equal(findings(out)[0]!.at, '$.data.updated_at');
    assert.equal(getSafe.check(recording([]), platform).status, 'skipped');
  });

  it('get-safe says why nothing was compared: no item id known, a failed read, or no JSON item', () => {
    const declared = context(
      'platform',
      '    resources:\n      - { name: documents, collection: /v2/documents, item: "/v2/documents/{id}" }\n',
    );
    const none = getSafe.check(recording([]), declared);
    assert.match(none.status === 'skipped' ? none.message : '', /documents: no item id known \(none was created, and its list gave none/);
    const html = exchange({ status: 200, body: '<html></html>', headers: { 'content-type': 'text/html' } });
    const html2 = exchange({ status: 200, body: '<html></html>', headers: { 'content-type': 'text/html' } });
    const out = getSafe.check(
      recording([html, html2], { 'methods:get-twice': { documents: { reads: [html.id, html2.id], gapMs: 25 } } }),
      platform,
    );
    assert.match(out.status === 'skipped' ? out.message : '', /documents: the reads carry no JSON item to compare/);
  });

  it('delete-idempotent: 404 or 204 pass; 410 and 5xx fail', () => {
    for (const [status, expected] of [
      [404, 'passed'],
      [204, 'passed'],
      [410, 'failed'],
      [500, 'failed'],
    ] as const) {
      const first = exchange({ method: 'DELETE', status: 204 });
      const second = exchange({ method: 'DELETE', status, body: status === 204 ? undefined : { status } });
      assert.equal(
        deleteIdempotent.check(
          recording([first, second], { 'methods:delete-again': { d: { first: first.id, second: second.id } } }),
          platform,
        ).status,
        expected,
        String(status),
      );
    }
    assert.equal(deleteIdempotent.check(recording([]), platform).status, 'skipped');
  });
});
