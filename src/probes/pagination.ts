/**
 * Pagination probes: seed items (mutating), walk every page to the end, ask past the end,
 * send bad sizes, page numbers and cursors, and walk once more while writing on purpose.
 * Walks are quiet: nothing of the harness writes to a collection while it is walked, except
 * the stable-under-writes walk, which writes halfway on purpose (SPEC §8).
 */
import { randomBytes } from 'node:crypto';
import type { Resource, Target } from '../config/target.ts';
import { paginationOf } from '../spec/conventions.ts';
import type { Exchange } from '../http/exchange.ts';
import {
  decodeCursorJson,
  readPage,
  type BadParameter,
  type CursorsOutput,
  type LimitsOutput,
  type SeedOutput,
  type StableOutput,
  type WalkAttempt,
  type WalkOutput,
} from './list-page.ts';
import { credentialFor, perResource } from './resources.ts';
import { idOf, RUN_MARK, tally, withMark } from './support.ts';
import { defineProbe, type ProbeContext, type ProbeDef, type RequestEstimate } from './types.ts';

type PerResource<T> = Record<string, T>;

/** Items created mid-walk by stable-under-writes: enough to shift an offset by more than one. */
export const MID_WALK_CREATES = 3;

async function eachResource<T>(ctx: ProbeContext, fn: (r: Resource) => Promise<T | undefined>): Promise<PerResource<T>> {
  const out: PerResource<T> = {};
  for (const r of ctx.target.resources) {
    const value = await fn(r);
    if (value !== undefined) out[r.name] = value;
  }
  return out;
}

async function createTagged(ctx: ProbeContext, r: Resource, tag: string, purpose: string): Promise<{ exchange: Exchange; id?: string }> {
  const exchange = await ctx.send({
    purpose,
    method: 'POST',
    path: r.collection,
    json: withMark(r.create, tag),
    credential: credentialFor(ctx.target, r),
  });
  const status = exchange.response?.status ?? 0;
  const id = status >= 200 && status < 300 ? idOf(exchange) : undefined;
  if (id) ctx.created(r, id);
  return { exchange, ...(id ? { id } : {}) };
}

interface WalkOptions {
  readonly label: string;
  /** Called after each page; the stable-under-writes walk writes from here. */
  readonly afterPage?: (pageNo: number) => Promise<void>;
  /** Ask past the end once the last page is reached. */
  readonly pastEnd?: boolean;
}

/** Follows cursors or page numbers from the first page until has_more is false, bounded by page_cap. */
export async function walk(ctx: ProbeContext, r: Resource, options: WalkOptions): Promise<WalkAttempt> {
  const target = ctx.target;
  const style = target.conventions.pagination;
  const started = performance.now();
  const pages: number[] = [];
  const cursorsSeen = new Map<string, number>();
  const totals = new Set<number>();
  let cursor: string | undefined;
  let previousIds: readonly string[] | undefined;
  const done = (end: WalkAttempt['end'], extra: Partial<WalkAttempt> = {}): WalkAttempt => ({
    pages,
    end,
    ...(totals.size > 1 ? { totalChanged: [...totals] } : {}),
    ...extra,
    durationMs: Math.round(performance.now() - started),
  });
  for (;;) {
    if (pages.length >= target.pageCap) return done('page-cap');
    const pageNo = pages.length + 1;
    const query: Record<string, string | number> =
      style === 'cursor' ? (cursor !== undefined ? { cursor } : {}) : pageNo > 1 ? { page: pageNo } : {};
    const e = await ctx.send({
      purpose: `${options.label}: page ${pageNo} of ${r.name}${pageNo === 1 ? ' (no parameters: default size)' : ''}`,
      method: 'GET',
      path: r.collection,
      query,
      credential: credentialFor(target, r),
    });
    pages.push(e.id);
    const page = readPage(e, style);
    if (page.total !== undefined) totals.add(page.total);
    if (!page.ok) return done('bad-response');
    await options.afterPage?.(pageNo);
    if (page.hasMore !== true) {
      return done('last-page', options.pastEnd ? { pastEnd: await askPastEnd(ctx, r, pages) } : {});
    }
    if (style === 'cursor') {
      if (!page.cursor) return done('no-cursor');
      const first = cursorsSeen.get(page.cursor);
      // A cursor seen before would start the same pages again: a loop, not a walk.
      if (first !== undefined) return done('repeated-cursor', { repeatedAt: [first, pageNo] });
      cursorsSeen.set(page.cursor, pageNo);
      cursor = page.cursor;
    } else {
      if (previousIds && page.ids.length && page.ids.join() === previousIds.join())
        return done('repeated-page', { repeatedAt: [pageNo - 1, pageNo] });
      previousIds = page.ids;
    }
  }
}

