import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CATALOGUE } from '../src/spec/catalogue.ts';
import { buildRegistry, CHECKS, RULES } from '../src/rules/registry.ts';
import type { RuleCheck } from '../src/rules/types.ts';
import { ROOT } from './support/harness.ts';

const SPEC = join(ROOT, '..', 'shared', 'SPEC.md');

/** Rule ids and P/B severities from SPEC §6 tables: | id | P | B | passes when | */
function specRules(): Map<string, { platform: string; backend: string }> {
  const out = new Map<string, { platform: string; backend: string }>();
  for (const line of readFileSync(SPEC, 'utf8').split('\n')) {
    const m = /^\| ([a-z]+\.[a-z0-9-]+) \| (must|should|-) \| (must|should|-) \|/.exec(line);
    if (m) out.set(m[1]!, { platform: m[2] === '-' ? 'off' : m[2]!, backend: m[3] === '-' ? 'off' : m[3]! });
  }
  return out;
}

describe('rule registry', () => {
  it('registers every SPEC §6 rule exactly once, with its severities', {
    skip: !existsSync(SPEC) && 'shared/SPEC.md not beside the repo',
  }, () => {
    const spec = specRules();
    assert.equal(spec.size, 87);
    assert.deepEqual(RULES.map((r) => r.id).sort(), [...spec.keys()].sort());
    for (const rule of RULES) assert.deepEqual(rule.severity, spec.get(rule.id), rule.id);
  });

  it('holds no duplicate ids', () => {
    assert.equal(new Set(RULES.map((r) => r.id)).size, RULES.length);
  });

  it('rejects duplicate, unknown and missing ids when it loads', () => {
    const first = CATALOGUE[0]!;
    const check = (id: string): RuleCheck => ({
      id,
      probes: [],
      check: () => ({ status: 'skipped', reason: 'not-applicable', message: '' }),
    });
    assert.throws(() => buildRegistry([first, first], [check(first.id)]), /registered twice/);
    assert.throws(() => buildRegistry([first], [check(first.id), check('nope.nothing')]), /not in the catalogue/);
    assert.throws(() => buildRegistry([first], [check(first.id), check(first.id)]), /two checks/);
    assert.throws(() => buildRegistry([first], []), new RegExp(`no check is registered for "${first.id.replace('.', '\\.')}"`));
    assert.equal(buildRegistry([first], [check(first.id)])[0]!.behaviour?.probes.length, 0);
  });

  it('rejects a dependency on a rule without a check, and dependency cycles (blocked_by must name a judged rule)', () => {
    const [a, b] = [CATALOGUE[0]!, CATALOGUE[1]!];
    const on = (id: string, dep: string): RuleCheck => ({
      id,
      probes: [],
      dependsOn: [{ rule: dep, needs: 'x' }],
      check: () => ({ status: 'skipped', reason: 'not-applicable', message: '' }),
    });
    assert.throws(() => buildRegistry([a], [on(a.id, 'nope.nothing')]), /depends on "nope\.nothing", which has no check/);
    assert.throws(() => buildRegistry([a, b], [on(a.id, b.id), on(b.id, a.id)]), /cycle/);
  });

  it('lists every check once, in CHECKS', () => {
    assert.equal(new Set(CHECKS.map((c) => c.id)).size, CHECKS.length);
    assert.deepEqual(CHECKS.map((c) => c.id).sort(), CATALOGUE.map((e) => e.id).sort());
  });

  it('names each check file after its rule id', () => {
    for (const rule of RULES.filter((r) => r.behaviour)) {
      const file = join(ROOT, 'src', 'rules', rule.area, `${rule.id.slice(rule.area.length + 1)}.ts`);
      assert.ok(existsSync(file), `${rule.id} has no ${file}`);
    }
  });

  it('keeps src/rules free of I/O and runner imports (checks are pure)', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.ts$/.test(entry.name)) {
          const text = readFileSync(path, 'utf8');
          if (/from '(undici|@playwright\/test|node:fs|node:http|node:https|node:net|node:child_process)'/.test(text)) offenders.push(path);
        }
      }
    };
    walk(join(ROOT, 'src', 'rules'));
    assert.deepEqual(offenders, []);
  });
});

describe('README', () => {
  it('shows the current rule table (scripts/readme-rules.ts regenerates it)', async () => {
    const { withTable } = await import('../scripts/readme-rules.ts');
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    assert.equal(withTable(readme), readme);
  });
});

describe('rule trace', () => {
  it('docs/rule-trace.md is current, and every rule traces to a check, probes, a fault, a self-test and a guideline', async () => {
    const { traceRule, traceTable } = await import('../scripts/rule-trace.ts');
    assert.equal(readFileSync(new URL('../docs/rule-trace.md', import.meta.url), 'utf8'), traceTable(), 'run npm run trace -- --write');
    const gaps = RULES.map(traceRule).filter((t) => t.check.startsWith('(') || !t.fault || !t.selfTests.length || !t.guideline.length);
    assert.deepEqual(
      gaps.map((t) => t.id),
      [],
    );
  });
});
