/**
 * The auth, methods, versioning and observability probes against the reference API, in
 * process: read-only mode sends no write; values derived from the bearer (alg-none and
 * re-signed JWTs, an altered API key) never appear in what the run keeps.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { referenceCredentials } from '../reference/tokens.ts';
import { parseTargets } from '../src/config/load.ts';
import type { Target } from '../src/config/target.ts';
import { recordTarget } from '../src/harness/recording.ts';
import { RULES } from '../src/rules/registry.ts';
import { startReference } from './support/reference.ts';

const MINE = /^(auth|format|versioning|observability|methods)\./;

function targetFor(url: string, profile: 'platform' | 'backend', mode: 'read-only' | 'mutating'): Target {
  const c = referenceCredentials();
  const collection = profile === 'platform' ? '/v2/documents' : '/v1/sessions';
  const yaml = `version: 1
targets:
  t:
    base_url: ${url}/${profile}
    profile: ${profile}
    mode: ${mode}
    auth:
      bearer: \${B}
      api_key: \${K}
      limited_bearer: \${L}
      expired_bearer: \${E}
      other_tenant_bearer: \${O}
    deprecated_prefixes: [${profile === 'platform' ? '/v1' : '/v0'}]
    resources:
      - name: things
        collection: ${collection}
        item: ${collection}/{id}
        create: { name: probe, metadata: {} }
        update: { name: probe-renamed, metadata: {} }
`;
  return parseTargets(yaml, 'inline.yaml', {
    B: c.REFERENCE_BEARER,
    K: c.REFERENCE_API_KEY,
    L: c.REFERENCE_LIMITED_BEARER,
    E: c.REFERENCE_EXPIRED_BEARER,
    O: c.REFERENCE_TENANT_B_BEARER,
  })[0]!;
}

describe('auth/methods/versioning/observability probes against the reference', () => {
  let reference: Awaited<ReturnType<typeof startReference>>;
  before(async () => {
    reference = await startReference();
  });
  after(async () => {
    await reference?.close();
  });

  it('read-only mode sends only GETs and still probes every protected GET', async () => {
    const rec = await recordTarget(
      targetFor(reference.url, 'platform', 'read-only'),
      RULES.filter((r) => MINE.test(r.id)),
    );
    const methods = new Set(rec.exchanges.map((e) => e.request.method));
    assert.deepEqual([...methods], ['GET']);
    assert.ok(
      rec.exchanges.some((e) => e.probe === 'auth:invalid'),
      'invalid tokens are probed on reads',
    );
    assert.equal(rec.outputs['auth:cross-tenant'], undefined);
  });

  it('derived secrets are redacted in headers, curl lines and bodies; created items are cleaned up', async () => {
    const target = targetFor(reference.url, 'platform', 'mutating');
    const rec = await recordTarget(
      target,
      RULES.filter((r) => MINE.test(r.id)),
    );
    const text = JSON.stringify(rec);
    const bearer = target.auth.bearer!;
    const [, payload, signature] = bearer.split('.');
    assert.ok(!text.includes(payload!), 'the bearer payload (also in the alg-none token) never appears');
    assert.ok(!text.includes(signature!.slice(1)), 'the altered signature never appears');
    assert.ok(!text.includes(target.auth.api_key!.slice(0, -6)), 'the altered API key never appears');
    assert.match(text, /REDACTED auth\.bearer \(derived\)/);
    assert.match(text, /REDACTED auth\.api_key \(derived\)/);
    assert.deepEqual(rec.leftovers, []);
    const invalid = rec.exchanges.filter((e) => e.probe === 'auth:invalid');
    // Every invalid token on the collection read, and every other operation with one of them, in turn.
    assert.equal(invalid.length, 9, '5 invalid tokens + 4 more operations');
    assert.equal(new Set(invalid.map((e) => `${e.request.method} ${e.path.replace(/[0-9a-f-]{36}/, '{id}')}`)).size, 5, 'all 5 operations');
    assert.equal(new Set(invalid.map((e) => e.purpose.replace(/^.* with /, ''))).size, 5, 'all 5 invalid tokens');
    assert.ok(invalid.every((e) => e.response?.status === 401));
  });
});
