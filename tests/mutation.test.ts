/**
 * Mutation self-tests (the proof that no rule is a toy): one harness run over a targets file
 * with the clean reference targets and one target per named fault of the reference API.
 * Clean targets pass every implemented rule; under each fault exactly its rule fails and no
 * other `must` rule fails or errors.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FAULTS } from '../reference/faults.ts';
import { RULES } from '../src/rules/registry.ts';
import type { Summary } from '../src/report/summary.ts';
import { runHarness, shippedTargets, tempDir, writeTargets, type HarnessRun } from './support/harness.ts';
import { startReference } from './support/reference.ts';

// MUTATION_ONLY=errors.,status.create narrows the matrix while iterating on some rules.
const only = process.env.MUTATION_ONLY?.split(',').filter(Boolean);
const SELECTED = FAULTS.filter((f) => !only || only.some((prefix) => f.rule.startsWith(prefix)));

const CLEAN = { platform: 'local-platform', backend: 'local-backend' } as const;
const faultTarget = (rule: string, profile: string): string => `fault-${rule}-${profile}`;

describe('mutation self-tests: each reference fault fails exactly its rule', () => {
  let reference: Awaited<ReturnType<typeof startReference>>;
  let run: HarnessRun;
  let summary: Summary;

  before(async () => {
    reference = await startReference();
    const shipped = shippedTargets();
    const targets: Record<string, Record<string, unknown>> = {};
    for (const [profile, name] of Object.entries(CLEAN)) targets[name] = shipped.targets[name]!;
    for (const fault of SELECTED) {
      for (const profile of fault.profiles) {
        const clean = shipped.targets[CLEAN[profile]]!;
        const base = String(clean.base_url).replace(`/${profile}`, `/_f/${fault.rule}/${profile}`);
        // The 429 burst only where the fault is about rate limits: it is the costliest probe.
        const rate = { ...(clean.rate_limit as object), burst: fault.rule.startsWith('ratelimit.') };
        targets[faultTarget(fault.rule, profile)] = { ...clean, base_url: base, rate_limit: rate };
      }
    }
    const dir = tempDir('mutation');
    const file = writeTargets(dir, { ...shipped, targets });
    run = await runHarness({ targetsFile: file, env: { CONFORMANCE_REFERENCE_URL: reference.url }, args: ['--workers', '2'] });
    assert.ok(run.summary, `the run wrote no summary:\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
    summary = run.summary;
  });

  after(async () => {
    await reference?.close();
  });

  for (const [profile, name] of Object.entries(CLEAN)) {
    it(`clean ${name}: every implemented, applicable rule passes`, () => {
      const t = summary.targets.find((x) => x.name === name)!;
      const bad = t.rules.filter((r) => r.status === 'failed' || r.status === 'error');
      assert.deepEqual(bad.map((r) => `${r.id}: ${r.status}: ${r.message}`), [], `clean ${profile} target has failures`);
      const implemented = RULES.filter((r) => r.behaviour).map((r) => r.id);
      const notPassed = t.rules.filter((r) => implemented.includes(r.id) && r.severity !== 'off' && r.status !== 'passed' && r.reason !== 'missing-prerequisite' && r.reason !== 'not-applicable');
      assert.deepEqual(notPassed.map((r) => `${r.id}: ${r.status} ${r.reason ?? ''} ${r.message}`), []);
    });
  }

  for (const fault of SELECTED) {
    for (const profile of fault.profiles) {
      it(`fault ${fault.rule} (${profile}): ${fault.description}`, () => {
        const t = summary.targets.find((x) => x.name === faultTarget(fault.rule, profile))!;
        const rule = t.rules.find((r) => r.id === fault.rule)!;
        assert.equal(rule.status, 'failed', `${fault.rule} should fail under its fault but is ${rule.status}: ${rule.message}`);
        assert.ok(rule.evidence.length > 0, 'a failure carries evidence');
        assert.ok(rule.evidence.every((e) => e.curl.startsWith('curl ')), 'each piece of evidence has a curl line');
        const others = t.rules.filter((r) => r.id !== fault.rule && r.severity === 'must' && (r.status === 'failed' || r.status === 'error'));
        assert.deepEqual(others.map((r) => `${r.id}: ${r.status}: ${r.message}`), [], 'no other must rule may fail');
      });
    }
  }

  it('every implemented rule has a fault in the reference API that makes it fail', () => {
    const faulted = new Set(FAULTS.map((f) => f.rule));
    const missing = RULES.filter((r) => r.behaviour && !faulted.has(r.id)).map((r) => r.id);
    assert.deepEqual(missing, []);
  });
});
