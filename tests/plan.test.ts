import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { referenceCredentials } from '../reference/tokens.ts';
import { parseTargets } from '../src/config/load.ts';
import { formatPlan } from '../src/cli/dry-run.ts';
import { pacingSeconds, planRun, planTarget } from '../src/harness/plan.ts';
import { pacingKey } from '../src/http/budget.ts';
import type { Credential } from '../src/http/exchange.ts';
import { RULES } from '../src/rules/registry.ts';
import type { RequestLogEntry } from '../reference/app.ts';
import { ROOT, runHarness, shippedTargets, tempDir, writeTargets } from './support/harness.ts';
import { startLoggedReference } from './support/reference.ts';

const yaml = (extra = '') => `version: 1
targets:
  a:
    base_url: http://127.0.0.1:9/a
    profile: platform
    mode: mutating
    auth: { bearer: token-one }
    rate_limit: { limit: 100, window_s: 60, burst: true${extra} }
    resources:
      - { name: docs, collection: /v2/docs, item: '/v2/docs/{id}', create: { name: x }, seed_items: 151 }
  b:
    base_url: http://127.0.0.1:9/b
    profile: backend
    auth: { bearer: token-one }
    rate_limit: { limit: 100, window_s: 60${extra} }
    resources:
      - { name: sessions, collection: /v1/sessions, item: '/v1/sessions/{id}' }
`;

describe('run plan (dry run)', () => {
  it('charges each probe to the budget the pacer would use, and keeps the burst apart', () => {
    const [a] = parseTargets(yaml(), 'x.yaml', {});
    const plan = planTarget(a!, RULES);
    const bearer = plan.budgets.find((b) => b.label.endsWith('bearer'))!;
    assert.equal(bearer.key, pacingKey(a!, 'bearer', new URL(a!.baseUrl)).key);
    assert.ok(
      bearer.probes.some((p) => p.probe === 'pagination:seed' && p.expected === 302),
      'seeding counts its creates and their deletes',
    );
    assert.equal(plan.burst?.max, 110, 'limit + 10');
    assert.ok(!bearer.probes.some((p) => p.probe === 'ratelimit:burst'));
    assert.ok(bearer.expected > 100, 'over one window');
    assert.ok(pacingSeconds(bearer.expected, bearer.budget) >= 60);
  });

  it('says when a budget is too small for a run: per-minute budgets pace, a spent hourly one is not waited for', () => {
    const file = (anonymous: string) => `version: 1
targets:
  t:
    base_url: http://127.0.0.1:9/t
    profile: platform
    mode: mutating
    auth: { bearer: token-one }
    rate_limit: { limit: 100, window_s: 60, anonymous: ${anonymous} }
    resources:
      - { name: docs, collection: /v2/docs, item: '/v2/docs/{id}', create: { name: x }, update: { name: y } }
      - { name: notes, collection: /v2/notes, item: '/v2/notes/{id}', create: { name: x }, update: { name: y } }
`;
    const lines = (anonymous: string): string[] =>
      formatPlan(planRun(parseTargets(file(anonymous), 'x.yaml', {}), () => RULES)).split('\n');
    const hourly = lines('{ limit: 20, window_s: 3600 }').find((l) => / anonymous /.test(l))!;
    assert.match(
      hourly,
      /over 20 per 3600 s: requests past 20 in a window would wait up to 3600 s, longer than the harness waits .*rate-limit-wait/,
    );
    const bearer = lines('{ limit: 20, window_s: 3600 }').find((l) => / bearer /.test(l))!;
    assert.match(bearer, /over 100 per 60 s: needs ≥ \d+ s of pacing/);
    assert.match(lines('{ limit: 600, window_s: 60 }').find((l) => / anonymous /.test(l))!, /\d+% of one window$/);
  });

  it('plans no write in read-only mode', () => {
    const [, b] = parseTargets(yaml(), 'x.yaml', {});
    const plan = planTarget(b!, RULES);
    assert.ok(!plan.probes.some((p) => p === 'pagination:seed' || p === 'pagination:stable-under-writes' || p === 'resources:create'));
    assert.ok(plan.probes.includes('pagination:walk'));
    assert.equal(plan.burst, undefined);
  });

  it('shows budgets that targets share (same origin and token), unless budgets are per base URL', () => {
    const shared = planRun(parseTargets(yaml(), 'x.yaml', {}), () => RULES).shared;
    assert.deepEqual(
      shared.map((s) => [s.label, s.targets]),
      [
        ['http://127.0.0.1:9 anonymous', ['a', 'b']],
        ['http://127.0.0.1:9 bearer', ['a', 'b']],
      ],
    );
    const apart = planRun(parseTargets(yaml(', scope: base_url'), 'x.yaml', {}), () => RULES).shared;
    assert.deepEqual(apart, []);
  });

  it('`conformance run --dry-run` prints the plan and sends nothing (the target need not exist)', () => {
    const file = writeTargets(tempDir('dry'), yaml());
    const out = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/conformance.mjs'), 'run', '--dry-run', '--targets', file, '--', '--grep', 'pagination'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, /nothing was sent/);
    assert.match(out.stdout, /http:\/\/127\.0\.0\.1:9 bearer .* budget 100 per 60 s/);
    assert.match(out.stdout, /← a \+ b/);
    assert.doesNotMatch(out.stdout, /ratelimit:sequence/, '--grep narrows the rules, and so the probes');
    assert.doesNotMatch(out.stdout, /token-one/);
  });
});