/**
 * Past the end. Page profile: the page after the last. Cursor profile (no cursor exists past
 * the end): the page that ends exactly at the last item — the cursor that led to the last page
 * with `limit` = its item count — and, if that one still says has_more, the page after it.
 */
async function askPastEnd(ctx: ProbeContext, r: Resource, pages: readonly number[]): Promise<number[]> {
  const target = ctx.target;
  const style = target.conventions.pagination;
  const cred = credentialFor(target, r);
  const exchanges = ctx.client.exchanges;
  const pageAt = (i: number) => readPage(exchanges.find((e) => e.id === pages[i])!, style);
  const last = pageAt(pages.length - 1);
  if (style === 'page') {
    const e = await ctx.send({
      purpose: `the page after the last page of ${r.name}`,
      method: 'GET',
      path: r.collection,
      query: { page: pages.length + 1 },
      credential: cred,
    });
    return [e.id];
  }
  if (last.itemCount === 0 || last.itemCount > 100) return [];
  const before = pages.length > 1 ? pageAt(pages.length - 2).cursor : undefined;
  const query: Record<string, string | number> = {
    [paginationOf(target).sizeParam]: last.itemCount,
    ...(before ? { cursor: before } : {}),
  };
  const boundary = await ctx.send({
    purpose: `the page ending exactly at the last item of ${r.name} (limit ${last.itemCount})`,
    method: 'GET',
    path: r.collection,
    query,
    credential: cred,
  });
  const b = readPage(boundary, style);
  if (b.hasMore !== true || !b.cursor) return [boundary.id];
  const beyond = await ctx.send({
    purpose: `the page after the last item of ${r.name}`,
    method: 'GET',
    path: r.collection,
    query: { cursor: b.cursor },
    credential: cred,
  });
  return [boundary.id, beyond.id];
}

const base64url = (text: string): string => Buffer.from(text).toString('base64url');

/** Re-encodes JSON in the alphabet and padding style of `like`. */
function encodeLike(like: string, value: unknown): string {
  const std = Buffer.from(JSON.stringify(value)).toString('base64');
  const urlSafe = /[-_]/.test(like) || !/[+/]/.test(like);
  let out = urlSafe ? std.replace(/\+/g, '-').replace(/\//g, '_') : std;
  if (!like.endsWith('=')) out = out.replace(/=+$/, '');
  return out;
}

/** A well-formed cursor with its values changed: the service may refuse it or serve a page, never crash. */
function modified(value: unknown, mode: 'shifted' | 'negative'): unknown {
  if (typeof value === 'number') return mode === 'negative' ? -1 : value + 1_000_000_000;
  if (typeof value === 'string') return mode === 'negative' ? '' : `${value.slice(0, 8)}-conformance-modified`;
  if (Array.isArray(value)) return value.map((v) => modified(v, mode));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, modified(v, mode)]));
  return value;
}

function firstCursor(ctx: ProbeContext, walkOut: WalkOutput | undefined): string | undefined {
  const attempt = walkOut?.attempts.at(-1);
  for (const id of attempt?.pages ?? []) {
    const e = ctx.client.exchanges.find((x) => x.id === id);
    const c = e ? readPage(e, 'cursor').cursor : undefined;
    if (c) return c;
  }
  return undefined;
}

/**
 * Requests of `walks` walks of each resource: as many pages as the items the harness made (the
 * lifecycle item, the seeds and `added` more) fill at the default size, at most page_cap, plus
 * the past-the-end requests (one expected, two at most); the service's own items are unknown.
 */
function walkEstimate(
  target: Target,
  r: Resource,
  options: { walks: number; added?: number; pastEnd: boolean },
): [expected: number, max: number] {
  const made = target.mode === 'mutating' && r.create ? 1 + r.seedItems + (options.added ?? 0) : 0;
  const pages = Math.min(target.pageCap, Math.max(1, Math.ceil(made / paginationOf(target).defaultSize)));
  const pastEnd = options.pastEnd ? 1 : 0;
  return [pages + pastEnd, options.walks * (target.pageCap + 2 * pastEnd)];
}

