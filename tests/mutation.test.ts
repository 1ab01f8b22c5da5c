/**
 * Mutation self-tests (the proof that no rule is a toy): the clean reference targets and one
 * target per named fault of the reference API, each recorded and judged as a run's worker does
 * (tests/support/judge.ts: in this process, several targets at a time, the reference in a child
 * process). Clean targets pass every implemented rule; under each fault exactly its rule fails
 * and no other `must` rule fails or errors.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FAULTS, faultName } from '../reference/faults.ts';
import { opensslMissing } from '../reference/tls.ts';
import { RULES, ruleById } from '../src/rules/registry.ts';
import { referenceCredentials } from '../reference/tokens.ts';
import { shippedTargets } from './support/harness.ts';
import { judgeTargets, type JudgedTarget } from './support/judge.ts';
import { spawnReference } from './support/reference.ts';

// MUTATION_ONLY=errors.,status.create narrows the matrix while iterating on some rules.
const only = process.env.MUTATION_ONLY?.split(',').filter(Boolean);
const SELECTED = FAULTS.filter((f) => !only || only.some((prefix) => faultName(f).startsWith(prefix)));

const CLEAN = { platform: 'local-platform', backend: 'local-backend' } as const;
const faultTarget = (rule: string, profile: string): string => `fault-${rule}-${profile}`;
// Rules of https targets (security.hsts, security.https-only) run against the reference's https
// listener (self-signed, tls_verify: false) and its plain-http front (http_url).
const HTTPS_MISSING = opensslMissing();
const needsHttps = (rule: string): boolean => ruleById(rule)?.requires.includes('https') ?? false;
const CLEAN_HTTPS = { platform: 'local-platform-https', backend: 'local-backend-https' } as const;

describe('mutation self-tests: each reference fault fails exactly its rule', () => {
  let reference: Awaited<ReturnType<typeof spawnReference>>;
  let judged: JudgedTarget[];

  before(async () => {
    reference = await spawnReference({ https: !HTTPS_MISSING });
    const shipped = shippedTargets();
    const targets: Record<string, Record<string, unknown>> = {};
    const overTls = (clean: Record<string, unknown>, path: string): Record<string, unknown> => ({
      ...clean,
      base_url: `${reference.httpsUrl}${path}`,
      tls_verify: false,
      http_url: `${reference.redirectUrl}${path}`,
    });
    for (const [_profile, name] of Object.entries(CLEAN)) targets[name] = shipped.targets[name]!;
    if (!HTTPS_MISSING) {
      for (const [profile, name] of Object.entries(CLEAN_HTTPS))
        targets[name] = overTls(shipped.targets[CLEAN[profile as keyof typeof CLEAN]]!, `/${profile}`);
    }
    for (const fault of SELECTED) {
      if (needsHttps(fault.rule) && HTTPS_MISSING) continue;
      for (const profile of fault.profiles) {
        const clean = shipped.targets[CLEAN[profile]]!;
        const base = String(clean.base_url).replace(`/${profile}`, `/_f/${faultName(fault)}/${profile}`);
        // The 429 burst only where the fault is about rate limits, and real Chromium only where it
        // is about CORS: they are the costliest probes.
        const rate = { ...(clean.rate_limit as object), burst: fault.rule.startsWith('ratelimit.') };
        const rules = fault.rule.startsWith('cors.') ? {} : { rules: { skip: ['cors.browser'] } };
        // Generated inputs at their default size only where the fault is about them; elsewhere a
        // few cases per operation still feed the inputs rules (which must not fail) and the run-wide ones.
        const inputs = fault.rule.startsWith('inputs.') ? {} : { inputs: { examples: 4, max_requests: 60 } };
        // The page walk's seed (151 creates and as many deletes on platform, half of all requests
        // of the matrix) only where the fault is about pagination; elsewhere the walk reads what is there.
        const resources = fault.rule.startsWith('pagination.')
          ? {}
          : { resources: (clean.resources as Record<string, unknown>[]).map((r) => ({ ...r, seed_items: 0 })) };
        targets[faultTarget(faultName(fault), profile)] = needsHttps(fault.rule)
          ? { ...overTls(clean, `/_f/${faultName(fault)}/${profile}`), rate_limit: rate, ...rules, ...inputs, ...resources }
          : { ...clean, base_url: base, rate_limit: rate, ...rules, ...inputs, ...resources };
      }
    }
    const started = Date.now();
    judged = await judgeTargets(
      { ...shipped, targets },
      { ...process.env, ...referenceCredentials(), CONFORMANCE_REFERENCE_URL: reference.url },
      6,
    );
    const requests = judged.reduce((n, t) => n + Object.values(t.recording.sentByMethod).reduce((a, b) => a + b, 0), 0);
    const slowest = [...judged]
      .sort((a, b) => b.durationMs - a.durationMs)
      .slice(0, 3)
      .map((t) => `${t.name} ${t.durationMs} ms`);
    console.log(
      `mutation matrix: ${judged.length} targets, ${requests} requests, ${Date.now() - started} ms; slowest: ${slowest.join(', ')}`,
    );
  });

  after(async () => {
    await reference?.close();
  });

  const cleanTargets = [...Object.entries(CLEAN), ...Object.entries(CLEAN_HTTPS).map(([p, n]) => [`${p} over https`, n] as const)];
  for (const [profile, name] of cleanTargets) {
    const skip = name.endsWith('-https') && HTTPS_MISSING ? HTTPS_MISSING : false;
    it(`clean ${name}: every implemented, applicable rule passes`, { skip }, () => {
      const t = judged.find((x) => x.name === name)!;
      const bad = t.rules.filter((r) => r.status === 'failed' || r.status === 'error');
      assert.deepEqual(
        bad.map((r) => `${r.id}: ${r.status}: ${r.message}`),
        [],
        `clean ${profile} target has failures`,
      );
      const implemented = RULES.filter((r) => r.behaviour).map((r) => r.id);
      const notPassed = t.rules.filter(
        (r) =>
          implemented.includes(r.id) &&
          r.severity !== 'off' &&
          r.status !== 'passed' &&
          r.reason !== 'missing-prerequisite' &&
          r.reason !== 'not-applicable',
      );
      assert.deepEqual(
        notPassed.map((r) => `${r.id}: ${r.status} ${r.reason ?? ''} ${r.message}`),
        [],
      );
    });
  }

  for (const fault of SELECTED) {
    for (const profile of fault.profiles) {
      const skip = needsHttps(fault.rule) && HTTPS_MISSING ? HTTPS_MISSING : false;
      it(`fault ${faultName(fault)} (${profile}): ${fault.description}`, { skip }, () => {
        const t = judged.find((x) => x.name === faultTarget(faultName(fault), profile))!;
        const rule = t.rules.find((r) => r.id === fault.rule)!;
        assert.equal(rule.status, 'failed', `${fault.rule} should fail under its fault but is ${rule.status}: ${rule.message}`);
        assert.ok(rule.evidence.length > 0, 'a failure carries evidence');
        assert.ok(
          rule.evidence.every((e) => e.curl.startsWith('curl ')),
          'each piece of evidence has a curl line',
        );
        const others = t.rules.filter(
          (r) => r.id !== fault.rule && r.severity === 'must' && (r.status === 'failed' || r.status === 'error'),
        );
        assert.deepEqual(
          others.map(
            (r) =>
              `${r.id}: ${r.status}: ${r.message}${(r.findings ?? [])
                .slice(0, 3)
                .map((f) => `\n  - ${f.message}`)
                .join('')}`,
          ),
          [],
          'no other must rule may fail',
        );
      });
    }
  }

  it('every implemented rule has a fault in the reference API that makes it fail', () => {
    const faulted = new Set(FAULTS.map((f) => f.rule));
    const missing = RULES.filter((r) => r.behaviour && !faulted.has(r.id)).map((r) => r.id);
    assert.deepEqual(missing, []);
  });
});