/** Which credential the reference saw on a request: a shipped value by its name, any other value "invalid", none "none". */
function credentialSeen(e: RequestLogEntry): Credential {
  const shipped = referenceCredentials();
  const names: Record<string, Credential> = {
    [`Bearer ${shipped.REFERENCE_BEARER}`]: 'bearer',
    [`Bearer ${shipped.REFERENCE_LIMITED_BEARER}`]: 'limited_bearer',
    [`Bearer ${shipped.REFERENCE_EXPIRED_BEARER}`]: 'expired_bearer',
    [`Bearer ${shipped.REFERENCE_TENANT_B_BEARER}`]: 'other_tenant_bearer',
    [shipped.REFERENCE_API_KEY!]: 'api_key',
  };
  const value = e.apiKey ?? e.authorization;
  return value === undefined ? 'none' : (names[value] ?? 'invalid');
}

describe('run plan against a real run of the shipped targets', () => {
  let ref: Awaited<ReturnType<typeof startLoggedReference>>;
  before(async () => {
    ref = await startLoggedReference();
  });
  after(async () => {
    await ref?.close();
  });

  it('each budget the plan lists gets between its expected and its most requests, as the reference API logged them', async (t) => {
    const shipped = shippedTargets();
    // The burst alone would be a thousand requests: the rest of the plan is what is measured here.
    for (const spec of Object.values(shipped.targets)) spec.rate_limit = { ...(spec.rate_limit as object), burst: false };
    const file = writeTargets(tempDir('plan-real'), shipped);
    const targets = parseTargets(
      stringify(shipped),
      file,
      { ...process.env, ...referenceCredentials(), CONFORMANCE_REFERENCE_URL: ref.url },
      ROOT,
    );
    ref.log.length = 0;
    const run = await runHarness({ targetsFile: file, env: { CONFORMANCE_REFERENCE_URL: ref.url } });
    assert.ok(run.summary, run.stderr);

    const problems: string[] = [];
    for (const target of targets) {
      const plan = planTarget(target, RULES);
      assert.equal(plan.burst, undefined);
      const real = new Map<string, number>();
      const url = new URL(target.baseUrl);
      for (const e of ref.log) {
        const path = e.url.split('?')[0]!;
        if (path !== target.basePath && !path.startsWith(`${target.basePath}/`)) continue;
        const key = pacingKey(target, credentialSeen(e), url).key;
        real.set(key, (real.get(key) ?? 0) + 1);
      }
      for (const b of plan.budgets) {
        const n = real.get(b.key) ?? 0;
        t.diagnostic(`${target.name} ${b.label.replace(target.baseUrl, '').trim()}: ${n} sent, plan ${b.expected}–${b.max}`);
        if (n < b.expected || n > b.max)
          problems.push(`${target.name} ${b.label}: the reference logged ${n}, the plan said ${b.expected}–${b.max}`);
        real.delete(b.key);
      }
      for (const [key, n] of real) problems.push(`${target.name}: ${n} requests on ${key}, a budget the plan does not list`);
    }
    assert.deepEqual(problems, []);
  });
});
