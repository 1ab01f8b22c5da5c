/**
 * index.html in Chromium at 1280×900 (SPEC §5): the first screen says what limited the run,
 * and the scorecard's 15 areas fit the width without horizontal scroll. The report is built
 * from a crafted summary shaped like a first run on a large third-party description: nothing
 * discovered, most rules skipped for a missing prerequisite, one rule with 30,000 findings.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium, type Page } from '@playwright/test';
import { boundFindings } from '../src/harness/findings.ts';
import { limitsOf } from '../src/report/limits.ts';
import { toHtml } from '../src/report/html.ts';
import { countsOf } from '../src/policy/apply-waivers.ts';
import { verdictOf } from '../src/policy/verdict.ts';
import { AREAS } from '../src/spec/vocabulary.ts';
import type { Summary, SummaryRule } from '../src/spec/summary.ts';
import { craftSummary, evidence, tempFiles } from './support/summaries.ts';

const CHROMIUM = process.env.CONFORMANCE_CHROMIUM ?? '/usr/bin/chromium';
const PROBLEM = 'the body is not valid JSON (Unexpected end of JSON input)';

/** A first run against a service described by a document the harness could not read. */
function firstRun(): Summary {
  const s = craftSummary(
    {
      'github-on-prism-with-a-long-target-name': {
        rules: { 'docs.openapi': { status: 'failed', message: `the OpenAPI document is not usable: ${PROBLEM}` } },
      },
      'json-server': { profile: 'backend' },
    },
    '2026-11-22T02:00:00Z',
    (id) =>
      id.startsWith('status.') || id.startsWith('errors.') || id.startsWith('security.')
        ? 'failed'
        : id.startsWith('docs.') || id.startsWith('cors.')
          ? { status: 'skipped', reason: 'nothing-to-check', message: 'no response to judge' }
          : {
              status: 'skipped',
              reason: 'missing-prerequisite',
              message: 'no resource declared or discovered: declare resources: in targets.yaml',
            },
  );
  const bounded = boundFindings(
    Array.from({ length: 30_000 }, (_, i) => ({
      message: `GET /repos/{owner}/{repo}/pulls/${i} → 200: $.description: must be string`,
      exchanges: [i],
      kind: 'description is null where the document says string',
    })),
  );
  const targets = s.targets.map((t, i) => {
    const rules = t.rules.map(
      (r): SummaryRule =>
        r.id === 'errors.shape' && r.status === 'failed'
          ? {
              ...r,
              findings: bounded.findings,
              findings_total: bounded.findings_total,
              finding_kinds: bounded.finding_kinds,
              evidence: Array(8).fill(evidence()),
            }
          : r,
    );
    return {
      ...t,
      base_url: `https://a-rather-long-host-name.internal.example.test:8443/some/deep/base/path/${t.name}`,
      counts: countsOf(rules),
      rules,
      ...(i === 0
        ? { discovery: { source: '/openapi.json', problem: PROBLEM, resources: [], uploads: [], streams: [], not_probed: [] } }
        : {}),
    };
  });
  return { ...s, targets, verdict: verdictOf(targets.flatMap((t) => t.rules)) };
}

describe('index.html at 1280×900 in Chromium', () => {
  const summary = firstRun();
  let browser: Browser | undefined;
  let page: Page;
  before(async () => {
    if (!existsSync(CHROMIUM)) return;
    const file = join(tempFiles('report-screen').dir, 'index.html');
    writeFileSync(file, toHtml(summary));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--disable-gpu'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`file://${file}`);
  });
  after(async () => browser?.close());

  it('the limits are computed from the summary: discovery, skips grouped by reason with counts', () => {
    const texts = limitsOf(summary).map((l) => l.text);
    assert.ok(texts.includes(`nothing discovered: the OpenAPI document at /openapi.json could not be used (${PROBLEM})`), texts.join('\n'));
    assert.ok(
      texts.some((t) =>
        /^\d+ rules skipped: \d+ missing a prerequisite \(no resource declared or discovered: declare resources: in targets.yaml \(\d+×\)\), \d+ had nothing to check$/.test(
          t,
        ),
      ),
      texts.join('\n'),
    );
  });

  it('the first screen says what limited the run', async (t) => {
    if (!browser) return t.skip(`no Chromium at ${CHROMIUM}`);
    const block = page.locator('#limits');
    assert.ok(await block.isVisible());
    const box = (await block.boundingBox())!;
    assert.ok(box.y + box.height <= 900, `#limits ends at ${box.y + box.height} px`);
    const text = await block.innerText();
    assert.match(text, /What limited this run/);
    assert.match(text, /nothing discovered: the OpenAPI document at \/openapi\.json could not be used \(the body is not valid JSON/);
    assert.match(text, /missing a prerequisite/);
  });

  it('the scorecard fits 1280 px: no element overflows and all 15 areas are visible', async (t) => {
    if (!browser) return t.skip(`no Chromium at ${CHROMIUM}`);
    assert.equal(AREAS.length, 15);
    const overflowing = await page.evaluate(() => {
      const table = document.querySelector('#scorecard')!;
      const all = [document.documentElement, table.parentElement!, table, ...Array.from(table.querySelectorAll('*'))];
      return all
        .filter((el) => el.scrollWidth > el.clientWidth && getComputedStyle(el).display !== 'inline')
        .map((el) => `${el.tagName}.${el.className} ${el.scrollWidth} > ${el.clientWidth}: ${(el.textContent ?? '').slice(0, 40)}`);
    });
    assert.deepEqual(overflowing, []);
    for (const area of AREAS) {
      const th = page.locator(`#scorecard thead th[data-area="${area}"]`);
      const box = (await th.boundingBox())!;
      assert.ok(box.x >= 0 && box.x + box.width <= 1280, `${area} at ${box.x}+${box.width}`);
      assert.ok(await th.isVisible(), area);
    }
  });
});
