/** `conformance diff` and the run history: what changed between runs, and the trend. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { diffExitCode, diffSummaries } from '../src/report/diff.ts';
import { diffMarkdown, diffText } from '../src/report/diff-view.ts';
import { historyCopy, previousRun, readHistory, recordHistory, trendOf } from '../src/report/history.ts';
import { summaryProblems } from '../src/report/read-summary.ts';
import { parseWaivers } from '../src/policy/waivers.ts';
import { ROOT } from './support/harness.ts';
import { craftSummary, tempFiles } from './support/summaries.ts';
import { applyWaivers } from '../src/policy/apply-waivers.ts';
import type { Summary } from '../src/spec/summary.ts';

const OLD = craftSummary(
  {
    staging: {
      rules: {
        'errors.shape': 'failed',
        'auth.expired-401': { status: 'skipped', reason: 'missing-prerequisite' },
        'cors.max-age': 'failed',
      },
    },
    retired: {},
  },
  '2026-11-21T02:00:00Z',
);
const NEW = craftSummary(
  {
    staging: {
      rules: {
        'status.read-200': { status: 'failed', message: 'GET item answered 500' },
        'auth.expired-401': 'failed',
        'cors.max-age': 'error',
        'docs.examples': 'failed',
      },
    },
    fresh: {},
  },
  '2026-11-22T02:00:00Z',
);

function removeRule(s: Summary, id: string): Summary {
  return { ...s, targets: s.targets.map((t) => ({ ...t, rules: t.rules.filter((r) => r.id !== id) })) };
}

describe('diffSummaries', () => {
  const d = diffSummaries(removeRule(OLD, 'streaming.sse'), removeRule(NEW, 'methods.get-safe'));

  it('lists regressions (passed → failed/error), must first', () => {
    assert.deepEqual(
      d.regressions.map((c) => `${c.target}/${c.id} ${c.from}→${c.to}`),
      ['staging/status.read-200 passed→failed', 'staging/docs.examples passed→failed'],
    );
    assert.equal(d.regressions[0]!.message, 'GET item answered 500');
  });
  it('lists fixes, new failures (not judged before) and other changes', () => {
    assert.deepEqual(
      d.fixes.map((c) => c.id),
      ['errors.shape'],
    );
    assert.deepEqual(
      d.newFailures.map((c) => `${c.id} ${c.from}→${c.to}`),
      ['auth.expired-401 skipped→failed'],
    );
    assert.deepEqual(
      d.otherChanges.map((c) => `${c.id} ${c.from}→${c.to}`),
      ['cors.max-age failed→error'],
    );
  });
  it('lists new and removed rules and targets', () => {
    assert.deepEqual(d.newRules, ['streaming.sse']);
    assert.deepEqual(d.removedRules, ['methods.get-safe']);
    assert.deepEqual(d.newTargets, ['fresh']);
    assert.deepEqual(d.removedTargets, ['retired']);
  });
  it('sees through waivers: a newly failing rule under a waiver is still a regression', () => {
    const waived = applyWaivers(
      NEW,
      parseWaivers('waivers:\n  - {rule: status.read-200, target: staging, reason: r, owner: o, expires: "2099-01-01"}\n', 'w.yaml'),
    );
    const w = diffSummaries(OLD, waived);
    assert.equal(w.regressions[0]?.id, 'status.read-200');
    assert.equal(w.regressions[0]?.waived, true);
    assert.equal(w.regressions[0]?.to, 'waived');
  });
  it('exit code: 1 on any regression by default; --fail-on must ignores should-only regressions', () => {
    assert.equal(diffExitCode(d), 1);
    assert.equal(diffExitCode(d, 'never'), 0);
    const shouldOnly = diffSummaries(
      OLD,
      craftSummary({ staging: { rules: { 'docs.examples': 'failed', 'errors.shape': 'failed', 'cors.max-age': 'failed' } } }),
    );
    assert.equal(diffExitCode(shouldOnly, 'any'), 1);
    assert.equal(diffExitCode(shouldOnly, 'must'), 0);
    assert.equal(diffExitCode(diffSummaries(OLD, OLD)), 0);
  });
  it('text and Markdown views', () => {
    const text = diffText(d, { oldFile: 'old.json', newFile: 'new.json' });
    assert.match(
      text,
      /2 regressions · 1 fix · 1 new failure · 1 other change · 1 new rule · 1 removed rule · 1 new target · 1 removed target/,
    );
    assert.match(
      text,
      /Regressions — passed before, failing now \(2\):\n {2}✗ staging\s+status\.read-200\s+must\s+passed → failed\s+GET item answered 500/,
    );
    const md = diffMarkdown(d, { oldFile: 'old.json', newFile: 'new.json' });
    assert.match(md, /### Regressions \(2\)/);
    assert.match(md, /\| `staging` \| `status\.read-200` \| must \| passed → failed \| GET item answered 500 \|/);
  });
});

function cli(args: readonly string[]): { code: number; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/conformance.mjs'), 'diff', ...args], { cwd: ROOT, env, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('conformance diff (CLI)', () => {
  const files = tempFiles('diff');
  const oldFile = files.write('old.json', OLD);
  const newFile = files.write('new.json', NEW);

  it('exit 1 when a rule regressed, 0 when none did', () => {
    const r = cli([oldFile, newFile]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /Regressions/);
    assert.equal(cli([newFile, newFile]).code, 0);
    assert.match(cli([newFile, newFile]).stdout, /No rule changed status\./);
  });
  it('--format json and markdown', () => {
    const r = cli([oldFile, newFile, '--format', 'json']);
    const out = JSON.parse(r.stdout) as { exit_code: number; regressions: { id: string }[] };
    assert.equal(out.exit_code, 1);
    assert.deepEqual(
      out.regressions.map((x) => x.id),
      ['status.read-200', 'docs.examples'],
    );
    assert.match(cli([oldFile, newFile, '--format', 'markdown']).stdout, /^## 🔻 Conformance changes since 2026-11-21T02:00:00Z/);
  });
  it('OLD may be a history folder: the latest run before NEW is compared', () => {
    const dir = join(files.dir, 'history');
    recordHistory(dir, OLD);
    recordHistory(dir, NEW);
    const r = cli([dir, newFile, '--format', 'json']);
    assert.equal(r.code, 1);
    assert.match((JSON.parse(r.stdout) as { old_file: string }).old_file, /2026-11-21T02-00-00Z-[0-9a-f]{6}\.json$/);
  });
  it('exit 2 on unusable input', () => {
    assert.equal(cli([join(files.dir, 'missing.json'), newFile]).code, 2);
    assert.equal(cli([files.write('bad.json', '{"schema_version": 2}'), newFile]).code, 2);
    assert.equal(cli([tempFiles('empty-history').dir, newFile]).code, 2); // a folder with no earlier run
    assert.equal(cli([newFile]).code, 2);
  });
});

describe('history', () => {
  it('keeps the last N runs, without evidence, as valid summaries', () => {
    const dir = tempFiles('history').dir;
    for (let day = 1; day <= 5; day++)
      recordHistory(dir, craftSummary({ staging: { rules: { 'errors.shape': 'failed' } } }, `2026-11-0${day}T02:00:00Z`), 3);
    writeFileSync(join(dir, 'notes.json'), '{"not": "a summary"}');
    assert.equal(readdirSync(dir).filter((f) => f.startsWith('2026')).length, 3);
    const { entries, unreadable } = readHistory(dir);
    assert.deepEqual(
      entries.map((e) => e.summary.started_at),
      ['2026-11-03T02:00:00Z', '2026-11-04T02:00:00Z', '2026-11-05T02:00:00Z'],
    );
    assert.equal(unreadable.length, 1);
    assert.ok(entries.every((e) => e.summary.targets.every((t) => t.rules.every((r) => r.evidence.length === 0))));
    assert.deepEqual(summaryProblems(historyCopy(NEW)), []);
  });
  it('the trend counts the current targets over past runs, this run last', () => {
    const dir = tempFiles('trend').dir;
    recordHistory(
      dir,
      craftSummary({ staging: { rules: { 'errors.shape': 'failed', 'status.read-200': 'failed' } }, other: {} }, '2026-11-20T02:00:00Z'),
    );
    recordHistory(dir, craftSummary({ unrelated: {} }, '2026-11-21T01:00:00Z'));
    recordHistory(dir, craftSummary({ staging: { rules: { 'errors.shape': 'failed' } } }, '2026-11-21T02:00:00Z'));
    const current = craftSummary({ staging: {} }, '2026-11-22T02:00:00Z');
    const { entries } = readHistory(dir);
    const trend = trendOf(entries, current);
    assert.deepEqual(
      trend.map((p) => [p.started_at.slice(0, 10), p.counts.failed, p.current]),
      [
        ['2026-11-20', 2, false],
        ['2026-11-21', 1, false],
        ['2026-11-22', 0, true],
      ],
    );
    assert.equal(trend[2]!.counts.passed - trend[0]!.counts.passed, 2);
    assert.equal(previousRun(entries, current)?.summary.started_at, '2026-11-21T02:00:00Z');
  });
});
