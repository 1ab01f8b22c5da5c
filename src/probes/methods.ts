/**
 * Method semantics (SPEC §6 methods.*): the same PUT twice, the same GET twice, and a second
 * DELETE of the item `resources:delete` removed. Comparisons happen in the checks.
 */
import type { Exchange } from '../http/exchange.ts';
import { jsonBody } from '../http/exchange.ts';
import { knownItemId } from './auth.ts';
import {
  createdItem,
  credentialFor,
  perResource,
  resourcesCreateProbe,
  resourcesDeleteProbe,
  resourcesListProbe,
  type PerResource,
} from './resources.ts';
import { itemPath, withMark } from './support.ts';
import { defineProbe, type ProbeDef } from './types.ts';

export interface PutTwiceOutput {
  readonly puts: readonly number[];
  readonly reads: readonly number[];
}
export interface GetTwiceOutput {
  readonly reads: readonly number[];
  readonly gapMs: number;
}
export interface DeleteAgainOutput {
  readonly first: number;
  readonly second: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How long to wait between two GETs so that a timestamp touched by the first would differ in
 * the second: the representation's `*_at` values carry fractions of a second → a few ms; whole
 * seconds → just over a second.
 */
export function gapFor(e: Exchange): number {
  const stamps: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k.endsWith('_at') && typeof x === 'string') stamps.push(x);
        else visit(x);
      }
    }
  };
  visit(jsonBody(e));
  return stamps.some((s) => !/:\d{2}\.\d+/.test(s)) ? 1100 : 25;
}

export const methodsPutTwiceProbe = defineProbe({
  name: 'methods:put-twice',
  mutating: true,
  needs: [resourcesCreateProbe],
  estimate: (t) => perResource(t, (r) => (r.create && r.update ? 4 : 0)),
  run: async (ctx) => {
    const out: PerResource<PutTwiceOutput> = {};
    for (const r of ctx.target.resources) {
      const itemId = createdItem(ctx, r)?.itemId;
      if (!itemId || !r.update) continue;
      const cred = credentialFor(ctx.target, r);
      const body = withMark(r.update, 'idempotent');
      const puts: number[] = [];
      const reads: number[] = [];
      for (const n of ['first', 'second']) {
        puts.push(
          (
            await ctx.send({
              purpose: `PUT the same update body on the ${r.name} item (${n} time)`,
              method: 'PUT',
              path: itemPath(r, itemId),
              json: body,
              credential: cred,
            })
          ).id,
        );
        reads.push(
          (
            await ctx.send({
              purpose: `read the ${r.name} item after the ${n} PUT`,
              method: 'GET',
              path: itemPath(r, itemId),
              credential: cred,
            })
          ).id,
        );
      }
      out[r.name] = { puts, reads };
    }
    return Object.keys(out).length ? out : undefined;
  },
});

export const methodsGetTwiceProbe = defineProbe({
  name: 'methods:get-twice',
  needs: [resourcesCreateProbe, resourcesListProbe],
  estimate: (t) => perResource(t, () => 2),
  run: async (ctx) => {
    const out: PerResource<GetTwiceOutput> = {};
    for (const r of ctx.target.resources) {
      const itemId = knownItemId(ctx, r);
      if (!itemId) continue;
      const cred = credentialFor(ctx.target, r);
      const first = await ctx.send({
        purpose: `read the ${r.name} item (first GET)`,
        method: 'GET',
        path: itemPath(r, itemId),
        credential: cred,
      });
      const gapMs = gapFor(first);
      await sleep(gapMs);
      const second = await ctx.send({
        purpose: `read the ${r.name} item again ${gapMs} ms later (second GET)`,
        method: 'GET',
        path: itemPath(r, itemId),
        credential: cred,
      });
      out[r.name] = { reads: [first.id, second.id], gapMs };
    }
    return Object.keys(out).length ? out : undefined;
  },
});

export const methodsDeleteAgainProbe = defineProbe({
  name: 'methods:delete-again',
  phase: 'teardown',
  mutating: true,
  needs: [resourcesDeleteProbe],
  estimate: (t) => perResource(t, (r) => (r.create ? 1 : 0)),
  run: async (ctx) => {
    const out: PerResource<DeleteAgainOutput> = {};
    const deletes = ctx.output(resourcesDeleteProbe) ?? {};
    for (const r of ctx.target.resources) {
      const firstId = deletes[r.name]?.delete;
      const first = ctx.client.exchanges.find((e) => e.id === firstId);
      const itemId = createdItem(ctx, r)?.itemId;
      const status = first?.response?.status ?? 0;
      // Only a DELETE that succeeded makes the next one a *second* DELETE.
      if (!first || !itemId || status < 200 || status >= 300) continue;
      const second = await ctx.send({
        purpose: `DELETE the already deleted ${r.name} item again`,
        method: 'DELETE',
        path: itemPath(r, itemId),
        credential: credentialFor(ctx.target, r),
      });
      out[r.name] = { first: first.id, second: second.id };
    }
    return Object.keys(out).length ? out : undefined;
  },
});

export const METHODS_PROBES: readonly ProbeDef[] = [methodsPutTwiceProbe, methodsGetTwiceProbe, methodsDeleteAgainProbe];
