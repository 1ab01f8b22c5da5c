/**
 * SPEC §5 bounded sizes: a rule keeps at most 50 findings (with findings_total and a count per
 * kind) and 8 evidence exchanges, decided once in evaluation; history entries carry no findings
 * or evidence; a rule that found 30,000 things leaves summary.json, junit.xml, index.html and
 * a history entry within their sizes. The browser part (first screen, scorecard width) is in
 * report-screen.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { evaluateRule, MAX_EVIDENCE, type RuleResult } from '../src/harness/evaluate.ts';
import { boundFindings, kindOf, MAX_FINDINGS } from '../src/harness/findings.ts';
import { historyCopy, recordHistory } from '../src/report/history.ts';
import { toHtml } from '../src/report/html.ts';
import { toJunit } from '../src/report/junit.ts';
import { summaryProblems } from '../src/report/read-summary.ts';
import { ruleById } from '../src/rules/registry.ts';
import type { Rule } from '../src/rules/registry.ts';
import type { Finding } from '../src/rules/types.ts';
import type { Summary } from '../src/spec/summary.ts';
import { context, exchange, recording } from './support/exchanges.ts';
import { craftSummary, tempFiles } from './support/summaries.ts';

const HUGE = 30_000;
const KB = 1000;
const MB = 1000 * KB;

/** What a check over a 13 MB document reports: one cause thousands of times, a few others. */
function hugeFindings(exchangeIds: readonly number[]): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < HUGE; i++) {
    const id = exchangeIds[i % exchangeIds.length]!;
    if (i % 1000 === 999)
      out.push({ message: `GET /repos/{owner}/{repo}/issues/${i} → 200: $.user: missing 'login'`, exchanges: [id], at: `/${i}/user` });
    else
      out.push({
        message: `GET /repos/{owner}/{repo}/pulls/${i} → 200: $[${i % 30}].description: must be string (instance /${i % 30}/description, schema #/components/schemas/pull/properties/description/type)`,
        exchanges: [id],
        at: `/${i % 30}/description`,
        kind: 'description is null where the document says string',
        expected: 'valid against #/components/schemas/pull',
        received: 'null',
      });
  }
  return out;
}

/** docs.response-schema judged over a recording, with its check swapped for one that reports HUGE findings. */
function hugeResult(): RuleResult {
  const ctx = context('platform', '    openapi: /openapi.json\n');
  const exchanges = Array.from({ length: 40 }, (_, i) =>
    exchange({ path: `/repos/o/r/pulls/${i}`, status: 200, body: { description: null } }),
  );
  const real = ruleById('docs.response-schema')!;
  const rule = {
    ...real,
    behaviour: {
      ...real.behaviour!,
      check: () => ({ status: 'failed', message: 'huge', findings: hugeFindings(exchanges.map((e) => e.id)) }),
    },
  } as Rule;
  return evaluateRule(rule, ctx.target, recording(exchanges), ctx.schemas);
}

/** A summary of one platform target whose docs.response-schema is `result`. */
function summaryWith(result: RuleResult): Summary {
  const s = craftSummary({ github: {} });
  const t = s.targets[0]!;
  (t as { rules: unknown }).rules = t.rules.map((r) => (r.id === result.id ? result : r));
  (t as { counts: unknown }).counts = { ...t.counts, passed: t.counts.passed - 1, failed: t.counts.failed + 1 };
  return { ...s, verdict: 'not-ready' };
}

describe('bounded findings (evaluation)', () => {
  it('a rule keeps at most 50 findings, every kind shown, with findings_total and counts per kind', () => {
    const r = hugeResult();
    assert.equal(r.status, 'failed');
    assert.ok(r.findings!.length <= MAX_FINDINGS);
    assert.equal(r.findings_total, HUGE);
    assert.equal(r.finding_kinds!.length, 2, JSON.stringify(r.finding_kinds));
    assert.deepEqual(r.finding_kinds![0], { kind: 'description is null where the document says string', count: HUGE - 30 });
    assert.equal(r.finding_kinds![1]!.count, 30);
    // The rarer cause is not crowded out of the kept findings.
    assert.ok(r.findings!.some((f) => f.kind === r.finding_kinds![1]!.kind));
    assert.ok(r.evidence.length <= MAX_EVIDENCE);
  });

  it('without a kind from the check, instances of one cause share a kind', () => {
    const a = kindOf({ message: 'GET /a/1 → 200: $[3].x: must be string (instance /3/x, schema #/p/x/type)', exchanges: [] });
    const b = kindOf({ message: 'GET /b/{id}/22 → 201: $[14].x: must be string (instance /14/x, schema #/q/x/type)', exchanges: [] });
    assert.equal(a, b);
    assert.notEqual(a, kindOf({ message: "GET /a/1 → 200: $.y: missing 'login'", exchanges: [] }));
  });

  it('more kinds than fit: the last entry sums up the others, findings_total counts them all', () => {
    const many = Array.from({ length: 120 }, (_, i) => ({ message: `m ${i}`, kind: `cause ${i}`, exchanges: [i] }));
    const b = boundFindings(many);
    assert.equal(b.findings.length, MAX_FINDINGS);
    assert.equal(b.findings_total, 120);
    assert.equal(b.finding_kinds.length, 50);
    assert.deepEqual(b.finding_kinds.at(-1), { kind: '(71 other kinds)', count: 71 });
  });
});

describe('report sizes with 30,000 findings in one rule (SPEC §5)', () => {
  const summary = summaryWith(hugeResult());
  it('summary.json is valid and ≤ 2 MB', () => {
    assert.deepEqual(summaryProblems(summary), []);
    assert.ok(JSON.stringify(summary, null, 2).length <= 2 * MB);
  });
  it('junit.xml ≤ 500 KB and says how many findings are not shown', () => {
    const xml = toJunit(summary);
    assert.ok(Buffer.byteLength(xml) <= 500 * KB);
    assert.match(xml, /29950 more findings not shown \(total 30000\)/);
    assert.match(xml, /description is null where the document says string \(29970×\)/);
  });
  it('index.html ≤ 2 MB and says how many findings are not shown', () => {
    const html = toHtml(summary);
    assert.ok(Buffer.byteLength(html) <= 2 * MB);
    assert.match(html, /29950 more findings not shown \(total 30000\)/);
    assert.match(html, /description is null where the document says string <b>\(29970×\)<\/b>/);
  });
  it('a history entry ≤ 100 KB, without findings or evidence, still valid for diff and trends', () => {
    const copy = historyCopy(summary);
    assert.deepEqual(summaryProblems(copy), []);
    const rule = copy.targets[0]!.rules.find((r) => r.id === 'docs.response-schema')!;
    assert.equal(rule.findings, undefined);
    assert.deepEqual(rule.evidence, []);
    assert.equal(rule.findings_total, HUGE);
    const file = recordHistory(tempFiles('history-size').dir, summary);
    assert.ok(statSync(file).size <= 100 * KB, `${statSync(file).size} bytes`);
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as Summary).verdict, 'not-ready');
  });
});
