/**
 * Rule selection inside a target's one Playwright test (src/runner/selection.ts): --grep on a
 * rule id or @area, --grep-invert, and the tags that keep Playwright's own grep consistent with it.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { FullConfig, FullProject } from '@playwright/test';
import { RULES } from '../src/rules/registry.ts';
import { invertedAtDeclaration, selectedRules } from '../src/runner/selection.ts';

const config = { grep: /.*/, grepInvert: null } as unknown as FullConfig;
const project = { name: 'local-backend', grep: /.*/, grepInvert: null } as unknown as FullProject;
const ids = (env: Record<string, string>): string[] => {
  Object.assign(process.env, { CONFORMANCE_GREP: '', CONFORMANCE_GREP_INVERT: '' }, env);
  return selectedRules(RULES, config, project).map((r) => r.id);
};

describe('rule selection', () => {
  afterEach(() => {
    delete process.env.CONFORMANCE_GREP;
    delete process.env.CONFORMANCE_GREP_INVERT;
  });

  it('--grep on a rule id or an @area selects exactly those rules', () => {
    assert.deepEqual(ids({ CONFORMANCE_GREP: 'errors\\.shape' }), ['errors.shape']);
    assert.deepEqual(
      ids({ CONFORMANCE_GREP: '@cors' }),
      RULES.filter((r) => r.area === 'cors').map((r) => r.id),
    );
    assert.equal(ids({}).length, RULES.length);
  });

  it('--grep-invert leaves the rule (or area) out of the selection and out of the test tags, and nothing else', () => {
    const rest = ids({ CONFORMANCE_GREP_INVERT: 'cors\\.browser' });
    assert.equal(rest.length, RULES.length - 1);
    assert.ok(!rest.includes('cors.browser'));
    assert.deepEqual(
      RULES.filter(invertedAtDeclaration).map((r) => r.id),
      ['cors.browser'],
    );
    process.env.CONFORMANCE_GREP_INVERT = '@cors';
    assert.deepEqual(
      RULES.filter(invertedAtDeclaration).map((r) => r.id),
      RULES.filter((r) => r.area === 'cors').map((r) => r.id),
    );
  });
});
