/**
 * OAuth 2.0 client credentials through the real runner (SPEC §3, §8; issue 15): a nightly-style
 * run whose tokens expire during the run still judges every auth rule (no 401 caused by the
 * harness's own expired token), shares one token per credential, and leaks neither a client
 * secret nor a minted token; a refused token request makes the rules needing that credential
 * `error` with the endpoint's answer, never a crash.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { REFERENCE_CLIENTS } from '../reference/oauth.ts';
import { verifyToken } from '../reference/tokens.ts';
import type { RequestLogEntry } from '../reference/app.ts';
import { allText, ROOT, runHarness, ruleOf, tempDir, writeTargets } from './support/harness.ts';
import { startReference } from './support/reference.ts';

const EXAMPLE = join(ROOT, 'examples/nightly-client-credentials.yaml');
const SECRETS = {
  NIGHTLY_FULL_SECRET: REFERENCE_CLIENTS['conformance-full']!.secret,
  NIGHTLY_READ_SECRET: REFERENCE_CLIENTS['conformance-read-only']!.secret,
  NIGHTLY_TENANT_B_SECRET: REFERENCE_CLIENTS['conformance-tenant-b']!.secret,
};

describe('client-credential tokens in a run', () => {
  let reference: Awaited<ReturnType<typeof startReference>>;
  const log: RequestLogEntry[] = [];
  before(async () => {
    reference = await startReference({ tokenTtlS: 1, log: (e) => log.push(e) });
  });
  after(async () => {
    await reference?.close();
  });

  it('nightly: tokens that expire mid-run are refreshed; every auth rule judges; no secret or token in any output', async () => {
    const run = await runHarness({
      targetsFile: EXAMPLE,
      env: { CONFORMANCE_REFERENCE_URL: reference.url, ...SECRETS },
      viaCli: true,
      args: ['--har'],
    });
    assert.ok(run.summary, run.stderr);
    const target = run.summary.targets[0]!;
    const tokenRequests = log.filter((e) => e.url.startsWith('/oauth/token'));
    assert.ok(
      tokenRequests.every((e) => e.status === 200),
      'every token request succeeded',
    );
    const bearers = new Set(
      log.filter((e) => e.authorization?.startsWith('Bearer ') && !e.url.startsWith('/oauth')).map((e) => e.authorization!.slice(7)),
    );
    const durationS = Math.max(...log.map((e) => e.at)) / 1000 - Math.min(...log.map((e) => e.at)) / 1000;
    assert.ok(durationS > 1.5, `the run outlived a token (${durationS.toFixed(1)} s)`);
    // Refreshed, not fetched per request: about one token per credential and lifetime.
    assert.ok(tokenRequests.length >= 4, `tokens were refreshed mid-run (${tokenRequests.length} token requests)`);
    assert.ok(tokenRequests.length <= 3 * (Math.ceil(durationS / 0.9) + 2), `tokens were reused (${tokenRequests.length} token requests)`);
    for (const rule of target.rules.filter((r) => r.area === 'auth')) {
      assert.ok(
        rule.status === 'passed' || (rule.status === 'skipped' && rule.id === 'auth.api-key') || rule.id === 'auth.expired-401',
        `${rule.id}: ${rule.status} ${rule.message}`,
      );
    }
    for (const id of ['auth.forbidden-403', 'auth.cross-tenant', 'auth.invalid-401', 'auth.query-token-rejected', 'status.read-200']) {
      assert.equal(ruleOf(run.summary, 'nightly-platform', id).status, 'passed', id);
    }
    // No request of the harness's was refused for its own token: every 401 answered a probe meant to get one.
    // (Tokens the endpoint issued: well signed, `cc-` ids; the harness's altered variants are not.)
    const issued = (token: string): boolean => {
      const check = verifyToken(token, 0);
      return check.ok && String(check.claims.jti).startsWith('cc-');
    };
    const refusedValid = log.filter((e) => e.status === 401 && e.authorization && issued(e.authorization.slice(7)));
    assert.deepEqual(
      refusedValid.map((e) => `${e.method} ${e.url}`),
      [],
      'no 401 for a token the token endpoint issued',
    );
    const har = join(run.reportDir, 'exchanges.har');
    assert.ok(existsSync(har), 'the HAR was written');
    const texts = [...allText(run.reportDir), run.stdout, run.stderr];
    const minted = [...bearers].filter(issued);
    assert.ok(minted.length >= 4, `${minted.length} tokens minted`);
    for (const secret of [...Object.values(SECRETS), ...minted, ...minted.map((b) => b.split('.')[2]!)]) {
      assert.ok(!texts.some((t) => t.includes(secret)), `secret ${secret.slice(0, 12)}… leaked`);
    }
    // The evidence says how a token was obtained, without the secret or the token.
    const evidence = JSON.stringify(target.rules.flatMap((r) => r.evidence));
    assert.match(
      evidence,
      /token: nightly-platform\.auth\.bearer: POST http:\/\/127\.0\.0\.1:\d+\/oauth\/token grant_type=client_credentials/,
    );
  });

  it('a refused token request: the rules needing that credential are error, naming it and the answer; the rest judge', async () => {
    const doc = parse(readFileSync(EXAMPLE, 'utf8')) as { targets: Record<string, { auth: Record<string, unknown> }> };
    const dir = tempDir('oauth-refused');
    const file = writeTargets(dir, doc);
    const run = await runHarness({
      targetsFile: file,
      env: { CONFORMANCE_REFERENCE_URL: reference.url, ...SECRETS, NIGHTLY_READ_SECRET: 'WRONG-SECRET-canary-91f2' },
      viaCli: true,
      args: ['--', '--grep', '@auth'],
    });
    assert.ok(run.summary, run.stderr);
    const forbidden = ruleOf(run.summary, 'nightly-platform', 'auth.forbidden-403');
    assert.equal(forbidden.status, 'error');
    assert.match(forbidden.message, /auth\.limited_bearer/);
    assert.match(forbidden.message, /\/oauth\/token/);
    assert.match(forbidden.message, /401: invalid_client \(Client authentication failed\)/);
    assert.equal(ruleOf(run.summary, 'nightly-platform', 'auth.cross-tenant').status, 'passed');
    assert.equal(ruleOf(run.summary, 'nightly-platform', 'auth.invalid-401').status, 'passed');
    const texts = [...allText(run.reportDir), run.stdout, run.stderr];
    assert.ok(!texts.some((t) => t.includes('WRONG-SECRET-canary-91f2')), 'the wrong secret is redacted too');
  });
});
