/**
 * The resource lifecycle, probed once per declared resource and read by the status, errors,
 * methods and auth rules: list, create, read, update, delete, plus the requests that must
 * fail (missing item, unknown route, invalid and broken bodies, unsupported method, hostile ids).
 */
import type { Resource, Target } from '../config/target.ts';
import { jsonBody, type Credential, type Exchange } from '../http/exchange.ts';
import { openapiRequiredFieldsProbe } from './docs.ts';
import { absentIdLike, idOf, itemPath, tally, versionPrefix, withMark } from './support.ts';
import { defineProbe, type ProbeContext, type ProbeDef, type RequestEstimate } from './types.ts';

export type PerResource<T> = Record<string, T>;
export interface CreatedOutput {
  readonly exchange: number;
  readonly itemId?: string;
}

/** The credential a resource is read and written with. */
export function credentialFor(target: Target, resource?: Resource): Credential {
  if (resource && !resource.requiresAuth) return target.auth.bearer ? 'bearer' : 'none';
  return target.auth.bearer ? 'bearer' : target.auth.api_key ? 'api_key' : 'none';
}

async function eachResource<T>(ctx: ProbeContext, fn: (r: Resource) => Promise<T | undefined>): Promise<PerResource<T>> {
  const out: PerResource<T> = {};
  for (const r of ctx.target.resources) {
    const value = await fn(r);
    if (value !== undefined) out[r.name] = value;
  }
  return out;
}

/** Registers a 2xx create (even an unwanted one) for cleanup. */
function track(ctx: ProbeContext, r: Resource, exchange: Exchange): string | undefined {
  const status = exchange.response?.status ?? 0;
  const id = status >= 200 && status < 300 ? idOf(exchange) : undefined;
  if (id) ctx.created(r, id);
  return id;
}

export function firstListedId(list: Exchange | undefined): string | undefined {
  const items = list ? (jsonBody(list) as { items?: unknown } | undefined)?.items : undefined;
  const first = Array.isArray(items) ? (items[0] as { id?: unknown } | undefined) : undefined;
  return typeof first?.id === 'string' || typeof first?.id === 'number' ? String(first.id) : undefined;
}

/**
 * Estimate: `n(r)` requests for each resource, with its credential. `cleaned`: each may leave an
 * item the cleanup deletes (a create whose DELETE did not run, a write a faulty service accepted).
 */
export function perResource(target: Target, n: (r: Resource) => number, cleaned = false): RequestEstimate {
  return tally(target.resources.map((r) => [credentialFor(target, r), n(r), cleaned ? 2 * n(r) : n(r)]));
}

/** The first scalar field of the create body: resources:validation sends an object and an array in its place. */
export const scalarKeyOf = (r: Resource): string | undefined =>
  Object.entries(r.create ?? {}).find(([, v]) => typeof v === 'string' || typeof v === 'number')?.[0];

export const createdItem = (ctx: Pick<ProbeContext, 'output'>, r: Resource): CreatedOutput | undefined =>
  ctx.output(resourcesCreateProbe)?.[r.name];

export const resourcesCreateProbe = defineProbe({
  name: 'resources:create',
  // Its DELETE is resources:delete's; the cleanup's when that one does not run or fails.
  estimate: (t) => perResource(t, (r) => (r.create ? 1 : 0), true),
  phase: 'setup',
  mutating: true,
  run: (ctx) =>
    eachResource<CreatedOutput>(ctx, async (r) => {
      if (!r.create) return undefined;
      const exchange = await ctx.send({
        purpose: `create a ${r.name} item with the declared create body`,
        method: 'POST',
        path: r.collection,
        json: withMark(r.create, 'lifecycle'),
        credential: credentialFor(ctx.target, r),
      });
      const itemId = track(ctx, r, exchange);
      return { exchange: exchange.id, ...(itemId ? { itemId } : {}) };
    }),
});

export const resourcesListProbe = defineProbe({
  name: 'resources:list',
  estimate: (t) => perResource(t, () => 1),
  run: (ctx) =>
    eachResource(
      ctx,
      async (r) =>
        (
          await ctx.send({
            purpose: `list ${r.name}`,
            method: 'GET',
            path: r.collection,
            credential: credentialFor(ctx.target, r),
          })
        ).id,
    ),
});

