/**
 * The reports end to end, against the reference API: one real run (a clean target, a failing
 * one, a waived one, a history folder with past runs) checked for summary.json (schema),
 * junit.xml and index.html (in Debian's Chromium); then the same targets in two shards,
 * merged with `playwright merge-reports --config merge.config.ts`, must give the same reports.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from '@playwright/test';
import { CATALOGUE } from '../src/spec/catalogue.ts';
import { RULES } from '../src/rules/registry.ts';
import { recordHistory } from '../src/report/history.ts';
import { summaryProblems } from '../src/report/read-summary.ts';
import { referenceCredentials } from '../reference/tokens.ts';
import { ROOT, runHarness, shippedTargets, tempDir, writeTargets, type HarnessRun } from './support/harness.ts';
import { startReference } from './support/reference.ts';
import { craftSummary } from './support/summaries.ts';
import type { Summary } from '../src/spec/summary.ts';

const CHROMIUM = process.env.CONFORMANCE_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'test-results', 'report');
const FAILING = 'fault-errors.shape-platform';
const WAIVED = 'fault-status.create-201-backend';

/** The shipped targets plus two faults; no 429 burst (every shard would send its own). */
function targetsFor(): object {
  const shipped = shippedTargets();
  const targets: Record<string, Record<string, unknown>> = {};
  const calm = (t: Record<string, unknown>): Record<string, unknown> => ({
    ...t,
    rate_limit: { ...(t.rate_limit as object), burst: false },
  });
  targets['local-platform'] = calm(shipped.targets['local-platform']!);
  const fault = (rule: string, profile: 'platform' | 'backend'): Record<string, unknown> => {
    const clean = shipped.targets[`local-${profile}`]!;
    return calm({ ...clean, base_url: String(clean.base_url).replace(`/${profile}`, `/_f/${rule}/${profile}`) });
  };
  targets[FAILING] = fault('errors.shape', 'platform');
  targets[WAIVED] = fault('status.create-201', 'backend');
  return { ...shipped, targets };
}

const WAIVERS = `version: 1
waivers:
  - rule: status.create-201
    target: ${WAIVED}
    reason: legacy clients expect 200 on create; migration tracked in API-412
    owner: backend-team
    expires: 2099-12-31
  - rule: errors.shape
    target: "*"
    reason: accepted for the last release only
    owner: platform-team
    expires: 2020-01-01
`;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** What must be equal between two runs of the same targets: rules, statuses, messages, evidence shape. */
function essence(s: Summary): unknown {
  return {
    verdict: s.verdict,
    waivers: s.waivers && { applied: s.waivers.applied, problems: s.waivers.problems.map((p) => `${p.line}:${p.column} ${p.kind}`) },
    targets: s.targets.map((t) => ({
      name: t.name,
      base_url: t.base_url,
      profile: t.profile,
      counts: t.counts,
      leftovers: t.leftovers,
      rules: t.rules.map((r) => ({
        id: r.id,
        area: r.area,
        severity: r.severity,
        status: r.status,
        reason: r.reason,
        // Numbers in messages come from the service's state (Remaining, seconds to Reset, timings).
        message: r.message.replace(UUID, '<uuid>').replace(/\d+(\.\d+)?/g, 'N'),
        guideline: r.guideline,
        waiver: r.waiver,
        findings: r.findings?.map((f) => f.message.replace(UUID, '<uuid>').replace(/\d+(\.\d+)?/g, 'N')),
        // Cursors carry item ids and positions, which differ between two runs on one reference.
        evidence: r.evidence.map(
          (e) =>
            `${e.request.method} ${e.request.url.replace(UUID, '<uuid>').replace(/cursor=[^&]*/g, 'cursor=<cursor>')} → ${e.response?.status ?? e.error}`,
        ),
      })),
    })),
  };
}

/** junit.xml without times and timestamps, ids normalised. */
function junitEssence(xml: string): string[] {
  return xml
    .replace(UUID, '<uuid>')
    .replace(/ (time|timestamp)="[^"]*"/g, '')
    .replace(/\d+(\.\d+)? ms/g, '<ms>')
    .split('\n')
    .filter((l) => /<testsuites|<testsuite |<testcase|<failure|<skipped|<error/.test(l))
    .map((l) => l.replace(/>[\s\S]*$/, '>'));
}

