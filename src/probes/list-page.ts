/**
 * Reading one list response the way the profile's pagination describes it (SPEC §4): the
 * walk follows these readings and the checks judge them, so both read a page identically.
 */
import type { PaginationStyle } from '../config/target.ts';
import { jsonBody, type Exchange } from '../http/exchange.ts';

export interface ListPage {
  readonly exchange: Exchange;
  /** A 2xx JSON body with an `items` array. */
  readonly ok: boolean;
  /** Item ids in the order served (`id`, or `data.id` for enveloped items). */
  readonly ids: readonly string[];
  readonly itemCount: number;
  /** Items that carry no id the harness could read. */
  readonly withoutId: number;
  readonly hasMore?: boolean;
  /** Cursor profile: `pagination.cursor` (null when the service says so, undefined when absent). */
  readonly cursor?: string | null;
  /** `total` (page profile) or `metadata.total_count` (cursor profile). */
  readonly total?: number;
}

function idOf(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const o = item as { id?: unknown; data?: { id?: unknown } };
  const id = o.id ?? o.data?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

export function readPage(exchange: Exchange, style: PaginationStyle): ListPage {
  const status = exchange.response?.status ?? 0;
  const body = status >= 200 && status < 300 ? jsonBody(exchange) : undefined;
  const o = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const items = Array.isArray(o.items) ? (o.items as unknown[]) : undefined;
  const ids = (items ?? []).map(idOf).filter((id): id is string => id !== undefined);
  const base = { exchange, ok: items !== undefined, ids, itemCount: items?.length ?? 0, withoutId: (items?.length ?? 0) - ids.length };
  if (style === 'cursor') {
    const p = (typeof o.pagination === 'object' && o.pagination !== null ? o.pagination : {}) as Record<string, unknown>;
    const meta = (typeof o.metadata === 'object' && o.metadata !== null ? o.metadata : {}) as Record<string, unknown>;
    return {
      ...base,
      ...(typeof p.has_more === 'boolean' ? { hasMore: p.has_more } : {}),
      ...(typeof p.cursor === 'string' || p.cursor === null ? { cursor: p.cursor as string | null } : {}),
      ...(typeof meta.total_count === 'number' ? { total: meta.total_count } : {}),
    };
  }
  return {
    ...base,
    ...(typeof o.has_more === 'boolean' ? { hasMore: o.has_more } : {}),
    ...(typeof o.total === 'number' ? { total: o.total } : {}),
  };
}

/** Base64 in either alphabet, padding optional (SPEC §6 pagination.cursor-opaque). */
export function isBase64(value: string): boolean {
  if (!value || value.length % 4 === 1) return false;
  return /^[A-Za-z0-9+/]+={0,2}$/.test(value) || /^[A-Za-z0-9_-]+={0,2}$/.test(value);
}

/** The JSON a base64 cursor carries, when it carries JSON. */
export function decodeCursorJson(value: string): unknown {
  if (!isBase64(value)) return undefined;
  try {
    return JSON.parse(Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Why a walk stopped. Only `last-page` is a normal end; `page-cap` is truncation, not a fault. */
export type WalkEnd = 'last-page' | 'page-cap' | 'repeated-cursor' | 'repeated-page' | 'no-cursor' | 'bad-response';

export interface WalkAttempt {
  /** Exchange ids of the pages, in order. */
  readonly pages: readonly number[];
  readonly end: WalkEnd;
  /** For `repeated-cursor`: the pages (1-based) that returned the same cursor. */
  readonly repeatedAt?: readonly number[];
  /** The collection's total differed between pages (SPEC §8: then the walk is repeated once). */
  readonly totalChanged?: readonly number[];
  /** Requests past the last page: the page after it, or (cursor) the page ending exactly at the last item and the one after. */
  readonly pastEnd?: readonly number[];
  readonly durationMs: number;
}

/** Output of the `pagination:walk` probe, per resource. */
export interface WalkOutput {
  readonly style: PaginationStyle;
  readonly pageCap: number;
  /** One walk, or two when the total changed during the first (the last one is judged). */
  readonly attempts: readonly WalkAttempt[];
}

/** Output of the `pagination:seed` probe, per resource. */
export interface SeedOutput {
  /** Ids of the items the harness created for the walk, in creation order. */
  readonly ids: readonly string[];
  /** Creates that did not answer 2xx with an id. */
  readonly failed: readonly number[];
  readonly requested: number;
  readonly durationMs: number;
}

/** Output of the `pagination:stable-under-writes` probe, per resource. */
export interface StableOutput {
  readonly walk: WalkAttempt;
  /** Pages read (1-based) before the items were created. */
  readonly createdAfterPage: number;
  readonly created: readonly string[];
  readonly createExchanges: readonly number[];
}

/** A bad size, page number or cursor the service must refuse, and what it answered. */
export interface BadParameter {
  readonly kind: string;
  readonly value: string;
  readonly exchange: number;
  /** `refuse`: 400/422 with the error shape; `no-5xx`: anything but a server error. */
  readonly expect: 'refuse' | 'no-5xx';
}

export interface LimitsOutput {
  readonly bad: readonly BadParameter[];
  /** The request with the largest size the profile allows (100). */
  readonly max?: number;
}

export interface CursorsOutput {
  readonly bad: readonly BadParameter[];
  /** Variants that could not be tried, and why (e.g. only one collection declared). */
  readonly notes: readonly string[];
}