export const resourcesReadProbe = defineProbe({
  name: 'resources:read',
  estimate: (t) => perResource(t, () => 1),
  needs: [resourcesCreateProbe, resourcesListProbe],
  run: (ctx) =>
    eachResource(ctx, async (r) => {
      // Read-only targets read the first listed item instead of one the harness created.
      const created = createdItem(ctx, r)?.itemId;
      const listed = ctx.client.exchanges.find((e) => e.id === ctx.output(resourcesListProbe)?.[r.name]);
      const itemId = created ?? firstListedId(listed);
      if (!itemId) return undefined;
      return (
        await ctx.send({
          purpose: `read the ${created ? 'created' : 'first listed'} ${r.name} item`,
          method: 'GET',
          path: itemPath(r, itemId),
          credential: credentialFor(ctx.target, r),
        })
      ).id;
    }),
});

export const resourcesUpdateProbe = defineProbe({
  name: 'resources:update',
  estimate: (t) => perResource(t, (r) => (r.create && r.update ? 1 : 0)),
  needs: [resourcesCreateProbe],
  mutating: true,
  run: (ctx) =>
    eachResource(ctx, async (r) => {
      const itemId = createdItem(ctx, r)?.itemId;
      if (!itemId || !r.update) return undefined;
      return (
        await ctx.send({
          purpose: `replace the created ${r.name} item with the declared update body`,
          method: 'PUT',
          path: itemPath(r, itemId),
          json: withMark(r.update, 'lifecycle'),
          credential: credentialFor(ctx.target, r),
        })
      ).id;
    }),
});

export const resourcesNotFoundProbe = defineProbe({
  name: 'resources:not-found',
  estimate: (t) => perResource(t, () => 1),
  needs: [resourcesCreateProbe],
  run: (ctx) =>
    eachResource(
      ctx,
      async (r) =>
        (
          await ctx.send({
            purpose: `read a ${r.name} item that does not exist`,
            method: 'GET',
            path: itemPath(r, absentIdLike(createdItem(ctx, r)?.itemId)),
            credential: credentialFor(ctx.target, r),
          })
        ).id,
    ),
});

export const routeUnknownProbe = defineProbe({
  name: 'route:unknown',
  estimate: (t) => ({ [credentialFor(t)]: 1 }),
  run: async (ctx) =>
    (
      await ctx.send({
        purpose: 'GET a path that no API serves, under the version prefix',
        method: 'GET',
        path: `${versionPrefix(ctx.target)}/conformance-no-such-route-7f3a`,
        credential: credentialFor(ctx.target),
      })
    ).id,
});

export const resourcesValidationProbe = defineProbe({
  name: 'resources:validation',
  // Plus one per field of the create body that the OpenAPI document marks required: known only at run time.
  estimate: (t) =>
    tally(
      t.resources.map((r) => {
        const expected = (r.invalid ? 1 : 0) + (r.create && scalarKeyOf(r) ? 2 : 0);
        return [credentialFor(t, r), expected, 2 * (expected + Object.keys(r.create ?? {}).length)];
      }),
    ),
  mutating: true,
  needs: [openapiRequiredFieldsProbe],
  run: (ctx) =>
    eachResource(ctx, async (r) => {
      const ids: number[] = [];
      const cred = credentialFor(ctx.target, r);
      const post = async (purpose: string, json: unknown): Promise<void> => {
        const exchange = await ctx.send({ purpose, method: 'POST', path: r.collection, json, credential: cred });
        track(ctx, r, exchange);
        ids.push(exchange.id);
      };
      if (r.invalid) await post('create with the declared invalid body', r.invalid);
      const scalarKey = scalarKeyOf(r);
      if (r.create && scalarKey) {
        await post(`create with an object in place of the scalar "${scalarKey}"`, { ...r.create, [scalarKey]: { nested: true } });
        await post(`create with an array in place of the scalar "${scalarKey}"`, { ...r.create, [scalarKey]: ['a', 'b'] });
      }
      const required = ctx.output(openapiRequiredFieldsProbe)?.[r.name] ?? [];
      for (const field of required) {
        // Removing a field the create body does not carry would send a valid body.
        if (!r.create || !(field in r.create)) continue;
        const { [field]: _removed, ...rest } = r.create;
        await post(`create without the required field "${field}" (required per the OpenAPI document)`, rest);
      }
      return ids.length ? ids : undefined;
    }),
});

