/**
 * `run --har` through the real runner (SPEC §2; issue 15): exchanges.har is HAR 1.2 (checked
 * against schemas/har-1.2.schema.json), holds every exchange of the run with its secrets
 * redacted (canary), and the HAR files of a sharded run merge with its blob reports.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Har } from 'har-format';
import { mintToken, referenceCredentials } from '../reference/tokens.ts';
import { describeSchemaError, loadSchemas } from '../src/spec/schemas.ts';
import { allText, ROOT, runHarness, shippedTargets, tempDir, writeTargets } from './support/harness.ts';
import { startReference } from './support/reference.ts';

/** The shipped targets without their 429 burst, Chromium and most generated inputs (cheaper; each shard would send its own). */
function calmTargets(bearer?: string): object {
  const shipped = shippedTargets();
  const targets: Record<string, Record<string, unknown>> = {};
  for (const [name, t] of Object.entries(shipped.targets)) {
    targets[name] = {
      ...t,
      rate_limit: { ...(t.rate_limit as object), burst: false },
      inputs: { examples: 3, max_requests: 40 },
      rules: { skip: ['cors.browser'] },
      ...(bearer && name === 'local-platform' ? { auth: { ...(t.auth as object), bearer } } : {}),
    };
  }
  return { ...shipped, targets };
}

function readHar(file: string): Har {
  const har = JSON.parse(readFileSync(file, 'utf8')) as Har;
  assert.deepEqual(loadSchemas().validate('har-1.2', har).map(describeSchemaError), [], 'HAR 1.2');
  return har;
}

const targetsOf = (har: Har): Set<string> =>
  new Set(har.log.entries.map((e) => (e as { _conformance?: { target?: string } })._conformance?.target ?? ''));

describe('run --har', () => {
  let reference: Awaited<ReturnType<typeof startReference>>;
  before(async () => {
    reference = await startReference();
  });
  after(async () => {
    await reference?.close();
  });

  it('writes exchanges.har: valid HAR 1.2, every exchange of the run, no canary secret', async () => {
    const canary = mintToken({ jti: 'HAR-CANARY-3b7e91-never-print-me' });
    const dir = tempDir('har-run');
    const file = writeTargets(dir, calmTargets('${HAR_CANARY_TOKEN}'));
    const run = await runHarness({
      targetsFile: file,
      env: { CONFORMANCE_REFERENCE_URL: reference.url, HAR_CANARY_TOKEN: canary },
      viaCli: true,
      args: ['--har'],
    });
    assert.ok(run.summary, run.stderr);
    const path = join(run.reportDir, 'exchanges.har');
    assert.ok(existsSync(path), `no exchanges.har:\n${run.stdout.slice(-2000)}`);
    const har = readHar(path);
    const sent = run.summary.targets.reduce((n, t) => n + t.requests.total, 0);
    assert.ok(har.log.entries.length >= sent, `every exchange: ${har.log.entries.length} entries, ${sent} requests sent`);
    assert.deepEqual([...targetsOf(har)].sort(), ['local-backend', 'local-platform']);
    assert.match(run.stdout, /exchanges\.har/);
    const texts = [...allText(run.reportDir), run.stdout, run.stderr];
    for (const secret of [canary, canary.split('.')[2]!]) {
      assert.ok(!texts.some((t) => t.includes(secret)), `canary ${secret.slice(0, 12)}… leaked`);
    }
    assert.match(readFileSync(path, 'utf8'), /Bearer \[REDACTED/);
  });

  it('a sharded run: each shard writes its part, the merge of the blobs writes the whole', async () => {
    reference.reset();
    const work = tempDir('har-shards');
    const targetsFile = writeTargets(work, calmTargets());
    const env = { CONFORMANCE_REFERENCE_URL: reference.url, CONFORMANCE_HAR: '1' };
    const shards = await Promise.all(
      [1, 2].map((i) =>
        runHarness({
          targetsFile,
          reportDir: join(work, `shard-${i}`),
          args: ['--shard', `${i}/2`],
          env: { ...env, PLAYWRIGHT_BLOB_OUTPUT_DIR: join(work, `blob-${i}`) },
        }),
      ),
    );
    const blobs = join(work, 'blobs');
    mkdirSync(blobs, { recursive: true });
    const parts: Set<string>[] = [];
    for (const [i, shard] of shards.entries()) {
      parts.push(targetsOf(readHar(join(shard.reportDir, 'exchanges.har'))));
      for (const zip of readdirSync(join(work, `blob-${i + 1}`)).filter((f) => f.endsWith('.zip'))) {
        copyFileSync(join(work, `blob-${i + 1}`, zip), join(blobs, zip));
      }
    }
    assert.equal(
      parts.reduce((n, p) => n + p.size, 0),
      2,
      'each target in one shard',
    );
    const mergedDir = join(work, 'merged');
    const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
    const code = await new Promise<number>((done) => {
      const child = spawn(process.execPath, [cli, 'merge-reports', '--config', join(ROOT, 'merge.config.ts'), blobs], {
        cwd: ROOT,
        env: { ...process.env, ...referenceCredentials(), CONFORMANCE_REPORT_DIR: mergedDir, CONFORMANCE_WAIVERS: 'none', CI: '1' },
        stdio: 'ignore',
      });
      child.on('exit', (c) => done(c ?? -1));
    });
    assert.equal(code, 0);
    const merged = readHar(join(mergedDir, 'exchanges.har'));
    assert.deepEqual([...targetsOf(merged)].sort(), ['local-backend', 'local-platform']);
  });
});
