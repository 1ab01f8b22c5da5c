import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { versioningDeprecationHeader as deprecationHeader } from '../src/rules/versioning/deprecation-header.ts';
import { versioningPrefix as prefix } from '../src/rules/versioning/prefix.ts';
import { versioningUnknownVersion as unknownVersion } from '../src/rules/versioning/unknown-version.ts';
import type { Outcome } from '../src/rules/types.ts';
import { underPrefix } from '../src/probes/versioning.ts';
import { context, exchange, recording } from './support/exchanges.ts';

const resource = (collection: string, item = `${collection}/{id}`) =>
  `    resources:\n      - name: things\n        collection: ${collection}\n        item: ${item}\n`;
const findings = (o: Outcome) => (o.status === 'failed' ? o.findings : []);
const doc = (paths: string[], servers?: { url: string }[]) =>
  exchange({
    scope: 'docs',
    path: '/openapi.json',
    body: {
      openapi: '3.1.0',
      ...(servers ? { servers } : {}),
      paths: Object.fromEntries(paths.map((p) => [p, { get: { responses: {} } }])),
    },
  });

describe('versioning checks', () => {
  it('prefix: declared resources and OpenAPI paths (health/docs aside) need /v{n}/', () => {
    const ctx = context('backend', resource('/v1/sessions'));
    const d = doc(['/v1/sessions', '/v1/sessions/{id}', '/health', '/ready', '/openapi.json', '/docs']);
    assert.equal(prefix.check(recording([d], { 'openapi:document': { exchange: d.id } }), ctx).status, 'passed');
    const bad = doc(['/v1/sessions', '/sessions']);
    const out = prefix.check(recording([bad], { 'openapi:document': { exchange: bad.id } }), ctx);
    assert.equal(out.status, 'failed');
    assert.deepEqual(
      findings(out).map((f) => [f.at, f.exchanges]),
      [['/sessions', [bad.id]]],
    );
  });

  it('prefix: without a served document only declared resources are judged', () => {
    const missing = exchange({ scope: 'docs', path: '/openapi.json', status: 404, body: { status: 404 } });
    const ctx = context('backend', resource('/sessions'));
    const out = prefix.check(recording([missing], { 'openapi:document': { exchange: missing.id } }), ctx);
    assert.equal(out.status, 'failed');
    assert.match(findings(out)[0]!.message, /declared resource things/);
    assert.equal(prefix.check(recording([]), context('backend')).status, 'skipped');
  });

  it('prefix: platform service prefixes count; backend has none', () => {
    assert.equal(prefix.check(recording([]), context('platform', resource('/docs/documents'))).status, 'passed');
    assert.equal(prefix.check(recording([]), context('backend', resource('/docs/documents'))).status, 'failed');
  });

  it('prefix: servers[0] adds its path to the document paths', () => {
    const d = doc(['/sessions'], [{ url: '/base/v1' }]);
    assert.equal(prefix.check(recording([d], { 'openapi:document': { exchange: d.id } }), context('backend')).status, 'passed');
  });

  it('deprecation-header: 2xx under deprecated prefixes need Deprecation; Sunset/Link are reported, not failed', () => {
    const ctx = context('platform', '    deprecated_prefixes: [/v1]\n');
    const full = exchange({
      path: '/v1/documents',
      body: { items: [] },
      headers: { deprecation: '@1719792000', sunset: 'Wed, 01 Jul 2026 00:00:00 GMT', link: '</v2/documents>; rel="successor-version"' },
    });
    const partial = exchange({ path: '/v1/documents/a', body: {}, headers: { deprecation: 'version="v1" date="2024-06-01"' } });
    const current = exchange({ path: '/v2/documents', body: { items: [] } });
    const out = deprecationHeader.check(recording([full, partial, current]), ctx);
    assert.equal(out.status, 'passed');
    assert.match(out.message, /1 lack Sunset \(should\)/);
    const none = exchange({ path: '/v1/documents', body: { items: [] } });
    assert.equal(deprecationHeader.check(recording([none]), ctx).status, 'failed');
    const gone = exchange({ path: '/v1/documents', status: 404, body: { status: 404 } });
    const skipped = deprecationHeader.check(recording([gone]), ctx);
    assert.equal(skipped.status, 'skipped');
    assert.match(skipped.message, /saw GET .* → 404/);
  });

  it('deprecation probe paths: the version of each resource is swapped for the deprecated prefix', () => {
    const r = { name: 'd', collection: '/v2/documents', item: '/v2/documents/{id}', requiresAuth: true, seedItems: 0 };
    assert.equal(underPrefix(r, '/v1'), '/v1/documents');
    assert.equal(underPrefix(r, '/v2/'), undefined);
    assert.equal(underPrefix({ ...r, collection: '/docs/documents' }, '/v1'), undefined);
  });

  it('unknown-version: 404 with the error shape passes; 200 or a bare 404 fails', () => {
    const ctx = context('platform');
    const good = exchange({ path: '/v99/documents', status: 404, body: { type: 'about:blank', title: 'Not Found', status: 404 } });
    assert.equal(unknownVersion.check(recording([good], { 'versioning:unknown-version': { documents: good.id } }), ctx).status, 'passed');
    const served = exchange({ path: '/v99/documents', status: 200, body: { items: [] } });
    const out = unknownVersion.check(recording([served], { 'versioning:unknown-version': { documents: served.id } }), ctx);
    assert.match(findings(out)[0]!.message, /served as if it existed/);
    const bare = exchange({ path: '/v99/documents', status: 404, body: 'Not Found', headers: { 'content-type': 'text/plain' } });
    assert.equal(unknownVersion.check(recording([bare], { 'versioning:unknown-version': { documents: bare.id } }), ctx).status, 'failed');
  });
});