/** The parts of index.html a reader compares: verdict, totals, scorecard, every rule result's status. */
function htmlEssence(html: string): unknown {
  const scorecard = /<table id="scorecard">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return {
    verdict: /data-verdict="([^"]+)"/.exec(html)?.[1],
    why: /<div class="why" id="why">([^<]*)</.exec(html)?.[1],
    totals: [...html.matchAll(/data-count="(\w+)"><b>(\d+)</g)].map((m) => `${m[1]}=${m[2]}`),
    scorecard: scorecard
      .replace(/<[^>]+>/g, ' ')
      .replace(/\d+ requests[^<]*?\)/g, '')
      .replace(/\s+/g, ' '),
    rules: [...html.matchAll(/data-rule="([^"]+)" data-area="[^"]+" data-severity="(\w+)" data-status="(\w+)" data-target="([^"]+)"/g)].map(
      (m) => m.slice(1).join(' '),
    ),
  };
}

function playwright(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  return new Promise((done) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => done({ code: code ?? -1, output }));
  });
}

describe('reports of a real run', () => {
  let reference: Awaited<ReturnType<typeof startReference>>;
  let run: HarnessRun;
  let summary: Summary;
  let targetsFile: string;
  let waiversFile: string;
  const work = tempDir('report');

  before(async () => {
    reference = await startReference();
    targetsFile = writeTargets(work, targetsFor());
    waiversFile = join(work, 'waivers.yaml');
    writeFileSync(waiversFile, WAIVERS);
    // Two past nightly runs, so the report shows a trend and what changed since the last one.
    const history = join(work, 'history');
    const implemented = new Set(RULES.filter((r) => r.behaviour).map((r) => r.id));
    const past = (day: string, failing: Record<string, string[]>): Summary =>
      craftSummary(
        {
          'local-platform': { rules: Object.fromEntries((failing['local-platform'] ?? []).map((id) => [id, 'failed'])) },
          [FAILING]: { rules: Object.fromEntries((failing[FAILING] ?? []).map((id) => [id, 'failed'])) },
          [WAIVED]: { profile: 'backend', rules: Object.fromEntries((failing[WAIVED] ?? []).map((id) => [id, 'failed'])) },
        },
        `2026-11-${day}T02:00:00Z`,
        (id) => (implemented.has(id) ? 'passed' : { status: 'skipped', reason: 'not-implemented', message: 'not implemented yet' }),
      );
    recordHistory(history, past('19', { 'local-platform': ['status.read-200', 'errors.content-type'], [WAIVED]: ['status.create-201'] }));
    recordHistory(history, past('20', { 'local-platform': ['errors.content-type'], [WAIVED]: ['status.create-201'] }));
    run = await runHarness({
      targetsFile,
      reportDir: join(work, 'unsharded'),
      env: { CONFORMANCE_REFERENCE_URL: reference.url, CONFORMANCE_WAIVERS: waiversFile, CONFORMANCE_HISTORY_DIR: history },
    });
    assert.ok(run.summary, `the run wrote no summary:\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
    summary = run.summary;
  });

  after(async () => {
    await reference?.close();
  });

  it('summary.json validates against its schema and lists every catalogue rule once per target', () => {
    assert.deepEqual(summaryProblems(summary), []);
    for (const t of summary.targets)
      assert.deepEqual(
        t.rules.map((r) => r.id),
        CATALOGUE.map((r) => r.id),
      );
    assert.equal(summary.verdict, 'not-ready');
  });

  it('waivers apply in the run: the waived rule is `waived` with its waiver; the expired one is reported', () => {
    const waived = summary.targets.find((t) => t.name === WAIVED)!.rules.find((r) => r.id === 'status.create-201')!;
    assert.equal(waived.status, 'waived');
    assert.equal(waived.waiver?.owner, 'backend-team');
    assert.equal(waived.waiver?.was.status, 'failed');
    assert.ok(waived.evidence.length > 0, 'a waived failure keeps its evidence');
    assert.equal(summary.targets.find((t) => t.name === FAILING)!.rules.find((r) => r.id === 'errors.shape')!.status, 'failed');
    assert.deepEqual(
      summary.waivers?.problems.map((p) => `${p.line}:${p.column} ${p.kind}`),
      ['12:14 expired'],
    );
  });

  it('the history folder got this run, and the trend shows it after the past ones', () => {
    const files = readdirSync(join(work, 'history')).filter((f) => f.endsWith('.json'));
    assert.equal(files.length, 3);
    const html = readFileSync(join(run.reportDir, 'index.html'), 'utf8');
    assert.equal((html.match(/<rect [^>]*><title>/g) ?? []).length, 3, 'one verdict mark per run');
    assert.match(html, /Since the previous run/);
  });

  it('junit.xml has one testcase per rule per target; failures carry message and evidence; skips their reason', () => {
    const xml = readFileSync(join(run.reportDir, 'junit.xml'), 'utf8');
    assert.equal((xml.match(/<testcase /g) ?? []).length, CATALOGUE.length * summary.targets.length);
    const failure =
      /<testcase classname="fault-errors\.shape-platform\.errors" name="errors\.shape"[^>]*><failure message="([^"]*)" type="must">([^<]*)<\/failure>/.exec(
        xml,
      );
    assert.ok(failure, 'errors.shape fails on the faulty target');
    assert.match(failure[1]!, /^\[must\] \d+ of \d+ error responses/);
    assert.match(failure[2]!, /reproduce: curl /);
    assert.match(xml, /name="status\.create-201" time="0"><skipped message="waived until 2099-12-31 by backend-team: legacy clients/);
    assert.match(xml, /name="errors\.code-format" time="0"><skipped message="not-applicable: not part of the platform profile"\/>/);
  });

  it('index.html in Chromium shows the verdict, the counts and a failure with its evidence', async (t) => {
    if (!existsSync(CHROMIUM)) {
      t.skip(`no Chromium at ${CHROMIUM} (apt-get install -y chromium); the browser test of the report is skipped`);
      return;
    }
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--disable-gpu'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => {
        if (!r.url().startsWith('file://') && !r.url().startsWith('data:')) errors.push(`network request: ${r.url()}`);
      });
      await page.goto(`file://${join(run.reportDir, 'index.html')}`);

      assert.equal((await page.locator('#verdict').innerText()).trim(), 'Not ready');
      assert.ok(await page.locator('#verdict').isVisible());
      assert.match(await page.locator('#why').innerText(), /1 must rule failed/);
      for (const status of ['passed', 'failed', 'waived', 'skipped', 'error'] as const) {
        const total = summary.targets.reduce((n, x) => n + x.counts[status], 0);
        assert.equal(await page.locator(`#totals [data-count="${status}"] b`).innerText(), String(total), `${status} count`);
      }
      assert.equal(await page.locator('#scorecard tbody tr').count(), summary.targets.length);
      const cell = page.locator(`#scorecard td.cell[data-target="${FAILING}"][data-area="errors"]`);
      assert.match(await cell.innerText(), /must\s*1✗/);

      const card = page.locator(`#failures article[data-rule="errors.shape"][data-target="${FAILING}"]`);
      assert.ok(await card.isVisible(), 'the failure card is visible');
      assert.match(await card.innerText(), /guideline\s+Hebbia Platform API Guidelines › /);
      const response = card.locator('details.ex[open] pre.response').first();
      assert.ok(await response.isVisible(), 'the first exchange of the failure is open');
      assert.match(await response.innerText(), /^HTTP 404/);
      assert.match(await card.locator('.curl pre').first().innerText(), /^curl -i /);
      assert.ok(await page.locator('#trend-chart').isVisible(), 'the trend is drawn');

      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, 'report.png') });
      await card.screenshot({ path: join(SHOTS, 'report-failure.png') });
      if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
        for (const f of ['report.png', 'report-failure.png']) copyFileSync(join(SHOTS, f), join(ROOT, 'docs', f));
      }

      // Clicking a scorecard cell lists that area's rules of that target only.
      await cell.click();
      const visible = page.locator('#rules tbody tr:not(.hidden)');
      const errorsRules = CATALOGUE.filter((r) => r.area === 'errors').length;
      assert.equal(await visible.count(), errorsRules);
      assert.equal(
        await page.locator('#shown').innerText(),
        `${errorsRules} of ${CATALOGUE.length * summary.targets.length} rule results shown`,
      );
      await page.selectOption('#f-status', 'failed');
      const failedThere = summary.targets
        .find((x) => x.name === FAILING)!
        .rules.filter((r) => r.area === 'errors' && r.status === 'failed').length;
      assert.equal(await visible.count(), failedThere);
      assert.match(page.url(), /#area=errors&status=failed&target=fault-errors\.shape-platform$/);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });

  it('two shards merged with merge-reports give the same summary.json, junit.xml and index.html', async () => {
    const env: NodeJS.ProcessEnv = {
      CONFORMANCE_REFERENCE_URL: reference.url,
      CONFORMANCE_WAIVERS: waiversFile,
      CONFORMANCE_HISTORY_DIR: 'none',
    };
    const blobs = join(work, 'blobs');
    // At once, as CI machines would run them, on a fresh reference as the unsharded run had (a third
    // and fourth pass within the minute would meet the reference's rate limit: 1000 per 60 s).
    reference.reset();
    const shards: HarnessRun[] = await Promise.all(
      [1, 2].map((i) =>
        runHarness({
          targetsFile,
          reportDir: join(work, `shard-${i}`),
          args: ['--shard', `${i}/2`],
          env: { ...env, PLAYWRIGHT_BLOB_OUTPUT_DIR: join(work, `blob-${i}`) },
        }),
      ),
    );
    mkdirSync(blobs, { recursive: true });
    for (const [i, shard] of shards.entries()) {
      const zips = readdirSync(join(work, `blob-${i + 1}`)).filter((f) => f.endsWith('.zip'));
      assert.equal(zips.length, 1, `shard ${i + 1} wrote one blob:\n${shard.stdout.slice(-2000)}\n${shard.stderr.slice(-2000)}`);
      copyFileSync(join(work, `blob-${i + 1}`, zips[0]!), join(blobs, zips[0]!));
      // A shard alone judged only part of the rules: the others are `not-selected`.
      assert.ok(shard.summary!.targets.some((t) => t.rules.some((r) => r.reason === 'not-selected')));
    }
    const mergedDir = join(work, 'merged');
    const merged = await playwright(['merge-reports', '--config', join(ROOT, 'merge.config.ts'), blobs], {
      ...process.env,
      ...referenceCredentials(),
      ...env,
      CONFORMANCE_REPORT_DIR: mergedDir,
      CI: '1',
    });
    assert.equal(merged.code, 0, merged.output.slice(-3000));
    const mergedSummary = JSON.parse(readFileSync(join(mergedDir, 'summary.json'), 'utf8')) as Summary;

    assert.deepEqual(summaryProblems(mergedSummary), []);
    assert.deepEqual(essence(mergedSummary), essence(summary));
    assert.deepEqual(
      junitEssence(readFileSync(join(mergedDir, 'junit.xml'), 'utf8')),
      junitEssence(readFileSync(join(run.reportDir, 'junit.xml'), 'utf8')),
    );
    assert.deepEqual(
      htmlEssence(readFileSync(join(mergedDir, 'index.html'), 'utf8')),
      htmlEssence(readFileSync(join(run.reportDir, 'index.html'), 'utf8')),
    );
    assert.ok(existsSync(join(mergedDir, 'playwright', 'index.html')), "the merge also writes Playwright's report");
    // Each shard probed the targets it had tests for: the merged request counts add them up.
    for (const t of mergedSummary.targets) {
      const perShard = shards.map((s) => s.summary!.targets.find((x) => x.name === t.name)!.requests.total);
      assert.equal(
        t.requests.total,
        perShard.reduce((a, b) => a + b, 0),
        `${t.name}: requests of both shards`,
      );
      // A target's rules are one test group: one shard probed it, once (SPEC §7: its load is not doubled).
      assert.equal(perShard.filter((n) => n > 0).length, 1, `${t.name} was probed by one shard only: ${perShard.join(' + ')} requests`);
    }
  });
});
