/** waivers.yaml: parsing with positions, what counts, and how waivers change a summary. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summaryProblems } from '../src/report/read-summary.ts';
import { join } from 'node:path';
import { expiryInstant, loadWaivers, parseWaivers, WaiverFileError } from '../src/policy/waivers.ts';
import { ROOT } from './support/harness.ts';
import { craftSummary } from './support/summaries.ts';
import { applyWaivers, waiversRecordedIn } from '../src/policy/apply-waivers.ts';

const NOW = new Date('2026-11-22T12:00:00Z');

const waiver = (fields: Record<string, string>): string =>
  `  - ${Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n    ')}\n`;

const file = (...entries: string[]): string => `version: 1\nwaivers:\n${entries.join('')}`;

const GOOD = {
  rule: 'errors.shape',
  target: 'staging',
  reason: 'gateway rewrites 404s; INFRA-77',
  owner: 'platform-team',
  expires: '2027-01-31',
};

describe('parseWaivers', () => {
  it('reads a valid waiver with its position', () => {
    const set = parseWaivers(file(waiver(GOOD)), 'waivers.yaml', NOW);
    assert.equal(set.problems.length, 0);
    assert.deepEqual(set.waivers[0], { ...GOOD, source: { file: 'waivers.yaml', line: 3, column: 5 } });
  });

  it('an expired waiver does not count and is reported at its expires field', () => {
    const set = parseWaivers(file(waiver({ ...GOOD, expires: '2026-11-21' }), waiver({ ...GOOD, rule: 'status.read-200' })), 'w.yaml', NOW);
    assert.deepEqual(
      set.waivers.map((w) => w.rule),
      ['status.read-200'],
    );
    assert.equal(set.problems.length, 1);
    const p = set.problems[0]!;
    assert.equal(p.kind, 'expired');
    assert.equal(p.level, 'error');
    assert.equal(`${p.file}:${p.line}:${p.column}`, 'w.yaml:7:14');
    assert.match(p.message, /expired on 2026-11-21/);
  });

  it('a date is valid through that day (UTC); a date-time to the instant', () => {
    assert.equal(parseWaivers(file(waiver({ ...GOOD, expires: '2026-11-22' })), 'w', NOW).waivers.length, 1);
    assert.equal(parseWaivers(file(waiver({ ...GOOD, expires: '"2026-11-22T11:59:59Z"' })), 'w', NOW).waivers.length, 0);
    assert.equal(expiryInstant('2026-11-22')?.toISOString(), '2026-11-23T00:00:00.000Z');
  });

  it('a wrong rule id does not count and suggests the right one', () => {
    const set = parseWaivers(file(waiver({ ...GOOD, rule: 'errors.shap' })), 'w.yaml', NOW);
    assert.equal(set.waivers.length, 0);
    assert.equal(set.problems[0]?.kind, 'unknown-rule');
    assert.equal(set.problems[0]?.line, 3);
    assert.match(set.problems[0]?.fix ?? '', /did you mean "errors.shape"/);
  });

  it('malformed waivers do not count; the others still do', () => {
    const { owner: _owner, ...noOwner } = GOOD;
    const set = parseWaivers(
      file(
        waiver(noOwner),
        waiver({ ...GOOD, expire: '2027-01-01' }),
        waiver({ ...GOOD, expires: 'next week' }),
        waiver({ ...GOOD, rule: 'Errors Shape' }),
        waiver({ ...GOOD, rule: 'status.read-200' }),
      ),
      'w.yaml',
      NOW,
    );
    assert.deepEqual(
      set.waivers.map((w) => w.rule),
      ['status.read-200'],
    );
    assert.deepEqual(
      set.problems.map((p) => [p.kind, p.line]),
      [
        ['malformed', 3],
        ['malformed', 12],
        ['malformed', 17],
        ['malformed', 18],
      ],
    );
    assert.match(set.problems[0]!.message, /missing "owner"/);
    assert.match(set.problems[1]!.message, /unknown key "expire"/);
    assert.match(set.problems[1]!.fix ?? '', /did you mean "expires"/);
    assert.match(set.problems[2]!.message, /"next week" is not a date/);
  });

  it('warns about a waiver that expires within two weeks, and still counts it', () => {
    const set = parseWaivers(file(waiver({ ...GOOD, expires: '2026-11-30' })), 'w', NOW);
    assert.equal(set.waivers.length, 1);
    assert.equal(set.problems[0]?.kind, 'expiring');
    assert.equal(set.problems[0]?.level, 'warning');
  });

  it('an unusable file is an error with file:line:column', () => {
    assert.throws(
      () => parseWaivers('version: 1\nwaivers:\n  - rule: [unclosed\n', 'w.yaml', NOW),
      (e: unknown) => e instanceof WaiverFileError && /^w\.yaml:\d+:\d+: ignored: YAML syntax error/.test(e.message),
    );
    assert.throws(
      () => parseWaivers('version: 1\nwaiver:\n  - rule: x\n', 'w.yaml', NOW),
      (e: unknown) =>
        e instanceof WaiverFileError && /w\.yaml:2:1: .*unknown key "waiver"/.test(e.message) && /did you mean "waivers"/.test(e.message),
    );
    assert.throws(() => parseWaivers('- rule: errors.shape\n', 'w.yaml', NOW), WaiverFileError);
  });

  it('the shipped waivers.example.yaml is well-formed', () => {
    const set = loadWaivers(join(ROOT, 'waivers.example.yaml'), new Date('2026-01-01T00:00:00Z'));
    assert.deepEqual(set.problems, []);
    assert.deepEqual(
      set.waivers.map((w) => `${w.rule}@${w.target}`),
      ['security.hsts@staging-platform', 'cors.max-age@*'],
    );
  });

  it('an empty file or an empty list is no waivers', () => {
    assert.deepEqual(parseWaivers('', 'w', NOW).waivers, []);
    assert.deepEqual(parseWaivers('version: 1\nwaivers:\n', 'w', NOW).waivers, []);
  });
});

describe('applyWaivers', () => {
  const summary = craftSummary({
    staging: { rules: { 'errors.shape': 'failed', 'auth.expired-401': 'error', 'cors.max-age': 'failed' } },
    prod: { rules: { 'errors.shape': 'failed' } },
  });
  const set = (...entries: Record<string, string>[]): ReturnType<typeof parseWaivers> =>
    parseWaivers(file(...entries.map(waiver)), 'waivers.yaml', NOW);

  it('waives a failed rule on the named target only, keeping message and evidence', () => {
    assert.equal(summary.verdict, 'not-ready');
    const out = applyWaivers(summary, set(GOOD));
    const staging = out.targets.find((t) => t.name === 'staging')!;
    const rule = staging.rules.find((r) => r.id === 'errors.shape')!;
    assert.equal(rule.status, 'waived');
    assert.equal(rule.reason, 'waived');
    assert.equal(rule.message, summary.targets[0]!.rules.find((r) => r.id === 'errors.shape')!.message);
    assert.ok(rule.evidence.length > 0);
    assert.deepEqual(rule.waiver?.was, { status: 'failed' });
    assert.equal(rule.waiver?.source, 'waivers.yaml:3:5');
    assert.equal(staging.counts.waived, 1);
    assert.equal(staging.counts.failed, 1);
    assert.equal(out.targets.find((t) => t.name === 'prod')!.rules.find((r) => r.id === 'errors.shape')!.status, 'failed');
    assert.deepEqual(summaryProblems(out), []);
  });

  it('a wildcard waiver covers every target; a waived must rule does not make the verdict not-ready', () => {
    const out = applyWaivers(summary, set({ ...GOOD, target: '"*"' }, { ...GOOD, rule: 'auth.expired-401', target: 'staging' }));
    assert.equal(
      out.targets.every((t) => t.rules.find((r) => r.id === 'errors.shape')!.status === 'waived'),
      true,
    );
    assert.deepEqual(out.targets.find((t) => t.name === 'staging')!.rules.find((r) => r.id === 'auth.expired-401')!.waiver?.was, {
      status: 'error',
      reason: 'transport-error',
    });
    assert.equal(out.verdict, 'ready');
    assert.equal(out.waivers?.applied, 3);
  });

  it('a waiver naming the target wins over a wildcard one', () => {
    const out = applyWaivers(summary, set({ ...GOOD, target: '"*"', owner: 'everyone' }, { ...GOOD, owner: 'staging-team' }));
    assert.equal(out.targets.find((t) => t.name === 'staging')!.rules.find((r) => r.id === 'errors.shape')!.waiver?.owner, 'staging-team');
    assert.equal(out.targets.find((t) => t.name === 'prod')!.rules.find((r) => r.id === 'errors.shape')!.waiver?.owner, 'everyone');
  });

  it('never waives a passed or skipped rule; reports unused waivers and unknown targets', () => {
    const out = applyWaivers(summary, set({ ...GOOD, rule: 'status.read-200' }, { ...GOOD, target: 'stagign' }));
    assert.equal(
      out.targets.every((t) => t.counts.waived === 0),
      true,
    );
    assert.deepEqual(
      out.waivers?.problems.map((p) => p.kind),
      ['unused', 'unknown-target'],
    );
    assert.match(out.waivers!.problems[0]!.message, /matched no failed rule \(passed on staging\)/);
    assert.match(out.waivers!.problems[1]!.fix ?? '', /did you mean "staging"/);
  });

  it('re-applying with other waivers undoes the earlier ones first', () => {
    const once = applyWaivers(summary, set(GOOD));
    const again = applyWaivers(once, set({ ...GOOD, rule: 'cors.max-age' }));
    const staging = again.targets.find((t) => t.name === 'staging')!;
    assert.equal(staging.rules.find((r) => r.id === 'errors.shape')!.status, 'failed');
    assert.equal(staging.rules.find((r) => r.id === 'errors.shape')!.waiver, undefined);
    assert.equal(staging.rules.find((r) => r.id === 'cors.max-age')!.status, 'waived');
    assert.deepEqual(again, applyWaivers(summary, set({ ...GOOD, rule: 'cors.max-age' })));
  });

  it('waivers recorded in a summary are re-checked: expired ones stop counting', () => {
    const recorded = applyWaivers(summary, set(GOOD, { ...GOOD, rule: 'cors.max-age', expires: '2026-12-01' }));
    const later = waiversRecordedIn(recorded, new Date('2026-12-15T00:00:00Z'));
    assert.deepEqual(
      later.waivers.map((w) => w.rule),
      ['errors.shape'],
    );
    assert.equal(later.problems[0]?.kind, 'expired');
    assert.equal(later.problems[0]?.line, 8);
  });
});
