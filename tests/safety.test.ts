/**
 * Safety guarantees, proven by the reference API's own request log (SPEC §7): read-only sends
 * no writes; outside the burst the run stays within the declared budget; the burst stays
 * within limit+10; credentials reach only the target's origin.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runHarness, shippedTargets, tempDir, writeTargets } from './support/harness.ts';
import { startLoggedReference } from './support/reference.ts';

type Ref = Awaited<ReturnType<typeof startLoggedReference>>;

/** Most requests seen in any sliding window of `windowMs`. */
function peakInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

describe('safety guarantees, from the reference API request log', () => {
  let ref: Ref;
  before(async () => {
    ref = await startLoggedReference();
  });
  after(async () => {
    await ref?.close();
  });

  it('read-only mode sends no POST, PUT, PATCH or DELETE at all', async () => {
    const shipped = shippedTargets();
    const targets = Object.fromEntries(Object.entries(shipped.targets).map(([name, t]) => [name, { ...t, mode: 'read-only' }]));
    ref.log.length = 0;
    const run = await runHarness({
      targetsFile: writeTargets(tempDir('readonly'), { version: 1, targets }),
      env: { CONFORMANCE_REFERENCE_URL: ref.url },
    });
    assert.ok(run.summary, run.stderr);
    assert.ok(ref.log.length > 10, 'the run probed');
    const writes = ref.log.filter((e) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(e.method));
    assert.deepEqual(
      writes.map((e) => `${e.method} ${e.url}`),
      [],
    );
    const writeRules = run.summary.targets[0]!.rules.filter((r) => r.id === 'status.create-201');
    assert.equal(writeRules[0]!.reason, 'read-only');
  });

  it('read-only: generated requests (inputs.*) are GETs only, with generated path and query values', async () => {
    const shipped = shippedTargets();
    const targets = { 'local-platform': { ...shipped.targets['local-platform']!, mode: 'read-only' } };
    ref.log.length = 0;
    const run = await runHarness({
      targetsFile: writeTargets(tempDir('readonly-inputs'), { version: 1, targets }),
      env: { CONFORMANCE_REFERENCE_URL: ref.url },
      args: ['--grep', '@inputs'],
    });
    assert.ok(run.summary, run.stderr);
    const rule = run.summary.targets[0]!.rules.find((r) => r.id === 'inputs.no-server-errors')!;
    assert.equal(rule.status, 'passed', rule.message);
    const gets = ref.log.filter((e) => e.method === 'GET' && /\/v[12]\/documents/.test(e.url));
    assert.ok(gets.length > 50, `generated GETs were sent (${gets.length})`);
    assert.ok(
      gets.some((e) => e.url.includes('?')),
      'some carry generated query values',
    );
    assert.deepEqual(
      ref.log.filter((e) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(e.method)).map((e) => `${e.method} ${e.url}`),
      [],
    );
  });

  it('stays within a small declared budget per credential, and credentials reach only the target origin', async () => {
    const shipped = shippedTargets();
    // Small enough that the status and errors probes alone need several windows.
    const limit = 6;
    const windowS = 1;
    const t = shipped.targets['local-backend']!;
    const targets = {
      budgeted: {
        ...t,
        rate_limit: { ...(t.rate_limit as object), limit, window_s: windowS, burst: false, anonymous: { limit, window_s: windowS } },
      },
    };
    ref.log.length = 0;
    const run = await runHarness({
      targetsFile: writeTargets(tempDir('budget'), { version: 1, targets }),
      env: { CONFORMANCE_REFERENCE_URL: ref.url },
      args: ['--grep', '@status|@errors'],
    });
    assert.ok(run.summary, run.stderr);
    const sent = ref.log;
    assert.ok(sent.length > limit, `the run needed more than one window (${sent.length} requests)`);
    const byCredential = new Map<string, number[]>();
    for (const e of sent) {
      const key = e.authorization ?? e.apiKey ?? 'anonymous';
      byCredential.set(key, [...(byCredential.get(key) ?? []), e.at]);
    }
    for (const [key, times] of byCredential) {
      const peak = peakInWindow(times, windowS * 1000);
      assert.ok(
        peak <= limit,
        `${key === 'anonymous' ? 'anonymous' : 'a credential'} peaked at ${peak} requests in ${windowS} s (limit ${limit})`,
      );
    }
    const host = new URL(ref.url).host;
    assert.deepEqual(
      ref.log.filter((e) => (e.authorization || e.apiKey) && e.host !== host).map((e) => e.host),
      [],
    );
  });
});
