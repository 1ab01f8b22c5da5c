/**
 * End-to-end behaviour a user relies on, through the real runner and CLI against the reference
 * API: secrets never leave the process, an unreachable target fails fast with one message,
 * a broken targets file probes nothing, a narrowed run marks the rest not-selected.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { mintToken } from '../reference/tokens.ts';
import { loadSchemas } from '../src/spec/schemas.ts';
import { allText, runHarness, ruleOf, shippedTargets, tempDir, writeTargets } from './support/harness.ts';
import { startReference } from './support/reference.ts';

describe('end to end', () => {
  let reference: Awaited<ReturnType<typeof startReference>>;
  before(async () => {
    reference = await startReference();
  });
  after(async () => {
    await reference?.close();
  });
  const env = () => ({ CONFORMANCE_REFERENCE_URL: reference.url });

  it('a sentinel secret from auth: and headers: appears in no output file and no console line', async () => {
    const sentinel = mintToken({ jti: 'SENTINEL-7c1e0b2f-never-print-me' });
    const headerSecret = 'SENTINEL-HEADER-5a9d3e';
    const shipped = shippedTargets();
    const platform = shipped.targets['local-platform']!;
    const dir = tempDir('secrets');
    const file = writeTargets(dir, {
      version: 1,
      targets: {
        secretive: {
          ...platform,
          auth: { ...(platform.auth as object), bearer: '${SENTINEL_TOKEN}' },
          headers: { 'X-Tenant-Key': '${SENTINEL_HEADER}' },
          resources: [{ ...(platform.resources as object[])[0], create: { name: `probe-${sentinel}`, metadata: {} } }],
        },
      },
    });
    const run = await runHarness({
      targetsFile: file,
      env: { ...env(), SENTINEL_TOKEN: sentinel, SENTINEL_HEADER: headerSecret },
      viaCli: true,
    });
    assert.ok(run.summary, run.stderr);
    assert.ok(run.summary.targets[0]!.counts.passed > 10, 'the run really probed with the secret');
    const texts = [...allText(run.reportDir), run.stdout, run.stderr];
    for (const secret of [sentinel, headerSecret, sentinel.split('.')[2]!]) {
      assert.ok(!texts.some((t) => t.includes(secret)), `secret ${secret.slice(0, 12)}… leaked`);
    }
    // The evidence still shows where the secret went, as a placeholder a person can act on.
    const evidence = JSON.stringify(run.summary.targets[0]!.rules.flatMap((r) => r.evidence));
    assert.match(evidence, /\$SENTINEL_TOKEN/);
  });

  it('an unreachable target fails fast: one request, one clear failure, every rule an error in the summary', async () => {
    const dir = tempDir('unreachable');
    const file = writeTargets(
      dir,
      `version: 1\ntargets:\n  gone:\n    base_url: http://127.0.0.1:1/api\n    profile: backend\n    timeout_ms: 3000\n    resources:\n      - { name: things, collection: /v1/things, item: "/v1/things/{id}", requires_auth: false }\n`,
    );
    const run = await runHarness({ targetsFile: file, viaCli: true });
    assert.equal(run.code, 1, 'must rules could not be judged: not ok');
    assert.equal(run.stdout.match(/unreachable at/g)?.length ?? 0, 1, 'Playwright shows one failure, not one per rule');
    const rule = ruleOf(run.summary!, 'gone', 'status.read-200');
    assert.equal(rule.status, 'error');
    assert.equal(rule.reason, 'unreachable');
    assert.match(rule.message, /unreachable at http:\/\/127\.0\.0\.1:1\/api: connection refused/);
    assert.equal(run.summary!.verdict, 'not-ready');
    assert.equal(run.summary!.targets[0]!.requests.total, 1, 'one reachability request, nothing more');
  });

  it('a broken targets file exits 2, names file:line:column and probes nothing', async () => {
    const dir = tempDir('broken');
    const file = writeTargets(
      dir,
      `version: 1\ntargets:\n  a:\n    base_url: ${reference.url}/platform\n    profile: platform\n    moed: mutating\n`,
    );
    const run = await runHarness({ targetsFile: file, viaCli: true, reportDir: join(dir, 'r') });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /targets\.yaml:6:5: unknown key "moed" in targets\.a\n {2}fix: did you mean "mode"\?/);
    assert.equal(run.summary, undefined);
  });

  it('a run narrowed by --grep judges only what it selected; the rest is not-selected; outputs are valid', async () => {
    const dir = tempDir('grep');
    const shipped = shippedTargets();
    const file = writeTargets(dir, { version: 1, targets: { 'local-backend': shipped.targets['local-backend'] } });
    const run = await runHarness({ targetsFile: file, env: env(), args: ['--grep', 'status\\.(create-201|read-200)'] });
    const summary = run.summary!;
    assert.deepEqual(loadSchemas().validate('summary', summary), []);
    const rules = summary.targets[0]!.rules;
    assert.equal(rules.length, 87);
    assert.equal(ruleOf(summary, 'local-backend', 'status.create-201').status, 'passed');
    assert.equal(ruleOf(summary, 'local-backend', 'errors.shape').reason, 'not-selected');
    assert.equal(summary.verdict, 'incomplete');
    assert.ok(summary.targets[0]!.requests.total <= 8, `only the probes the selection needs (sent ${summary.targets[0]!.requests.total})`);
    const junit = readFileSync(join(run.reportDir, 'junit.xml'), 'utf8');
    assert.equal(junit.match(/<testcase /g)?.length, 87);
    assert.match(readFileSync(join(run.reportDir, 'index.html'), 'utf8'), /id="verdict" data-verdict="incomplete">Incomplete</);
  });
});
