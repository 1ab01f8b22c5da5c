/**
 * cors.browser judges CORS only (SPEC §8): with http page origins and the reference API on
 * loopback http, Chromium's Local Network Access and secure-context policies must not decide the
 * outcome. Without the harness's flags, an http page is refused any fetch to loopback ("not a
 * secure context … more-private address space"), which would make a denied origin look blocked
 * and an allowed one look refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Summary } from '../src/spec/summary.ts';
import { runHarness, shippedTargets, tempDir, writeTargets } from './support/harness.ts';
import { startReference } from './support/reference.ts';

describe('cors.browser on loopback http with http page origins', () => {
  let reference: Awaited<ReturnType<typeof startReference>>;
  let summary: Summary;

  before(async () => {
    reference = await startReference();
    const platform = shippedTargets().targets['local-platform']!;
    const target = (name: string, cors: Record<string, unknown>) => ({
      base_url: String(platform.base_url).replace(/\/platform$/, `/_f/${name}/platform`),
      profile: 'platform',
      auth: platform.auth,
      resources: platform.resources,
      cors,
    });
    const targets = {
      // The reference allows https://search.example.ai and denies everything else.
      'http-denied': target('http-denied', { allowed_origins: ['https://search.example.ai'], denied_origins: ['http://evil.example.net'] }),
      'http-allowed': target('http-allowed', {
        allowed_origins: ['http://search.example.ai'],
        denied_origins: ['http://evil.example.net'],
      }),
    };
    const run = await runHarness({
      targetsFile: writeTargets(tempDir('cors-env'), { version: 1, targets }),
      env: { CONFORMANCE_REFERENCE_URL: reference.url },
      args: ['--workers', '1', '--grep', 'cors\\.browser'],
    });
    assert.ok(run.summary, `the run wrote no summary:\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`);
    summary = run.summary;
  });

  after(async () => {
    await reference?.close();
  });

  const browser = (name: string) => summary.targets.find((t) => t.name === name)!.rules.find((r) => r.id === 'cors.browser')!;

  it('a denied http page is refused by CORS, not by a browser policy: passed', () => {
    const r = browser('http-denied');
    assert.equal(r.status, 'passed', r.message);
    assert.match(r.message, /blocked by CORS policy/);
    assert.doesNotMatch(r.message, /address space|secure context|Mixed Content/i);
  });

  it('an http page the service does not allow fails on the CORS answer itself', () => {
    const r = browser('http-allowed');
    assert.equal(r.status, 'failed', r.message);
    assert.match(r.message, /could not read .* Chromium: .*CORS policy/);
    assert.doesNotMatch(r.message, /address space|secure context|Mixed Content/i);
  });
});
