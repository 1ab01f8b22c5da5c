import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseTargets } from '../src/config/load.ts';
import { pacingSeconds, planRun, planTarget } from '../src/harness/plan.ts';
import { pacingKey } from '../src/probe/budget.ts';
import { RULES } from '../src/rules/registry.ts';
import { ROOT, tempDir, writeTargets } from './support/harness.ts';

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
    assert.ok(bearer.probes.some((p) => p.probe === 'pagination:seed' && p.expected === 302), 'seeding counts its creates and their deletes');
    assert.equal(plan.burst?.max, 110, 'limit + 10');
    assert.ok(!bearer.probes.some((p) => p.probe === 'ratelimit:burst'));
    assert.ok(bearer.expected > 100, 'over one window');
    assert.ok(pacingSeconds(bearer.expected, bearer.budget) >= 60);
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
    assert.deepEqual(shared.map((s) => [s.label, s.targets]), [['http://127.0.0.1:9 anonymous', ['a', 'b']], ['http://127.0.0.1:9 bearer', ['a', 'b']]]);
    const apart = planRun(parseTargets(yaml(', scope: base_url'), 'x.yaml', {}), () => RULES).shared;
    assert.deepEqual(apart, []);
  });

  it('`conformance run --dry-run` prints the plan and sends nothing (the target need not exist)', () => {
    const file = writeTargets(tempDir('dry'), yaml());
    const out = spawnSync(process.execPath, [join(ROOT, 'bin/conformance.mjs'), 'run', '--dry-run', '--targets', file, '--', '--grep', 'pagination'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, /nothing was sent/);
    assert.match(out.stdout, /http:\/\/127\.0\.0\.1:9 bearer .* budget 100 per 60 s/);
    assert.match(out.stdout, /← a \+ b/);
    assert.doesNotMatch(out.stdout, /ratelimit:sequence/, '--grep narrows the rules, and so the probes');
    assert.doesNotMatch(out.stdout, /token-one/);
  });
});
