import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Har } from 'har-format';
import { ProbeClient } from '../src/http/client.ts';
import type { Exchange } from '../src/http/exchange.ts';
import { Redactor } from '../src/http/redact.ts';
import { exchangesToHar, exchangeToEntry, mergeHar, mergeHarFiles, type HarEntry } from '../src/report/har.ts';
import { describeSchemaError, loadSchemas } from '../src/spec/schemas.ts';
import { mintToken } from '../reference/tokens.ts';
import { exchange, target } from './support/exchanges.ts';
import { startReference, type InProcessReference } from './support/reference.ts';

const CANARY = 'canary-5e1f9c0d7b';
const JWT_CANARY = mintToken({ jti: 'har-jwt-canary' });

function assertValidHar(har: Har): void {
  const errors = loadSchemas().validate('har-1.2', har);
  assert.deepEqual(errors.map(describeSchemaError), []);
  for (const e of har.log.entries) {
    // HAR 1.2: time is the sum of the timings that apply (-1 = does not apply).
    const sum = Object.entries(e.timings)
      .filter(([k, v]) => k !== 'comment' && typeof v === 'number' && v >= 0)
      .reduce((s, [, v]) => s + (v as number), 0);
    assert.equal(sum, e.time);
  }
}

/** An exchange whose recorder missed every secret: the HAR must still hold none. */
function leaky(): Exchange {
  const base = exchange({ method: 'POST', status: 201, body: { token: CANARY, jwt: JWT_CANARY } });
  return {
    ...base,
    purpose: `create with ${CANARY}`,
    request: {
      method: 'POST',
      url: `http://127.0.0.1:9/base/v2/documents?access_token=${CANARY}`,
      headers: {
        authorization: `Bearer ${CANARY}`,
        'x-api-key': 'rk_org-a_0123456789abcdef',
        cookie: `session=${CANARY}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: CANARY, nested: JWT_CANARY }),
      bodyBytes: 60,
    },
    response: {
      ...base.response!,
      headers: {
        'content-type': 'application/json',
        'set-cookie': [`sid=${CANARY}; HttpOnly; Secure`],
        location: `/v2/documents/1?t=${CANARY}`,
      },
    },
    notes: [`retried with ${CANARY}`],
  };
}

describe('HAR 1.2 export', () => {
  it('turns exchanges into a valid HAR: request, response, query, cookies, truncation, transport errors', () => {
    const truncated = exchange({ body: 'x'.repeat(100), headers: { 'content-type': 'text/plain' } });
    const big: Exchange = { ...truncated, response: { ...truncated.response!, bodyBytes: 5_000_100, droppedBytes: 5_000_000 } };
    const broken = exchange({ error: 'connect ECONNREFUSED 127.0.0.1:9' });
    const binary = exchange({ body: 'PNG\ufffd\ufffd', headers: { 'content-type': 'image/png' } });
    // Entries are sorted by start: fixed, increasing times keep this order.
    const at = (e: Exchange, s: number): Exchange => ({ ...e, startedAt: `2026-01-01T00:00:0${s}.000Z` });
    const har = exchangesToHar([at(leaky(), 0), at(big, 1), at(broken, 2), at(binary, 3)], { target: 'staging' });
    assertValidHar(har);
    assert.equal(har.log.version, '1.2');
    const [post, trunc, failed, png] = har.log.entries as HarEntry[];
    assert.equal(post!.request.method, 'POST');
    assert.deepEqual(
      post!.request.queryString.map((q) => q.name),
      ['access_token'],
    );
    assert.equal(post!.request.postData?.mimeType, 'application/json');
    assert.equal(post!.response.status, 201);
    assert.equal(post!.response.statusText, 'Created');
    assert.deepEqual(post!.response.cookies[0], { name: 'sid', value: '[REDACTED cookie]', httpOnly: true, secure: true });
    assert.equal(post!._conformance.target, 'staging');
    assert.match(trunc!.response.content.comment ?? '', /truncated: first 100 bytes kept, 5000000 dropped/);
    assert.equal(trunc!.response.content.size, 5_000_100);
    assert.equal(failed!.response.status, 0);
    assert.match(failed!._error ?? '', /ECONNREFUSED/);
    assert.match(png!.response.content.comment ?? '', /non-text body/);
  });

  it('holds no secret even when an exchange arrives unredacted', () => {
    const redactor = new Redactor([{ value: CANARY, key: 'staging.bearer' }]);
    const har = exchangesToHar([leaky()], { redactor });
    assertValidHar(har);
    assert.equal(har.log.entries[0]!.request.queryString[0]!.value, '[REDACTED staging.bearer]', 'the marker survives as a URL');
    const withRedactor = JSON.stringify(har);
    assert.ok(!withRedactor.includes(CANARY), 'the run redactor applies again');
    assert.ok(!withRedactor.includes(JWT_CANARY), 'JWT-shaped values are hidden');
    assert.match(withRedactor, /Bearer \[REDACTED staging\.bearer\]/);
    // Without the redactor: credential headers and cookies are still hidden, whatever they hold.
    const entry = exchangeToEntry(leaky());
    const headers = Object.fromEntries(entry.request.headers.map((h) => [h.name, h.value]));
    assert.equal(headers.authorization, 'Bearer [REDACTED authorization]');
    assert.equal(headers['x-api-key'], '[REDACTED x-api-key]');
    assert.equal(headers.cookie, 'session=[REDACTED cookie]');
    assert.ok(!JSON.stringify(entry.request.headers).includes(CANARY));
    assert.ok(!JSON.stringify(entry).includes(JWT_CANARY));
  });

  it('merges the HAR files of a sharded run in start order', () => {
    const early = { ...exchange({ path: '/a' }), startedAt: '2026-01-01T00:00:00.000Z' };
    const late = { ...exchange({ path: '/b' }), startedAt: '2026-01-01T00:00:01.000Z' };
    const dir = mkdtempSync(join(tmpdir(), 'har-'));
    try {
      writeFileSync(join(dir, '1.har'), JSON.stringify(exchangesToHar([late])));
      writeFileSync(join(dir, '2.har'), JSON.stringify(exchangesToHar([early])));
      const merged = mergeHarFiles([join(dir, '1.har'), join(dir, '2.har')]);
      assertValidHar(merged);
      assert.deepEqual(
        merged.log.entries.map((e) => new URL(e.request.url).pathname),
        ['/base/a', '/base/b'],
      );
      assert.match(merged.log.comment ?? '', /merged from 2/);
      assert.equal(mergeHar([]).log.entries.length, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('from a real recording against the reference', () => {
    let ref: InProcessReference;
    before(async () => {
      ref = await startReference();
    });
    after(async () => {
      await ref.close();
    });

    it('is valid and carries no bearer token', async () => {
      const token = mintToken({ jti: CANARY });
      const client = new ProbeClient(target('platform', `    auth:\n      bearer: ${token}\n`, `${ref.url}/platform`), {
        sleep: async () => undefined,
      });
      await client.send({
        probe: 'list',
        purpose: 'GET list',
        method: 'GET',
        path: '/v2/documents',
        credential: 'bearer',
        query: { limit: 2 },
      });
      await client.send({
        probe: 'create',
        purpose: 'POST create',
        method: 'POST',
        path: '/v2/documents',
        credential: 'bearer',
        json: { name: 'har', metadata: {} },
      });
      await client.send({ probe: 'auth:missing', purpose: 'no credential', method: 'GET', path: '/v2/documents', credential: 'none' });
      await client.close();
      const har = exchangesToHar(client.exchanges, { redactor: client.redactor, target: 'reference' });
      assertValidHar(har);
      assert.deepEqual(
        har.log.entries.map((e) => e.response.status),
        [200, 201, 401],
      );
      const text = JSON.stringify(har);
      assert.ok(!text.includes(token) && !text.includes(CANARY));
    });
  });
});
