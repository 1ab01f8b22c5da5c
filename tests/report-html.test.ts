/** index.html and junit.xml as text: self-contained, escaped, complete. (The browser test is in report.test.ts.) */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CATALOGUE } from '../src/spec/catalogue.ts';
import { diffSummaries } from '../src/report/diff.ts';
import { trendOf } from '../src/report/history.ts';
import { toHtml } from '../src/report/html.ts';
import { toJunit } from '../src/report/junit.ts';
import { parseWaivers } from '../src/policy/waivers.ts';
import { craftSummary, evidence } from './support/summaries.ts';
import { applyWaivers } from '../src/policy/apply-waivers.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';

function hostileSummary(): ReturnType<typeof craftSummary> {
  const s = craftSummary({
    staging: {
      rules: {
        'errors.shape': { status: 'failed', message: `body was ${HOSTILE}` },
        'cors.max-age': 'failed',
        'auth.missing-401': 'error',
        'auth.expired-401': 'skipped',
      },
    },
    backend: { profile: 'backend', rules: { 'status.create-201': 'failed' } },
  });
  const rule = s.targets[0]!.rules.find((r) => r.id === 'errors.shape')!;
  (rule as { evidence: unknown }).evidence = [evidence('/v2/x', 500, '</pre><script>alert(1)</script>')];
  return applyWaivers(
    s,
    parseWaivers(
      'waivers:\n  - {rule: status.create-201, target: backend, reason: "legacy <clients>", owner: team-b, expires: "2099-01-01"}\n',
      'waivers.yaml',
    ),
  );
}

describe('index.html', () => {
  const summary = hostileSummary();
  const past = craftSummary({ staging: {}, backend: { profile: 'backend' } }, '2026-11-21T02:00:00Z');
  const html = toHtml(summary, {
    playwrightReport: 'playwright/index.html',
    trend: trendOf([{ file: 'h.json', summary: past }], summary),
    changes: diffSummaries(past, summary),
  });

  it('is self-contained: one inline script, no external resource', () => {
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.doesNotMatch(html, /<script[^>]+src=|<link |<img |@import|url\(/);
    assert.doesNotMatch(html, /(src|href)="https?:/);
  });

  it('escapes everything a service sent or a user wrote', () => {
    assert.doesNotMatch(html, /<img src=x/);
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, /body was &lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(html, /legacy &lt;clients&gt;/);
  });

  it('shows the verdict and why, the scorecard, failures with evidence, waivers, skips by reason and every result', () => {
    assert.match(html, /id="verdict" data-verdict="not-ready">Not ready</);
    assert.match(html, /<div class="why" id="why">1 must rule failed and 1 must rule could not be judged\.<\/div>/);
    assert.equal((html.match(/<tr data-target=/g) ?? []).length, 2);
    assert.match(
      html,
      /<article class="card must" id="r-staging-errors.shape" data-rule="errors\.shape"[^>]*>[\s\S]*?HTTP 500[\s\S]*?curl -i /,
    );
    assert.match(html, /<article class="card should" id="r-staging-cors.max-age" data-rule="cors\.max-age"/);
    assert.match(html, /<article class="card error" id="r-staging-auth.missing-401" data-rule="auth\.missing-401"/);
    assert.match(html, /<section id="waivers">[\s\S]*accepted by team-b until 2099-01-01/);
    assert.match(html, /<details class="reason" data-group="missing-prerequisite" open><summary>missing-prerequisite \(1, 1 must\)/);
    assert.equal((html.match(/<tr data-rule=/g) ?? []).length, CATALOGUE.length * 2);
    assert.match(html, /<svg id="trend-chart"/);
    assert.match(html, /Since the previous run/);
  });
});

describe('junit.xml', () => {
  const xml = toJunit(hostileSummary());
  it('one testcase per rule per target, with failures, errors, skips and waivers', () => {
    assert.equal((xml.match(/<testcase /g) ?? []).length, CATALOGUE.length * 2);
    assert.match(xml, /<testsuites name="api conformance" tests="\d+" failures="2" errors="1" skipped="\d+"/);
    assert.match(
      xml,
      /name="errors\.shape" time="0"><failure message="\[must\] body was &lt;img src=x onerror=alert\(1\)&gt;" type="must">/,
    );
    assert.match(xml, /name="auth\.missing-401" time="0"><error message="could not check: connection reset" type="transport-error">/);
    assert.match(
      xml,
      /name="status\.create-201" time="0"><skipped message="waived until 2099-01-01 by team-b: legacy &lt;clients&gt; \(was failed: status\.create-201 failed on purpose\)">waiver waivers\.yaml:2:5/,
    );
    assert.doesNotMatch(xml, /<script>/);
  });
});
