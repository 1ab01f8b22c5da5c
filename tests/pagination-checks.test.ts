import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Exchange } from '../src/http/exchange.ts';
import { applicability } from '../src/policy/applicability.ts';
import { ruleById } from '../src/rules/registry.ts';
import { paginationCursorOpaque as cursorOpaque } from '../src/rules/pagination/cursor-opaque.ts';
import { paginationDefaultLimit as defaultLimit } from '../src/rules/pagination/default-limit.ts';
import { paginationEnvelope as envelope } from '../src/rules/pagination/envelope.ts';
import { paginationInvalidCursor as invalidCursor } from '../src/rules/pagination/invalid-cursor.ts';
import { paginationLimitBounds as limitBounds } from '../src/rules/pagination/limit-bounds.ts';
import { paginationPageBounds as pageBounds } from '../src/rules/pagination/page-bounds.ts';
import type { BadParameter, WalkAttempt } from '../src/probes/list-page.ts';
import { paginationStableUnderWrites as stableUnderWrites } from '../src/rules/pagination/stable-under-writes.ts';
import { paginationTerminalPage as terminalPage } from '../src/rules/pagination/terminal-page.ts';
import { paginationTotalConsistent as totalConsistent } from '../src/rules/pagination/total-consistent.ts';
import { paginationWalkComplete as walkComplete } from '../src/rules/pagination/walk-complete.ts';
import type { Outcome } from '../src/rules/types.ts';
import { context, exchange, recording, target } from './support/exchanges.ts';

const platform = context('platform');
const backend = context('backend');
const cur = (n: number): string => Buffer.from(JSON.stringify({ id: `i${n}`, seq: n })).toString('base64url');
const ids = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `i${from + i}`);

function cursorPage(
  itemIds: string[],
  o: { hasMore: boolean; cursor?: string | null; total?: number; limit?: unknown; probe?: string },
): Exchange {
  return exchange({
    probe: o.probe ?? 'pagination:walk',
    body: {
      items: itemIds.map((id) => ({ id, name: 'x' })),
      pagination: { cursor: o.cursor === undefined ? null : o.cursor, has_more: o.hasMore, limit: o.limit ?? 50 },
      ...(o.total !== undefined ? { metadata: { total_count: o.total } } : {}),
    },
  });
}

function numberedPage(itemIds: string[], page: number, o: { hasMore: boolean; total: number; probe?: string }): Exchange {
  return exchange({
    probe: o.probe ?? 'pagination:walk',
    body: { items: itemIds.map((id) => ({ id })), total: o.total, page, page_size: 20, has_more: o.hasMore },
  });
}

function attempt(pages: Exchange[], extra: Partial<WalkAttempt> = {}): WalkAttempt {
  return { pages: pages.map((p) => p.id), end: 'last-page', durationMs: 1, ...extra };
}

function walked(style: 'cursor' | 'page', attempts: WalkAttempt[], exchanges: Exchange[], outputs: Record<string, unknown> = {}) {
  return recording(exchanges, { 'pagination:walk': { documents: { style, pageCap: 50, attempts } }, ...outputs });
}

/** A clean walk of 3 cursor pages over 120 items, 110 of them seeded, and the boundary page. */
function cleanCursorWalk() {
  const p1 = cursorPage(ids(1, 50), { hasMore: true, cursor: cur(50), total: 120 });
  const p2 = cursorPage(ids(51, 100), { hasMore: true, cursor: cur(100), total: 120 });
  const p3 = cursorPage(ids(101, 120), { hasMore: false, cursor: null, total: 120 });
  const boundary = cursorPage(ids(101, 120), { hasMore: false, cursor: null, total: 120 });
  const pages = [p1, p2, p3];
  return { pages, boundary, a: attempt(pages, { pastEnd: [boundary.id] }), all: [...pages, boundary] };
}

const seed = (seeded: string[]) => ({
  'pagination:seed': { documents: { ids: seeded, failed: [], requested: seeded.length, durationMs: 1 } },
});
const messages = (o: Outcome): string => (o.status === 'failed' ? o.findings.map((f) => f.message).join('\n') : o.message);