export const resourcesMalformedProbe = defineProbe({
  name: 'resources:malformed',
  estimate: (t) => perResource(t, () => 1, true),
  mutating: true,
  run: (ctx) =>
    eachResource(ctx, async (r) => {
      const exchange = await ctx.send({
        purpose: 'create with syntactically broken JSON',
        method: 'POST',
        path: r.collection,
        rawBody: '{"name": "conformance-broken", "metadata": {',
        credential: credentialFor(ctx.target, r),
      });
      track(ctx, r, exchange);
      return exchange.id;
    }),
});

export const resourcesUnsupportedMethodProbe = defineProbe({
  name: 'resources:unsupported-method',
  estimate: (t) => perResource(t, () => 1, true),
  mutating: true,
  run: (ctx) =>
    eachResource(ctx, async (r) => {
      // POST on an item path of an id that does not exist: unsupported by REST convention and,
      // should a service accept it, the worst it can do is create one item we then delete.
      const exchange = await ctx.send({
        purpose: 'POST on an item path (an unsupported method on a known path)',
        method: 'POST',
        path: itemPath(r, absentIdLike(createdItem(ctx, r)?.itemId)),
        json: r.create ?? {},
        credential: credentialFor(ctx.target, r),
      });
      track(ctx, r, exchange);
      return exchange.id;
    }),
});

export const hostileIdsProbe = defineProbe({
  name: 'hostile:ids',
  estimate: (t) => perResource(t, () => (t.conventions.pagination === 'page' ? 6 : 5)),
  run: (ctx) =>
    eachResource(ctx, async (r) => {
      const ids: number[] = [];
      const cred = credentialFor(ctx.target, r);
      const hostile: [string, string][] = [
        ['a 10 kB id', 'x'.repeat(10 * 1024)],
        ['an id that is not a UUID', 'not-a-uuid'],
        ['a unicode id', 'ünïcødé-💥-标识'],
        ['an id with SQL metacharacters', "1' OR '1'='1"],
        ['an id with path traversal', '..%2F..%2Fetc%2Fpasswd'],
      ];
      for (const [what, id] of hostile) {
        ids.push((await ctx.send({ purpose: `read an item by ${what}`, method: 'GET', path: itemPath(r, id), credential: cred })).id);
      }
      if (ctx.target.conventions.pagination === 'page') {
        ids.push(
          (
            await ctx.send({
              purpose: 'list with a huge page number',
              method: 'GET',
              path: r.collection,
              query: { page: '99999999999999999999' },
              credential: cred,
            })
          ).id,
        );
      }
      return ids;
    }),
});

export const resourcesDeleteProbe = defineProbe({
  name: 'resources:delete',
  estimate: (t) => perResource(t, (r) => (r.create ? 2 : 0)),
  phase: 'teardown',
  needs: [resourcesCreateProbe],
  mutating: true,
  run: (ctx) =>
    eachResource(ctx, async (r) => {
      const itemId = createdItem(ctx, r)?.itemId;
      if (!itemId) return undefined;
      const cred = credentialFor(ctx.target, r);
      const del = await ctx.send({
        purpose: `delete the created ${r.name} item`,
        method: 'DELETE',
        path: itemPath(r, itemId),
        credential: cred,
      });
      const status = del.response?.status ?? 0;
      if (status >= 200 && status < 300) ctx.deleted(r, itemId);
      const after = await ctx.send({
        purpose: `read the ${r.name} item after deleting it`,
        method: 'GET',
        path: itemPath(r, itemId),
        credential: cred,
      });
      return { delete: del.id, after: after.id };
    }),
});

export const RESOURCE_PROBES: readonly ProbeDef[] = [
  resourcesCreateProbe,
  resourcesListProbe,
  resourcesReadProbe,
  resourcesUpdateProbe,
  resourcesNotFoundProbe,
  routeUnknownProbe,
  resourcesValidationProbe,
  resourcesMalformedProbe,
  resourcesUnsupportedMethodProbe,
  hostileIdsProbe,
  resourcesDeleteProbe,
];
