/**
 * `npx conformance gate` end to end (the real CLI process): exit 0 ready, 1 not ready or
 * incomplete, 2 unusable input, on crafted summaries and waiver files.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decideGate } from '../src/policy/gate.ts';
import { gateMarkdown, gateText } from '../src/report/gate-view.ts';
import { ROOT } from './support/harness.ts';
import { craftSummary, tempFiles } from './support/summaries.ts';

function gate(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): { code: number; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...options.env };
  delete env.GITHUB_STEP_SUMMARY;
  delete env.CONFORMANCE_WAIVERS;
  delete env.NODE_TEST_CONTEXT;
  Object.assign(env, options.env);
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/conformance.mjs'), 'gate', ...args], {
    cwd: options.cwd ?? ROOT,
    env,
    encoding: 'utf8',
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const waivers = (...entries: { rule: string; target: string; expires?: string }[]): string =>
  `version: 1\nwaivers:\n${entries.map((e) => `  - rule: ${e.rule}\n    target: "${e.target}"\n    reason: known issue, fix tracked in API-1\n    owner: api-team\n    expires: ${e.expires ?? '2099-12-31'}\n`).join('')}`;

describe('conformance gate', () => {
  const files = tempFiles('gate');
  const ready = files.write('ready.json', craftSummary({ staging: {}, 'staging-backend': { profile: 'backend' } }));
  const notReady = files.write(
    'not-ready.json',
    craftSummary({
      staging: { rules: { 'errors.shape': 'failed', 'cors.max-age': 'failed' } },
      'staging-backend': { profile: 'backend', rules: { 'errors.shape': { status: 'failed', message: '404 body is not an envelope' } } },
    }),
  );
  const incomplete = files.write(
    'incomplete.json',
    craftSummary({ staging: { rules: { 'auth.expired-401': { status: 'skipped', reason: 'missing-prerequisite' } } } }),
  );

  it('exit 0 on a ready summary, with the verdict and the table', () => {
    const r = gate(['--summary', ready, '--waivers', 'none']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Release gate: READY/);
    assert.match(r.stdout, /target\s+profile\s+must passed/);
    assert.match(r.stdout, /staging-backend\s+backend/);
  });

  it('exit 1 when a must rule failed, naming it; should failures do not block', () => {
    const r = gate(['--summary', notReady, '--waivers', 'none']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /NOT READY — 2 must rules failed/);
    assert.match(r.stdout, /✗ staging\s+errors\.shape/);
    assert.match(r.stdout, /✗ staging-backend\s+errors\.shape\s+404 body is not an envelope/);
    assert.match(r.stdout, /1 should rule\(s\) failed \(reported, not blocking\): cors\.max-age@staging/);
  });

  it('exit 0 when a wildcard waiver covers the failing must rule on every target', () => {
    const w = files.write('wildcard.yaml', waivers({ rule: 'errors.shape', target: '*' }));
    const r = gate(['--summary', notReady, '--waivers', w]);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /READY — no must rule failed or went unjudged \(2 must rules waived\)/);
    assert.match(r.stdout, /Waived \(2\)/);
  });

  it('exit 1 when the waiver is expired: it does not count and is reported with its position', () => {
    const w = files.write('expired.yaml', waivers({ rule: 'errors.shape', target: '*', expires: '2020-01-01' }));
    const r = gate(['--summary', notReady, '--waivers', w]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /expired\.yaml:7:14: ignored: waiver 1 \(errors\.shape on \*, owner api-team\) expired on 2020-01-01/);
  });

  it('exit 1 when the waiver names a wrong rule id, with a suggestion', () => {
    const w = files.write('typo.yaml', waivers({ rule: 'errors.shapes', target: '*' }));
    const r = gate(['--summary', notReady, '--waivers', w]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /typo\.yaml:3:11: ignored: waiver 1 names "errors\.shapes", which is not a rule of the catalogue/);
    assert.match(r.stdout, /did you mean "errors\.shape"/);
  });

  it('exit 1 when a waiver covers one target only', () => {
    const w = files.write('one.yaml', waivers({ rule: 'errors.shape', target: 'staging' }));
    const r = gate(['--summary', notReady, '--waivers', w]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /NOT READY — 1 must rule failed/);
  });

  it('exit 1 on an incomplete run, 0 with --allow-incomplete', () => {
    const r = gate(['--summary', incomplete, '--waivers', 'none']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /INCOMPLETE — 1 must rule was not judged/);
    assert.match(r.stdout, /auth\.expired-401\s+missing-prerequisite/);
    assert.equal(gate(['--summary', incomplete, '--waivers', 'none', '--allow-incomplete']).code, 0);
  });

  it('uses ./waivers.yaml when present, and writes Markdown to $GITHUB_STEP_SUMMARY', () => {
    const project = tempFiles('gate-cwd');
    project.write('waivers.yaml', waivers({ rule: 'errors.shape', target: '*' }));
    const stepSummary = project.write('step-summary.md', '# earlier step\n');
    const r = gate(['--summary', notReady], { cwd: project.dir, env: { GITHUB_STEP_SUMMARY: stepSummary } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const md = readFileSync(stepSummary, 'utf8');
    assert.match(md, /^# earlier step\n## ✅ Release gate: ready/);
    assert.match(md, /\| target \| profile \| must passed \|/);
    assert.match(md, /### Waived \(2\)/);
  });

  it('--format json gives the decision to machines', () => {
    const r = gate(['--summary', notReady, '--waivers', 'none', '--format', 'json']);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout) as { verdict: string; exit_code: number; blocking: { target: string; rule: string }[] };
    assert.equal(out.verdict, 'not-ready');
    assert.equal(out.exit_code, 1);
    assert.deepEqual(
      out.blocking.map((b) => `${b.target}/${b.rule}`),
      ['staging/errors.shape', 'staging-backend/errors.shape'],
    );
  });

  describe('exit 2: unusable input, no verdict', () => {
    it('a missing summary', () => {
      const r = gate(['--summary', join(files.dir, 'nope.json'), '--waivers', 'none']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /unusable input[\s\S]*nope\.json: no such file/);
    });
    it('a summary that is not JSON', () => {
      const r = gate(['--summary', files.write('truncated.json', '{"schema_version": 1, "targ'), '--waivers', 'none']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /not JSON/);
    });
    it('a summary that does not match the schema', () => {
      const broken = craftSummary({ staging: {} }) as unknown as { targets: { rules: { status: string }[] }[] };
      broken.targets[0]!.rules[0]!.status = 'fine';
      const r = gate(['--summary', files.write('broken.json', broken), '--waivers', 'none']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /not a valid summary\.json: \$\.targets\[0\]\.rules\[0\]\.status/);
    });
    it('a summary with no targets', () => {
      const r = gate(['--summary', files.write('empty.json', { ...craftSummary({}), targets: [] }), '--waivers', 'none']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /no targets/);
    });
    it('a waivers file that is not YAML, or is missing', () => {
      const bad = files.write('bad.yaml', 'version: 1\nwaivers:\n  - rule: [errors.shape\n');
      const r = gate(['--summary', ready, '--waivers', bad]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /bad\.yaml:\d+:\d+: ignored: YAML syntax error/);
      assert.equal(gate(['--summary', ready, '--waivers', join(files.dir, 'absent.yaml')]).code, 2);
    });
    it('an unknown option value', () => {
      assert.equal(gate(['--summary', ready, '--format', 'xml']).code, 2);
    });
  });
});

describe('gate views', () => {
  it('text and Markdown name every blocking rule and the reason for the verdict', () => {
    const d = decideGate(craftSummary({ staging: { rules: { 'errors.shape': 'failed', 'auth.missing-401': 'error' } } }), undefined);
    const text = gateText(d, { summaryFile: 'reports/summary.json', reportFile: 'reports/index.html' });
    assert.match(text, /NOT READY — 1 must rule failed and 1 must rule could not be judged\./);
    assert.match(text, /! staging\s+auth\.missing-401\s+could not check: connection reset/);
    assert.match(text, /evidence for every failure: reports\/index\.html/);
    const md = gateMarkdown(d, { summaryFile: 'reports/summary.json' });
    assert.match(md, /\| `staging` \| `errors\.shape` \| failed \|/);
  });
});