describe('pagination.walk-complete', () => {
  it('passes when every seeded item appears exactly once', () => {
    const w = cleanCursorWalk();
    const out = walkComplete.check(walked('cursor', [w.a], w.all, seed(ids(11, 120))), platform);
    assert.equal(out.status, 'passed', messages(out));
    assert.match(out.message, /3 pages, 120 distinct items, all 110 seeded items once/);
  });

  it('names a duplicate item and the pages it appeared on', () => {
    const p1 = cursorPage(ids(1, 50), { hasMore: true, cursor: cur(50) });
    const p2 = cursorPage(['i50', ...ids(51, 99)], { hasMore: false });
    const out = walkComplete.check(walked('cursor', [attempt([p1, p2])], [p1, p2]), platform);
    assert.equal(out.status, 'failed');
    assert.match(messages(out), /item i50 appeared 2 times, on pages 1 and 2/);
    assert.deepEqual(out.status === 'failed' && out.findings[0]!.exchanges, [p1.id, p2.id]);
  });

  it('names a seeded item that never appeared and the page it should have been on', () => {
    const p1 = cursorPage(ids(1, 50), { hasMore: true, cursor: cur(51) });
    const p2 = cursorPage(ids(52, 100), { hasMore: false });
    const out = walkComplete.check(walked('cursor', [attempt([p1, p2])], [p1, p2], seed(ids(1, 100))), platform);
    assert.equal(out.status, 'failed');
    assert.match(messages(out), /seeded item i51 \(created 51 of 100\) appeared on no page; expected on pages 1 and 2/);
  });

  it('fails a cursor that repeats (the walk stopped instead of looping)', () => {
    const p1 = cursorPage(ids(1, 50), { hasMore: true, cursor: cur(50) });
    const p2 = cursorPage(ids(51, 100), { hasMore: true, cursor: cur(50) });
    const out = walkComplete.check(
      walked('cursor', [attempt([p1, p2], { end: 'repeated-cursor', repeatedAt: [1, 2] })], [p1, p2]),
      platform,
    );
    assert.equal(out.status, 'failed');
    assert.match(messages(out), /pages 1 and 2 returned the same next cursor/);
  });

  it('reports page_cap as truncated, not failed; unseen seeded items past the cap are not judged', () => {
    const p1 = cursorPage(ids(1, 50), { hasMore: true, cursor: cur(50) });
    const a = attempt([p1], { end: 'page-cap' });
    const readOnly = walkComplete.check(walked('cursor', [a], [p1]), platform);
    assert.equal(readOnly.status, 'passed');
    assert.match(readOnly.message, /truncated at page_cap/);
    const seeded = walkComplete.check(walked('cursor', [a], [p1], seed(ids(40, 60))), platform);
    assert.equal(seeded.status, 'skipped');
    assert.equal(seeded.status === 'skipped' && seeded.reason, 'truncated');
  });

  it('is inconclusive when the collection changed during the walk and again when repeated (SPEC §8)', () => {
    const w = cleanCursorWalk();
    const out = walkComplete.check(
      walked('cursor', [attempt(w.pages, { totalChanged: [120, 121] }), attempt(w.pages, { totalChanged: [121, 122] })], w.all),
      platform,
    );
    assert.equal(out.status, 'error');
    assert.match(out.message, /total 120 → 121\) and again when it was repeated \(total 121 → 122\)/);
    const settled = walkComplete.check(walked('cursor', [attempt(w.pages, { totalChanged: [120, 121] }), w.a], w.all), platform);
    assert.equal(settled.status, 'passed');
    assert.match(settled.message, /walked twice/);
  });

  it('judges a walk whose totals change the same way when repeated: that is the service, not traffic', () => {
    const w = cleanCursorWalk();
    const same = walkComplete.check(
      walked('cursor', [attempt(w.pages, { totalChanged: [50, 20] }), attempt(w.pages, { totalChanged: [50, 20] })], w.all),
      platform,
    );
    assert.equal(same.status, 'passed');
  });

  it('has nothing to check without a walk, or over an empty collection', () => {
    assert.equal(walkComplete.check(recording([]), platform).status, 'skipped');
    const empty = cursorPage([], { hasMore: false });
    assert.equal(walkComplete.check(walked('cursor', [attempt([empty])], [empty]), platform).status, 'skipped');
  });
});