function walksEstimate(target: Target, options: { walks: number; added?: number; pastEnd: boolean }): RequestEstimate {
  return tally(target.resources.map((r) => [credentialFor(target, r), ...walkEstimate(target, r, options)]));
}

export const paginationSeedProbe = defineProbe({
  name: 'pagination:seed',
  phase: 'setup',
  mutating: true,
  // Creates now, deletes at cleanup.
  estimate: (t) => perResource(t, (r) => (r.create ? 2 * r.seedItems : 0)),
  run: (ctx) =>
    eachResource<SeedOutput>(ctx, async (r) => {
      if (!r.create || r.seedItems <= 0) return undefined;
      const started = performance.now();
      const ids: string[] = [];
      const failed: number[] = [];
      for (let i = 1; i <= r.seedItems; i++) {
        const made = await createTagged(ctx, r, `${RUN_MARK}-page-${i}`, `seed ${r.name} item ${i} of ${r.seedItems} for the page walk`);
        if (made.id) ids.push(made.id);
        else failed.push(made.exchange.id);
        // A service that refuses the create body will refuse it every time: stop early.
        if (failed.length >= 3 && !ids.length) break;
      }
      return { ids, failed, requested: r.seedItems, durationMs: Math.round(performance.now() - started) };
    }),
});

export const paginationWalkProbe = defineProbe({
  name: 'pagination:walk',
  needs: [paginationSeedProbe],
  // A second walk when the total changed during the first.
  estimate: (t) => walksEstimate(t, { walks: 2, pastEnd: true }),
  run: (ctx) =>
    eachResource<WalkOutput>(ctx, async (r) => {
      const attempts: WalkAttempt[] = [];
      attempts.push(await walk(ctx, r, { label: 'walk', pastEnd: true }));
      // SPEC §8: a collection that changed during the walk (shared staging) is walked once more.
      if (attempts[0]!.totalChanged)
        attempts.push(await walk(ctx, r, { label: 'walk again (the total changed during the first)', pastEnd: true }));
      return { style: ctx.target.conventions.pagination, pageCap: ctx.target.pageCap, attempts };
    }),
});

export const paginationCursorsProbe = defineProbe({
  name: 'pagination:cursors',
  needs: [paginationWalkProbe],
  // Five bad cursors, two modified ones (when the cursor is base64 JSON), one of another collection.
  estimate: (t) => perResource(t, () => 7 + (t.resources.length > 1 ? 1 : 0)),
  run: async (ctx) => {
    const walks = ctx.output(paginationWalkProbe) ?? {};
    return eachResource<CursorsOutput>(ctx, async (r) => {
      const cred = credentialFor(ctx.target, r);
      const real = firstCursor(ctx, walks[r.name]);
      const notes: string[] = [];
      const bad: BadParameter[] = [];
      const tryCursor = async (kind: string, value: string, expect: BadParameter['expect']): Promise<void> => {
        const e = await ctx.send({
          purpose: `list ${r.name} with a ${kind} cursor`,
          method: 'GET',
          path: r.collection,
          query: { cursor: value },
          credential: cred,
        });
        bad.push({ kind, value, exchange: e.id, expect });
      };
      await tryCursor('garbage', randomBytes(24).toString('base64url'), 'refuse');
      const truncated = real ? real.slice(0, Math.max(1, Math.floor(real.length / 2))) : base64url('{"id": "0f8e2a1c-').slice(0, 10);
      if (!real) notes.push('no page carried a cursor, so the truncated cursor is half of a made-up one');
      await tryCursor('truncated', truncated, 'refuse');
      await tryCursor('non-base64', '%%not*a~base64!cursor%%', 'refuse');
      await tryCursor('non-JSON (base64 of plain text)', base64url('conformance: this is not JSON'), 'refuse');
      await tryCursor('base64 of other JSON', base64url(JSON.stringify({ conformance: 'other', n: [1, 2] })), 'no-5xx');
      const decoded = real ? decodeCursorJson(real) : undefined;
      if (real && decoded !== undefined) {
        await tryCursor('modified (values shifted)', encodeLike(real, modified(decoded, 'shifted')), 'no-5xx');
        await tryCursor('modified (negative and empty values)', encodeLike(real, modified(decoded, 'negative')), 'no-5xx');
      } else {
        notes.push(
          real
            ? 'the cursor is not base64 JSON, so no modified well-formed cursor could be made'
            : 'no cursor was seen, so no modified cursor could be made',
        );
      }
      const other = ctx.target.resources.find((o) => o.name !== r.name && firstCursor(ctx, walks[o.name]));
      const otherCursor = other ? firstCursor(ctx, walks[other.name]) : undefined;
      if (other && otherCursor) await tryCursor(`${other.name} collection's`, otherCursor, 'no-5xx');
      else
        notes.push(
          ctx.target.resources.length > 1
            ? 'no other collection returned a cursor, so no cross-collection cursor was tried'
            : `only one collection (${r.name}) is declared, so no cursor from another collection could be tried`,
        );
      return { bad, notes };
    });
  },
});

