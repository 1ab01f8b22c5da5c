/** Small helpers probes share: item paths, ids from bodies, version prefixes, request estimates. */
import { randomUUID } from 'node:crypto';
import type { Resource, Target } from '../config/target.ts';
import { jsonBody, type Credential, type Exchange } from '../http/exchange.ts';
import type { RequestEstimate } from './types.ts';
import { absentIdFor } from '../openapi/absent-id.ts';

export function itemPath(resource: Resource, id: string): string {
  return resource.item.replace('{id}', encodeURIComponent(id));
}

/** The id of a created or read item: `id` or `data.id` (platform envelope). */
export function idOf(exchange: Exchange | undefined): string | undefined {
  if (!exchange) return undefined;
  const body = jsonBody(exchange) as { id?: unknown; data?: { id?: unknown } } | undefined;
  const id = body?.id ?? body?.data?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/**
 * A well-formed id that almost certainly does not exist (SPEC §8): following the path
 * parameter's schema when the document declares one (discovered resources carry it), else
 * shaped like `sample` when known, else a UUID.
 */
export function absentIdLike(sample: string | undefined, resource?: Pick<Resource, 'idSchema'>): string {
  const declared = absentIdFor(resource?.idSchema);
  if (declared !== undefined) return declared;
  if (sample && /^\d+$/.test(sample)) return String(9 * 10 ** Math.min(sample.length + 2, 15) + 7);
  return randomUUID();
}

/** The version prefix the target's API uses (/v2), from its first resource; /v1 when unknown. */
export function versionPrefix(target: Target): string {
  for (const r of target.resources) {
    const m = /^\/v\d+(?=\/)/.exec(r.collection);
    if (m) return m[0];
  }
  return '/v1';
}

/** A per-run marker put into created items' names so leftovers can be recognised. */
export const RUN_MARK = `conformance-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}`;

export function withMark(body: Record<string, unknown> | undefined, suffix: string): Record<string, unknown> {
  const b = { ...(body ?? {}) };
  if (typeof b.name === 'string') b.name = `${b.name}-${suffix}`.slice(0, 255);
  return b;
}

/**
 * Part of a probe's estimate: `expected` requests sent with `credential`, at most `max` when
 * responses can add some (a retry with credentials, the cleanup DELETE of an item a faulty
 * service created when it should have refused).
 */
export type EstimatePart = readonly [credential: Credential, expected: number, max?: number];

/** A probe's estimate: its parts added up per credential, those of no request left out. */
export function tally(parts: readonly EstimatePart[]): RequestEstimate {
  const sums = new Map<Credential, { expected: number; max: number }>();
  for (const [credential, expected, max = expected] of parts) {
    const sum = sums.get(credential) ?? { expected: 0, max: 0 };
    sums.set(credential, { expected: sum.expected + expected, max: sum.max + max });
  }
  return Object.fromEntries([...sums].filter(([, s]) => s.max > 0).map(([c, s]) => [c, s.expected === s.max ? s.max : s]));
}