describe('pagination.terminal-page', () => {
  it('passes when the last page and the page ending at the last item say has_more: false without a cursor', () => {
    const w = cleanCursorWalk();
    assert.equal(terminalPage.check(walked('cursor', [w.a], w.all), platform).status, 'passed');
  });

  it('fails a last page that still carries a cursor', () => {
    const p1 = cursorPage(ids(1, 50), { hasMore: true, cursor: cur(50) });
    const p2 = cursorPage(ids(51, 60), { hasMore: false, cursor: cur(60) });
    const out = terminalPage.check(walked('cursor', [attempt([p1, p2])], [p1, p2]), platform);
    assert.equal(out.status, 'failed');
    assert.match(messages(out), /last page \(page 2\) says has_more: false but still carries a cursor/);
  });

  it('accepts a lazy has_more when the page after the last item is empty and final', () => {
    const w = cleanCursorWalk();
    const boundary = cursorPage(ids(101, 120), { hasMore: true, cursor: cur(120) });
    const beyond = cursorPage([], { hasMore: false });
    const a = attempt(w.pages, { pastEnd: [boundary.id, beyond.id] });
    assert.equal(terminalPage.check(walked('cursor', [a], [...w.pages, boundary, beyond]), platform).status, 'passed');
    const notEmpty = cursorPage(ids(120, 120), { hasMore: false });
    const b = attempt(w.pages, { pastEnd: [boundary.id, notEmpty.id] });
    assert.equal(terminalPage.check(walked('cursor', [b], [...w.pages, boundary, notEmpty]), platform).status, 'failed');
  });

  it('page profile: the page after the last must be empty with has_more: false', () => {
    const p1 = numberedPage(ids(1, 20), 1, { hasMore: true, total: 30 });
    const p2 = numberedPage(ids(21, 30), 2, { hasMore: false, total: 30 });
    const empty = numberedPage([], 3, { hasMore: false, total: 30 });
    assert.equal(
      terminalPage.check(walked('page', [attempt([p1, p2], { pastEnd: [empty.id] })], [p1, p2, empty]), backend).status,
      'passed',
    );
    const repeat = numberedPage(ids(21, 30), 3, { hasMore: false, total: 30 });
    const out = terminalPage.check(walked('page', [attempt([p1, p2], { pastEnd: [repeat.id] })], [p1, p2, repeat]), backend);
    assert.equal(out.status, 'failed');
    assert.match(messages(out), /page 3, past the end, returned 10 items \(i21, i22, i23, …\), expected none/);
  });

  it('has nothing to check when no walk reached its end', () => {
    const p1 = cursorPage(ids(1, 50), { hasMore: true, cursor: cur(50) });
    assert.equal(terminalPage.check(walked('cursor', [attempt([p1], { end: 'page-cap' })], [p1]), platform).status, 'skipped');
  });
});

describe('pagination.envelope and default-limit', () => {
  it('envelope: the profile list schema, with the ajv path of what is wrong', () => {
    const w = cleanCursorWalk();
    assert.equal(envelope.check(walked('cursor', [w.a], w.all), platform).status, 'passed');
    const bad = cursorPage(ids(1, 2), { hasMore: false, limit: '50' });
    const out = envelope.check(recording([bad]), platform);
    assert.equal(out.status, 'failed');
    assert.equal(out.status === 'failed' && out.findings[0]!.at, '/pagination/limit');
    assert.equal(
      envelope.check(recording([cursorPage([], { hasMore: false })]), backend).status,
      'failed',
      'a cursor list is not the backend shape',
    );
    assert.equal(envelope.check(recording([]), platform).status, 'skipped');
  });

  it('default-limit: at most the default without a size parameter; a small collection cannot show it', () => {
    const w = cleanCursorWalk();
    assert.equal(defaultLimit.check(walked('cursor', [w.a], w.all), platform).status, 'passed');
    const big = cursorPage(ids(1, 100), { hasMore: true, cursor: cur(100) });
    const out = defaultLimit.check(walked('cursor', [attempt([big], { end: 'page-cap' })], [big]), platform);
    assert.equal(out.status, 'failed');
    assert.match(messages(out), /held 100 items, expected at most the default 50/);
    const small = cursorPage(ids(1, 3), { hasMore: false });
    assert.equal(defaultLimit.check(walked('cursor', [attempt([small])], [small]), platform).status, 'skipped');
  });
});

function badRec(
  probe: string,
  cases: [string, number, unknown, BadParameter['expect']][],
  extra: Record<string, unknown> = {},
  profile: 'platform' | 'backend' = 'platform',
) {
  const exchanges: Exchange[] = [];
  const bad: BadParameter[] = cases.map(([kind, status, body, expect]) => {
    const e = exchange({
      probe,
      status,
      body,
      headers: { 'content-type': profile === 'platform' ? 'application/problem+json' : 'application/json' },
    });
    exchanges.push(e);
    return { kind, value: kind, exchange: e.id, expect };
  });
  return { exchanges, output: { documents: { bad, ...extra } } };
}

const problem422 = {
  type: 'about:blank',
  title: 'Unprocessable Entity',
  status: 422,
  detail: [{ loc: ['query', 'limit'], msg: 'bad', type: 'value_error' }],
};

