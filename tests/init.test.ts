/**
 * `conformance init` (SPEC §2; issue 15) against the reference's two embedded targets and
 * against a service with no OpenAPI document: it sends only GETs, writes a file that passes
 * `validate` without any credential in the environment, and `run` on it works, its skipped
 * rules naming the key to add. Unusable input exits 2 and writes nothing; nothing is overwritten
 * without --force.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import type { RequestLogEntry } from '../reference/app.ts';
import { referenceCredentials } from '../reference/tokens.ts';
import { ROOT, runHarness, ruleOf, tempDir } from './support/harness.ts';
import { startReference } from './support/reference.ts';

/** Not spawnSync: the reference answers from this process's event loop. */
const cli = (args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/conformance.mjs'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => done({ code: code ?? -1, stdout, stderr }));
  });

/** Keys a skipped rule may point at: every `missing-prerequisite` message names one. */
const KEY = /auth\.\w+|mode: mutating|cors\.allowed_origins|rate_limit\.burst|deprecated_prefixes|resources|uploads|streams|requires_auth/;

describe('conformance init', () => {
  let reference: Awaited<ReturnType<typeof startReference>>;
  const log: RequestLogEntry[] = [];
  let bare: Server;
  let bareUrl: string;
  before(async () => {
    reference = await startReference({ log: (e) => log.push(e) });
    // A service with health and nothing else: no document.
    bare = createServer((req, res) => {
      res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(req.url === '/health' ? '{"status":"ok"}' : '{"detail":"Not Found"}');
    });
    await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
    bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  });
  after(async () => {
    await reference?.close();
    await new Promise<void>((r) => bare?.close(() => r()));
  });

  it('platform: GETs only; the file declares what discovery found, validates without env, and runs with skips naming their key', async () => {
    const dir = tempDir('init-platform');
    const out = join(dir, 'targets.yaml');
    const before = log.length;
    const init = await cli([
      'init',
      '--base-url',
      `${reference.url}/platform`,
      '--profile',
      'platform',
      '--name',
      'ref-platform',
      '--out',
      out,
    ]);
    assert.equal(init.code, 0, init.stderr);
    assert.deepEqual([...new Set(log.slice(before).map((e) => e.method))], ['GET'], 'GETs only');
    const text = readFileSync(out, 'utf8');
    const doc = parse(text) as { targets: Record<string, Record<string, unknown>> };
    const t = doc.targets['ref-platform']!;
    assert.equal(t.mode, 'read-only');
    assert.deepEqual(
      (t.resources as { name: string; collection: string; create?: object }[]).map((r) => [r.name, r.collection, !!r.create]),
      [['documents', '/v2/documents', true]],
    );
    assert.ok(t.uploads && t.streams, 'uploads and streams from the document');
    assert.match(text, /bearer: \$\{REF_PLATFORM_TOKEN:-\}\s+# a valid token; unlocks /);
    assert.match(text, /limited_bearer: .*unlocks auth\.forbidden-403/);
    assert.match(text, /mode: read-only\s+# mode: mutating unlocks status\.create-201/);
    assert.match(text, /oauth2_client_credentials/);
    assert.equal((await cli(['validate', '--targets', out])).code, 0);

    const run = await runHarness({ targetsFile: out, viaCli: true });
    assert.equal(run.code, 0, run.stdout.slice(-2000));
    const rules = run.summary!.targets[0]!.rules;
    assert.deepEqual(
      rules.filter((r) => r.status === 'failed' || r.status === 'error').map((r) => `${r.id}: ${r.message}`),
      [],
    );
    const prerequisites = rules.filter((r) => r.reason === 'missing-prerequisite' || r.reason === 'read-only');
    assert.ok(prerequisites.length > 10);
    for (const r of prerequisites) assert.match(r.message, KEY, `${r.id}: ${r.message}`);
    assert.match(ruleOf(run.summary!, 'ref-platform', 'auth.forbidden-403').message, /auth\.limited_bearer/);

    // Never overwritten without --force.
    writeFileSync(out, '# mine\n');
    const again = await cli(['init', '--base-url', `${reference.url}/platform`, '--profile', 'platform', '--out', out]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /--force/);
    assert.equal(readFileSync(out, 'utf8'), '# mine\n');
    assert.equal(
      (await cli(['init', '--base-url', `${reference.url}/platform`, '--profile', 'platform', '--out', out, '--force'])).code,
      0,
    );
  });

  it('backend: with the placeholders filled in from the environment, the run judges the auth rules', async () => {
    const dir = tempDir('init-backend');
    const out = join(dir, 'backend.yaml');
    const init = await cli([
      'init',
      '--base-url',
      `${reference.url}/backend`,
      '--profile',
      'backend',
      '--name',
      'ref-backend',
      '--out',
      out,
    ]);
    assert.equal(init.code, 0, init.stderr);
    const t = (parse(readFileSync(out, 'utf8')) as { targets: Record<string, { resources?: { collection: string }[] }> }).targets[
      'ref-backend'
    ]!;
    assert.deepEqual(
      t.resources?.map((r) => r.collection),
      ['/v1/sessions'],
    );
    assert.equal((await cli(['validate', '--targets', out])).code, 0);
    const c = referenceCredentials();
    const run = await runHarness({
      targetsFile: out,
      viaCli: true,
      env: {
        REF_BACKEND_TOKEN: c.REFERENCE_BEARER,
        REF_BACKEND_EXPIRED_TOKEN: c.REFERENCE_EXPIRED_BEARER,
        REF_BACKEND_READONLY_TOKEN: c.REFERENCE_LIMITED_BEARER,
      },
    });
    assert.ok(run.summary, run.stderr);
    for (const id of ['auth.missing-401', 'auth.expired-401', 'auth.invalid-401', 'status.read-200']) {
      assert.equal(ruleOf(run.summary, 'ref-backend', id).status, 'passed', id);
    }
    assert.equal(ruleOf(run.summary, 'ref-backend', 'auth.forbidden-403').reason, 'read-only');
  });

  it('no document: still writes a useful minimal file and says what it could not find', async () => {
    const dir = tempDir('init-bare');
    const out = join(dir, 'targets.yaml');
    const init = await cli(['init', '--base-url', bareUrl, '--profile', 'backend', '--out', out]);
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stderr, /no OpenAPI document at http:\/\/127\.0\.0\.1:\d+\/openapi\.json \(answered 404\)/);
    const text = readFileSync(out, 'utf8');
    assert.match(text, /# resources:\s+# unlocks status\./);
    assert.match(text, /# init: no OpenAPI document/);
    assert.equal((await cli(['validate', '--targets', out])).code, 0);
  });

  it('unusable input exits 2 and writes nothing', async () => {
    const dir = tempDir('init-bad');
    const out = join(dir, 'targets.yaml');
    const gone = await cli(['init', '--base-url', 'http://127.0.0.1:1', '--profile', 'platform', '--out', out]);
    assert.equal(gone.code, 2);
    assert.match(gone.stderr, /cannot reach http:\/\/127\.0\.0\.1:1\/health: connection refused/);
    const source = await cli(['init', '--base-url', bareUrl, '--profile', 'platform', '--out', out, '--openapi-source', './missing.json']);
    assert.equal(source.code, 2);
    assert.match(source.stderr, /--openapi-source \.\/missing\.json: cannot read .*ENOENT/);
    writeFileSync(join(dir, 'broken.json'), '{"openapi": ');
    const broken = await cli(['init', '--base-url', bareUrl, '--profile', 'platform', '--out', out, '--openapi-source', './broken.json']);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /neither JSON nor YAML/);
    assert.equal((await cli(['init', '--profile', 'platform', '--out', out])).code, 2);
    assert.equal((await cli(['init', '--base-url', bareUrl, '--profile', 'mobile', '--out', out])).code, 2);
    assert.ok(!existsSync(out));
  });
});
