import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { cacheKey, refreshAt, TokenRequestError, TokenSource, type ClientCredentialsConfig } from '../src/http/oauth.ts';
import { Redactor } from '../src/http/redact.ts';
import { startTokenServer, type TokenServer } from './support/token-server.ts';

const SECRET = 'client-secret-canary-8f3a';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const config = (server: TokenServer, extra: Partial<ClientCredentialsConfig> = {}): ClientCredentialsConfig => ({
  token_url: server.url,
  client_id: 'client-1',
  client_secret: SECRET,
  ...extra,
});

describe('refreshAt (SPEC §8: the smaller of 10 s and a tenth of the lifetime)', () => {
  it('a tenth of a short lifetime', () => assert.equal(refreshAt(0, 2_000), 1_800));
  it('10 s of a long one', () => assert.equal(refreshAt(0, 86_400_000), 86_390_000));
  it('exactly 10 s at a 100 s lifetime', () => assert.equal(refreshAt(1_000, 101_000), 91_000));
});

describe('OAuth 2.0 client credentials token source', () => {
  let server: TokenServer;
  before(async () => {
    server = await startTokenServer({ ttlS: 2 });
  });
  after(async () => {
    await server.close();
  });

  it('fetches once and reuses the token, concurrent callers included', async () => {
    const before = server.requests.length;
    const source = new TokenSource({ credential: 't.bearer', config: config(server) });
    const [a, b] = await Promise.all([source.token(), source.token()]);
    assert.equal(a, b);
    assert.equal(await source.token(), a);
    assert.equal(server.requests.length - before, 1);
  });

  it('refreshes before expiry (2 s token: after 1.8 s, before 2 s)', async () => {
    const source = new TokenSource({ credential: 't.bearer', config: config(server) });
    const first = await source.token();
    await sleep(1_300);
    assert.equal(await source.token(), first, 'still reused at 1.3 s');
    await sleep(550);
    const second = await source.token();
    assert.notEqual(second, first, 'a new token from 1.8 s on');
    assert.ok(server.issued.get(first)! > Date.now(), 'the old token had not expired yet when it was replaced');
  });

  it('sends client_secret_post by default and client_secret_basic on request, with audience and scope', async () => {
    const start = server.requests.length;
    await new TokenSource({ credential: 'p', config: config(server, { audience: 'https://api.example', scope: 'read' }) }).token();
    await new TokenSource({ credential: 'b', config: config(server, { auth_method: 'client_secret_basic' }) }).token();
    const [post, basic] = server.requests.slice(start);
    assert.equal(post?.method, 'client_secret_post');
    assert.equal(post?.form.grant_type, 'client_credentials');
    assert.equal(post?.form.audience, 'https://api.example');
    assert.equal(post?.form.scope, 'read');
    assert.equal(basic?.method, 'client_secret_basic');
    assert.equal(basic?.clientId, 'client-1');
    assert.equal(basic?.form.client_secret, undefined, 'basic puts no secret in the body');
  });

  it('registers the secret and each token with the redactor', async () => {
    const redactor = new Redactor();
    const source = new TokenSource({ credential: 'staging.bearer', config: config(server), redactor });
    const token = await source.token();
    const out = redactor.text(`Authorization: Bearer ${token}; secret=${SECRET}`);
    assert.ok(!out.includes(token) && !out.includes(SECRET), out);
    assert.match(out, /\[REDACTED staging\.bearer\]/);
    assert.match(out, /\[REDACTED staging\.bearer\.client_secret\]/);
  });

  // The endpoint answers slowly, so the second process finds the first one's lock and waits.
  it('shares one token between worker processes through the cache directory', async () => {
    const slow = await startTokenServer({ ttlS: 30, delayMs: 1_000 });
    const dir = mkdtempSync(join(tmpdir(), 'oauth-cache-'));
    try {
      const run = promisify(execFile);
      const child = (): Promise<{ stdout: string }> =>
        run(process.execPath, ['--import', 'tsx', 'tests/support/oauth-child.ts', slow.url, join(dir, '.tokens')]);
      const [a, b] = await Promise.all([child(), child()]);
      assert.equal(a.stdout.trim(), b.stdout.trim());
      assert.match(a.stdout, /^tok-1-/);
      assert.equal(slow.requests.length, 1, 'one token request for both processes');
      const files = readdirSync(join(dir, '.tokens'));
      assert.deepEqual(
        files.filter((f) => !f.endsWith('.json')),
        [],
        `no lock or temp file left: ${files.join(', ')}`,
      );
      const cache = join(dir, '.tokens', files[0]!);
      assert.equal(statSync(cache).mode & 0o777, 0o600);
      assert.ok(!readFileSync(cache, 'utf8').includes(SECRET), 'the cache holds no client secret');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await slow.close();
    }
  });

  it('breaks a stale lock left by a dead process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oauth-stale-'));
    try {
      const source = new TokenSource({ credential: 's', config: config(server), cacheDir: dir, lockStaleMs: 100 });
      writeFileSync(join(dir, `${cacheKey('s', config(server))}.lock`), 'dead');
      assert.match(await source.token(), /^tok-/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a refused request is one typed error naming the credential and the answer, without the secret', async () => {
    const refusing = await startTokenServer({
      refuse: {
        status: 401,
        body: JSON.stringify({ error: 'invalid_client', error_description: `Client authentication failed for secret ${SECRET}` }),
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'oauth-fail-'));
    try {
      const source = new TokenSource({ credential: 'staging.limited_bearer', config: config(refusing), cacheDir: dir });
      const error = await source.token().then(
        () => assert.fail('no error'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof TokenRequestError);
      assert.equal(error.credential, 'staging.limited_bearer');
      assert.equal(error.status, 401);
      assert.equal(error.error, 'invalid_client');
      assert.match(error.message, /staging\.limited_bearer/);
      assert.match(error.message, new RegExp(refusing.url.replace(/[.]/g, '\\.')));
      assert.match(error.message, /401: invalid_client \(Client authentication failed/);
      assert.ok(!JSON.stringify({ m: error.message, e: error }).includes(SECRET), error.message);
      // Remembered: other callers and processes get the same error without asking again.
      await assert.rejects(source.token(), TokenRequestError);
      const other = new TokenSource({ credential: 'staging.limited_bearer', config: config(refusing), cacheDir: dir });
      await assert.rejects(other.token(), /invalid_client/);
      assert.equal(refusing.requests.length, 1);
      for (const f of readdirSync(dir)) assert.ok(!readFileSync(join(dir, f), 'utf8').includes(SECRET), f);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await refusing.close();
    }
  });

  it('an unreachable endpoint is the same typed error', async () => {
    const gone = await startTokenServer();
    await gone.close();
    const source = new TokenSource({ credential: 'x.bearer', config: config(gone) });
    await assert.rejects(source.token(), (e: unknown) => e instanceof TokenRequestError && /could not reach.*ECONNREFUSED/.test(e.message));
  });

  it('gives a redacted evidence line: the request without its secret, the token hidden, its lifetime', async () => {
    const redactor = new Redactor();
    const source = new TokenSource({ credential: 'staging.bearer', config: config(server, { scope: 'read' }), redactor });
    const token = await source.token();
    const line = source.evidence() ?? '';
    assert.match(
      line,
      /^staging\.bearer: POST http:\/\/127\.0\.0\.1:\d+\/oauth\/token grant_type=client_credentials&client_id=client-1&scope=read \(client_secret_post, secret not shown\) → Bearer \[REDACTED staging\.bearer\] obtained .+, expires .+, reused until .+$/,
    );
    assert.ok(!line.includes(token) && !line.includes(SECRET));
  });

  it('without expires_in, a JWT token is reused until shortly before its exp', async () => {
    const exp = Math.floor(Date.now() / 1000) + 100;
    const jwt = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.sig`;
    const jwtServer = await startTokenServer({ success: () => ({ access_token: jwt, token_type: 'Bearer' }) });
    try {
      const source = new TokenSource({ credential: 'j', config: config(jwtServer) });
      assert.equal(await source.token(), jwt);
      assert.equal(source.held()?.expires_at, exp * 1000);
      const held = source.held()!;
      assert.equal(held.refresh_at, refreshAt(held.obtained_at, exp * 1000));
      assert.ok(held.refresh_at! < exp * 1000 && held.refresh_at! >= exp * 1000 - 10_000);
    } finally {
      await jwtServer.close();
    }
  });

  it('refuses a token that is not a Bearer token', async () => {
    const mac = await startTokenServer({ success: () => ({ access_token: 'mac-token-value', token_type: 'mac', expires_in: 60 }) });
    try {
      const source = new TokenSource({ credential: 'm', config: config(mac) });
      await assert.rejects(
        source.token(),
        (e: unknown) => e instanceof TokenRequestError && /token_type/.test(e.message) && !e.message.includes('mac-token-value'),
      );
    } finally {
      await mac.close();
    }
  });

  it('refuses plain http to anything but loopback (the secret would cross the network in clear)', () => {
    assert.throws(
      () =>
        new TokenSource({
          credential: 'x',
          config: { token_url: 'http://auth.example.com/oauth/token', client_id: 'c', client_secret: SECRET },
        }),
      /must be https/,
    );
  });
});