describe('pagination.limit-bounds, page-bounds, invalid-cursor', () => {
  it('limit-bounds: 422 with the error shape for each bad size, and 100 accepted', () => {
    const { exchanges, output } = badRec('pagination:limits', [
      ['limit=0', 422, problem422, 'refuse'],
      ['limit=101', 422, problem422, 'refuse'],
    ]);
    const max = cursorPage(ids(1, 100), { hasMore: false, probe: 'pagination:limits' });
    output.documents = { ...output.documents, max: max.id } as typeof output.documents;
    assert.equal(limitBounds.check(recording([...exchanges, max], { 'pagination:limits': output }), platform).status, 'passed');
  });

  it('limit-bounds: a size of 101 served, or a refusal without the error shape, fails', () => {
    const { exchanges, output } = badRec('pagination:limits', [
      ['limit=101', 200, { items: [] }, 'refuse'],
      ['limit=abc', 422, 'nope', 'refuse'],
    ]);
    const out = limitBounds.check(recording(exchanges, { 'pagination:limits': output }), platform);
    assert.equal(out.status, 'failed');
    assert.match(messages(out), /limit=101: received 200, expected 400 or 422/);
    assert.match(messages(out), /limit=abc: .*not JSON/);
  });

  it('page-bounds: exactly 422', () => {
    const env = { error: { code: 'VALIDATION_FAILED', message: 'x', details: {} } };
    const ok = badRec(
      'pagination:page-bounds',
      [
        ['page=0', 422, env, 'refuse'],
        ['page=-1', 422, env, 'refuse'],
      ],
      {},
      'backend',
    );
    assert.equal(pageBounds.check(recording(ok.exchanges, { 'pagination:page-bounds': ok.output }), backend).status, 'passed');
    const bad = badRec(
      'pagination:page-bounds',
      [
        ['page=0', 200, { items: [] }, 'refuse'],
        ['page=abc', 400, env, 'refuse'],
      ],
      {},
      'backend',
    );
    const out = pageBounds.check(recording(bad.exchanges, { 'pagination:page-bounds': bad.output }), backend);
    assert.equal(out.status, 'failed');
    assert.equal(out.status === 'failed' && out.findings.length, 2);
  });

  it('invalid-cursor: refusals with the error shape pass; a modified cursor may be served but never crash', () => {
    const good = badRec(
      'pagination:cursors',
      [
        ['garbage', 422, problem422, 'refuse'],
        ['base64 of other JSON', 200, { items: [] }, 'no-5xx'],
      ],
      { notes: ['only one collection (documents) is declared'] },
    );
    const out = invalidCursor.check(recording(good.exchanges, { 'pagination:cursors': good.output }), platform);
    assert.equal(out.status, 'passed');
    assert.match(out.message, /only one collection/);
    const bad = badRec('pagination:cursors', [
      ['garbage', 200, { items: [] }, 'refuse'],
      ['modified (values shifted)', 500, { status: 500 }, 'no-5xx'],
    ]);
    const failedOut = invalidCursor.check(recording(bad.exchanges, { 'pagination:cursors': bad.output }), platform);
    assert.equal(failedOut.status, 'failed');
    assert.match(messages(failedOut), /garbage: received 200/);
    assert.match(messages(failedOut), /modified \(values shifted\) cursor: received 500/);
  });

  it('is not applicable where the profile has no such parameter', () => {
    assert.equal(applicability(ruleById('pagination.invalid-cursor')!, target('backend')).status, 'skipped');
    assert.equal(applicability(ruleById('pagination.cursor-opaque')!, target('backend')).status, 'skipped');
    assert.equal(applicability(ruleById('pagination.page-bounds')!, target('platform')).status, 'skipped');
    // A platform target that paginates by page (conventions override): no cursor to judge.
    const paged = target(
      'platform',
      '    conventions: { pagination: page }\n    resources: [{ name: d, collection: /v2/d, item: "/v2/d/{id}" }]\n',
    );
    const cursorRule = applicability(ruleById('pagination.invalid-cursor')!, paged);
    assert.equal(cursorRule.status === 'skipped' && cursorRule.reason, 'not-applicable');
    assert.match(cursorRule.status === 'skipped' ? cursorRule.message : '', /paginates by page/);
    assert.equal(applicability(ruleById('pagination.walk-complete')!, paged).status, 'applicable');
  });
});