export const paginationLimitsProbe = defineProbe({
  name: 'pagination:limits',
  estimate: (t) => perResource(t, () => 5),
  run: (ctx) =>
    eachResource<LimitsOutput>(ctx, async (r) => {
      const param = paginationOf(ctx.target).sizeParam;
      const cred = credentialFor(ctx.target, r);
      const bad: BadParameter[] = [];
      for (const value of ['0', '-1', '101', 'abc']) {
        const e = await ctx.send({
          purpose: `list ${r.name} with ${param}=${value} (outside 1–100)`,
          method: 'GET',
          path: r.collection,
          query: { [param]: value },
          credential: cred,
        });
        bad.push({ kind: `${param}=${value}`, value, exchange: e.id, expect: 'refuse' });
      }
      const max = await ctx.send({
        purpose: `list ${r.name} with ${param}=100 (the largest allowed)`,
        method: 'GET',
        path: r.collection,
        query: { [param]: '100' },
        credential: cred,
      });
      return { bad, max: max.id };
    }),
});

export const paginationPageBoundsProbe = defineProbe({
  name: 'pagination:page-bounds',
  estimate: (t) => perResource(t, () => 3),
  run: (ctx) =>
    eachResource<LimitsOutput>(ctx, async (r) => {
      const cred = credentialFor(ctx.target, r);
      const bad: BadParameter[] = [];
      for (const value of ['0', '-1', 'abc']) {
        const e = await ctx.send({
          purpose: `list ${r.name} with page=${value}`,
          method: 'GET',
          path: r.collection,
          query: { page: value },
          credential: cred,
        });
        bad.push({ kind: `page=${value}`, value, exchange: e.id, expect: 'refuse' });
      }
      return { bad };
    }),
});

export const paginationStableUnderWritesProbe = defineProbe({
  name: 'pagination:stable-under-writes',
  needs: [paginationWalkProbe],
  mutating: true,
  // One walk, with MID_WALK_CREATES creates halfway and their deletes at cleanup.
  estimate: (t) =>
    tally(
      t.resources
        .filter((r) => r.create)
        .map((r) => {
          const [expected, max] = walkEstimate(t, r, { walks: 1, added: MID_WALK_CREATES, pastEnd: false });
          return [credentialFor(t, r), expected + 2 * MID_WALK_CREATES, max + 2 * MID_WALK_CREATES];
        }),
    ),
  run: async (ctx) => {
    const walks = ctx.output(paginationWalkProbe) ?? {};
    return eachResource<StableOutput>(ctx, async (r) => {
      const quiet = walks[r.name]?.attempts.at(-1);
      if (!r.create || !quiet) return undefined;
      const createdAfterPage = Math.max(1, Math.floor(quiet.pages.length / 2));
      const created: string[] = [];
      const createExchanges: number[] = [];
      const result = await walk(ctx, r, {
        label: 'walk while writing',
        afterPage: async (pageNo) => {
          if (pageNo !== createdAfterPage) return;
          for (let i = 1; i <= MID_WALK_CREATES; i++) {
            const made = await createTagged(
              ctx,
              r,
              `${RUN_MARK}-midwalk-${i}`,
              `create a ${r.name} item while the walk is at page ${pageNo}`,
            );
            createExchanges.push(made.exchange.id);
            if (made.id) created.push(made.id);
          }
        },
      });
      return { walk: result, createdAfterPage, created, createExchanges };
    });
  },
});

export const PAGINATION_PROBES: readonly ProbeDef[] = [
  paginationSeedProbe,
  paginationWalkProbe,
  paginationCursorsProbe,
  paginationLimitsProbe,
  paginationPageBoundsProbe,
  paginationStableUnderWritesProbe,
];
