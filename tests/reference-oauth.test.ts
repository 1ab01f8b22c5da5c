import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TokenSource } from '../src/http/oauth.ts';
import { REFERENCE_CLIENTS } from '../reference/oauth.ts';
import type { RequestLogEntry } from '../reference/app.ts';
import { startReference, type InProcessReference } from './support/reference.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const full = REFERENCE_CLIENTS['conformance-full']!;
const readOnly = REFERENCE_CLIENTS['conformance-read-only']!;

describe('reference POST /oauth/token (client credentials)', () => {
  let ref: InProcessReference;
  let tokenUrl: string;
  const log: RequestLogEntry[] = [];
  before(async () => {
    ref = await startReference({ tokenTtlS: 2, log: (e) => log.push(e) });
    tokenUrl = `${ref.url}/oauth/token`;
  });
  after(async () => {
    await ref.close();
  });

  const mint = async (fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(tokenUrl, { method: 'POST', headers: { ...FORM, ...headers }, body: form(fields) });
  const documents = (token: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${ref.url}/platform/v2/documents`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });

  it('issues a short-lived Bearer token (client_secret_post) that the API accepts until it expires', async () => {
    const res = await mint({ grant_type: 'client_credentials', client_id: 'conformance-full', client_secret: full.secret });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number; scope: string };
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 2);
    assert.equal(body.scope, 'read write');
    assert.equal((await documents(body.access_token)).status, 200);
    await sleep(2_100);
    const expired = await documents(body.access_token);
    assert.equal(expired.status, 401);
    assert.match(expired.headers.get('www-authenticate') ?? '', /token expired/);
  });

  it('accepts client_secret_basic (form-urlencoded id and secret, RFC 6749 §2.3.1)', async () => {
    const basic = Buffer.from(`${encodeURIComponent('conformance-read-only')}:${encodeURIComponent(readOnly.secret)}`).toString('base64');
    const res = await mint({ grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` });
    assert.equal(res.status, 200);
    const { access_token } = (await res.json()) as { access_token: string };
    assert.equal((await documents(access_token)).status, 200, 'read-only may read');
    assert.equal(
      (await documents(access_token, { method: 'POST', body: JSON.stringify({ name: 'x', metadata: {} }) })).status,
      403,
      'but not write',
    );
  });

  it('maps the tenant-b client to the other organisation', async () => {
    const res = await mint({
      grant_type: 'client_credentials',
      client_id: 'conformance-tenant-b',
      client_secret: REFERENCE_CLIENTS['conformance-tenant-b']!.secret,
    });
    const { access_token } = (await res.json()) as { access_token: string };
    const claims = JSON.parse(Buffer.from(access_token.split('.')[1]!, 'base64url').toString()) as { org: string };
    assert.equal(claims.org, 'org-b');
  });

  it('narrows the scope on request and refuses a wider one', async () => {
    const narrowed = await mint({
      grant_type: 'client_credentials',
      client_id: 'conformance-full',
      client_secret: full.secret,
      scope: 'read',
    });
    assert.equal(((await narrowed.json()) as { scope: string }).scope, 'read');
    const wider = await mint({
      grant_type: 'client_credentials',
      client_id: 'conformance-read-only',
      client_secret: readOnly.secret,
      scope: 'read write',
    });
    assert.equal(wider.status, 400);
    assert.equal(((await wider.json()) as { error: string }).error, 'invalid_scope');
  });

  it('answers RFC 6749 §5.2 errors', async () => {
    const badSecret = await mint({ grant_type: 'client_credentials', client_id: 'conformance-full', client_secret: 'nope' });
    assert.equal(badSecret.status, 401);
    assert.equal(((await badSecret.json()) as { error: string }).error, 'invalid_client');
    const badBasic = await mint(
      { grant_type: 'client_credentials' },
      { authorization: `Basic ${Buffer.from('conformance-full:nope').toString('base64')}` },
    );
    assert.equal(badBasic.status, 401);
    assert.match(badBasic.headers.get('www-authenticate') ?? '', /^Basic/);
    const grant = await mint({ grant_type: 'password', client_id: 'conformance-full', client_secret: full.secret });
    assert.equal(grant.status, 400);
    assert.equal(((await grant.json()) as { error: string }).error, 'unsupported_grant_type');
    const json = await fetch(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(json.status, 400);
    const get = await fetch(tokenUrl);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
  });

  // 2 s tokens are refreshed 200 ms before expiry (SPEC §8), enough for a loopback round trip.
  it('runs the whole flow with the harness token source: a refresh before expiry keeps every call authorised', async () => {
    const source = new TokenSource({
      credential: 'reference.bearer',
      config: { token_url: tokenUrl, client_id: 'conformance-full', client_secret: full.secret, auth_method: 'client_secret_basic' },
    });
    const seen = new Set<string>();
    const started = Date.now();
    while (Date.now() - started < 4_500) {
      const token = await source.token();
      seen.add(token);
      assert.equal((await documents(token)).status, 200, `token ${seen.size} refused at ${Date.now() - started} ms`);
      await sleep(50);
    }
    assert.ok(seen.size >= 3, `refreshed mid-run (${seen.size} tokens over 4.5 s of 2 s tokens)`);
    // The client's credentials went to the token endpoint only; the API saw only the tokens.
    const basicSentTo = new Set(log.filter((e) => e.authorization?.startsWith('Basic ')).map((e) => e.url));
    assert.deepEqual([...basicSentTo], ['/oauth/token']);
    assert.ok(
      log
        .filter((e) => e.url !== '/oauth/token')
        .every((e) => !e.url.includes(full.secret) && e.authorization?.startsWith('Bearer ') !== false),
    );
  });
});