describe('pagination.cursor-opaque and total-consistent', () => {
  it('cursor-opaque: base64 in either alphabet passes; plain text fails; no cursor is nothing to check', () => {
    const w = cleanCursorWalk();
    const out = cursorOpaque.check(walked('cursor', [w.a], w.all), platform);
    assert.equal(out.status, 'passed');
    assert.match(out.message, /decode to JSON with id, seq keys/);
    const p1 = cursorPage(ids(1, 50), { hasMore: true, cursor: 'after:50' });
    const p2 = cursorPage(ids(51, 60), { hasMore: false });
    assert.equal(cursorOpaque.check(walked('cursor', [attempt([p1, p2])], [p1, p2]), platform).status, 'failed');
    const std = cursorPage(ids(1, 50), { hasMore: true, cursor: 'eyJpZCI6MTIzfQ+/==' });
    assert.equal(cursorOpaque.check(walked('cursor', [attempt([std, p2])], [std, p2]), platform).status, 'passed');
    const single = cursorPage(ids(1, 5), { hasMore: false });
    assert.equal(cursorOpaque.check(walked('cursor', [attempt([single])], [single]), platform).status, 'skipped');
  });

  it('total-consistent: the total equals what the walk found; has_more agrees with what followed', () => {
    const w = cleanCursorWalk();
    assert.equal(totalConsistent.check(walked('cursor', [w.a], w.all), platform).status, 'passed');
    const p1 = cursorPage(ids(1, 50), { hasMore: true, cursor: cur(50), total: 50 });
    const p2 = cursorPage(ids(51, 60), { hasMore: false, total: 10 });
    const out = totalConsistent.check(walked('cursor', [attempt([p1, p2])], [p1, p2]), platform);
    assert.equal(out.status, 'failed');
    assert.match(messages(out), /page 1 says metadata.total_count 50, but the walk found 60 items/);
    const n1 = numberedPage(ids(1, 20), 1, { hasMore: true, total: 20 });
    const n2 = numberedPage([], 2, { hasMore: false, total: 20 });
    const lazy = totalConsistent.check(walked('page', [attempt([n1, n2])], [n1, n2]), backend);
    assert.equal(lazy.status, 'failed');
    assert.match(messages(lazy), /page 1 says has_more: true, but page 2 held no items/);
    assert.match(messages(lazy), /page 1 says has_more: true after 20 of total 20 items/);
  });
});

describe('pagination.stable-under-writes', () => {
  function disturbed(style: 'cursor' | 'page', quiet: Exchange[], during: Exchange[], created = ['n1', 'n2', 'n3']) {
    const stable = { documents: { walk: attempt(during), createdAfterPage: 1, created, createExchanges: [] } };
    return walked(style, [attempt(quiet)], [...quiet, ...during], { 'pagination:stable-under-writes': stable });
  }

  it('passes when the items there before the walk are each seen once; new items may or may not appear', () => {
    const q = [cursorPage(ids(1, 50), { hasMore: true, cursor: cur(50) }), cursorPage(ids(51, 60), { hasMore: false })];
    const d = [
      cursorPage(ids(1, 50), { hasMore: true, cursor: cur(50), probe: 'pagination:stable-under-writes' }),
      cursorPage([...ids(51, 60), 'n1'], { hasMore: false, probe: 'pagination:stable-under-writes' }),
    ];
    const out = stableUnderWrites.check(disturbed('cursor', q, d), platform);
    assert.equal(out.status, 'passed', messages(out));
    assert.match(out.message, /60 items there before the walk were each seen once/);
  });

  it('fails an item seen twice after the writes, and explains why offsets cannot promise it (page profile)', () => {
    const q = [numberedPage(ids(1, 20), 1, { hasMore: true, total: 30 }), numberedPage(ids(21, 30), 2, { hasMore: false, total: 30 })];
    const d = [
      numberedPage(ids(1, 20), 1, { hasMore: true, total: 33 }),
      numberedPage([...ids(18, 30), 'n1'], 2, { hasMore: false, total: 33 }),
    ];
    const out = stableUnderWrites.check(disturbed('page', q, d), backend);
    assert.equal(out.status, 'failed');
    assert.match(messages(out), /item i18, there before the walk began, appeared on pages 1 and 2 after 3 items were created at page 1/);
    assert.match(out.message, /offset pagination cannot promise this/);
  });

  it("judges only what the writes changed: a duplicate the quiet walk already had is walk-complete's", () => {
    const q = [cursorPage(ids(1, 50), { hasMore: true, cursor: cur(50) }), cursorPage(['i50', ...ids(51, 60)], { hasMore: false })];
    const d = q.map((p) => ({ ...p, id: p.id + 100000, probe: 'pagination:stable-under-writes' }));
    assert.equal(stableUnderWrites.check(disturbed('cursor', q, d), platform).status, 'passed');
  });

  it('has nothing to check without the write walk (read-only)', () => {
    const w = cleanCursorWalk();
    assert.equal(stableUnderWrites.check(walked('cursor', [w.a], w.all), platform).status, 'skipped');
  });
});
