/**
 * Hostile targets: one harness run over a target per misbehaviour. Each must complete within
 * its bound, judge the affected rules `failed` or `error` ("could not check") with evidence,
 * never crash, and never let a credential follow a redirect to another origin.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mintToken } from '../reference/tokens.ts';
import type { Summary } from '../src/report/summary.ts';
import { runHarness, tempDir, writeTargets, type HarnessRun } from './support/harness.ts';
import { HOSTILE_CASES, startHostile, type Hostile } from './support/hostile.ts';

/** The whole run (all cases, 2 workers) must finish within this; each request is bounded by timeout_ms. */
const RUN_BOUND_MS = 120_000;
const TIMEOUT_MS = 1500;

describe('hostile targets', () => {
  let hostile: Hostile;
  let run: HarnessRun;
  let summary: Summary;
  let elapsed = 0;
  const token = mintToken({ jti: 'hostile-sentinel-token' });

  before(async () => {
    hostile = await startHostile();
    const targets: Record<string, unknown> = {};
    for (const kind of HOSTILE_CASES) {
      targets[kind] = {
        base_url: `${hostile.url}/${kind}`,
        profile: kind === 'invalid-json' || kind === 'html-errors' ? 'platform' : 'backend',
        mode: 'mutating',
        timeout_ms: TIMEOUT_MS,
        auth: { bearer: '${HOSTILE_TOKEN}', api_key: '${HOSTILE_TOKEN}' },
        cors: { allowed_origins: ['https://app.example.com'], allow_credentials: true },
        resources: [{ name: 'things', collection: '/v1/things', item: '/v1/things/{id}', create: { name: 'x' }, invalid: { name: '' }, update: { name: 'y' }, seed_items: 3 }],
      };
    }
    const file = writeTargets(tempDir('hostile'), { version: 1, targets });
    const started = Date.now();
    run = await runHarness({ targetsFile: file, env: { HOSTILE_TOKEN: token }, args: ['--workers', '2'] });
    elapsed = Date.now() - started;
    assert.ok(run.summary, `no summary: ${run.stderr.slice(-2000)}`);
    summary = run.summary;
  });
  after(async () => { await hostile?.close(); });

  it(`the run over all ${HOSTILE_CASES.length} cases completes within ${RUN_BOUND_MS / 1000} s and judges every rule`, () => {
    assert.ok(elapsed < RUN_BOUND_MS, `took ${elapsed} ms`);
    assert.equal(summary.targets.length, HOSTILE_CASES.length);
    for (const t of summary.targets) {
      assert.equal(t.rules.length, 84);
      const crashed = t.rules.filter((r) => r.reason === 'inconclusive' && /check itself failed|could not judge/.test(r.message));
      assert.deepEqual(crashed.map((r) => `${t.name} ${r.id}: ${r.message}`), [], 'no check crashed and no test died');
    }
    assert.doesNotMatch(run.stderr, /Unhandled|TypeError|RangeError/);
  });

  /** Cases where no response ever completes: reads cannot be judged at all. */
  const UNANSWERED = new Set(['hang', 'drip', 'truncated-chunked', 'reset', 'bad-headers']);
  for (const kind of HOSTILE_CASES) {
    it(`${kind}: the affected rules fail or say they could not check, with evidence`, () => {
      const t = summary.targets.find((x) => x.name === kind)!;
      const create = t.rules.find((r) => r.id === 'status.create-201')!;
      assert.ok(create.status === 'failed' || create.status === 'error', `status.create-201 is ${create.status}: ${create.message}`);
      assert.ok(create.evidence.length > 0 && create.evidence.every((e) => e.curl.startsWith('curl ')), 'with evidence and curl lines');
      if (UNANSWERED.has(kind)) {
        const read = t.rules.find((r) => r.id === 'status.read-200')!;
        assert.equal(read.status, 'error', `status.read-200: ${read.message}`);
        assert.match(read.message, /^could not check: /);
      }
    });
  }

  it('no credential followed a redirect to another origin', () => {
    assert.deepEqual(hostile.captured.filter((c) => c.authorization || c.apiKey), []);
  });

  it('a hanging target costs a few timeouts, not one per probe', () => {
    const t = summary.targets.find((x) => x.name === 'hang')!;
    const gaveUp = t.rules.some((r) => r.evidence.some((e) => /GAVE_UP/.test(e.error ?? '')));
    assert.ok(gaveUp, 'later probes were not sent once the target stopped answering');
  });

  it('the secret appears nowhere in the summary', () => {
    assert.ok(!JSON.stringify(summary).includes(token));
  });
});
