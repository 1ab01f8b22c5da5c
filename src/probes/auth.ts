/**
 * Authentication and authorisation probes. Every protected operation a target declares (each
 * resource's collection GET/POST and item GET/PUT/DELETE; only the GETs in read-only mode) is
 * tried without credentials, with invalid tokens and with the expired token. Writes that must
 * be refused go to a well-formed id that does not exist (a 401/403 comes before the lookup), so
 * a service that wrongly accepts them cannot damage the items other probes read.
 *
 * The probes that must touch the shared created item with another credential (limited writes,
 * another tenant) run in the teardown phase, before `resources:delete`: if the service wrongly
 * lets them through, nothing else has been judged on that item yet.
 */
import { randomUUID } from 'node:crypto';
import type { Resource, Target } from '../config/target.ts';
import { jsonBody, type Credential, type Exchange } from '../http/exchange.ts';
import { createdItem, credentialFor, firstListedId, resourcesCreateProbe, resourcesListProbe, type PerResource } from './resources.ts';
import { absentIdLike, idOf, itemPath, tally, withMark, type EstimatePart } from './support.ts';
import { defineProbe, type ProbeContext, type ProbeDef, type RequestEstimate } from './types.ts';

/** One request of an auth probe: which operation, with which credential variant. */
export interface AuthAttempt {
  readonly exchange: number;
  /** "GET /v2/documents" (template path). */
  readonly op: string;
  readonly variant?: string;
}

export interface CrossTenantOutput {
  /** other_tenant_bearer listing its own collection: proves the credential works at all. */
  readonly control?: number;
  readonly read?: number;
  readonly update?: number;
  readonly delete?: number;
  /** The owner's reads of the item before, after the foreign update, and after the foreign delete. */
  readonly ownerBefore?: number;
  readonly ownerAfterUpdate?: number;
  readonly ownerAfterDelete?: number;
}

export interface ReadOnlyFieldsOutput {
  readonly tenantField?: string;
  readonly create?: { readonly exchange: number; readonly read?: number; readonly sent: Record<string, unknown> };
  readonly update?: { readonly exchange: number; readonly read?: number; readonly sent: Record<string, unknown> };
}

interface Operation {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly op: string;
  readonly json?: unknown;
}

const protectedResources = (t: Target): Resource[] => t.resources.filter((r) => r.requiresAuth);

/** An item id to read: the one the harness created, else the first listed (read-only targets). */
export function knownItemId(ctx: ProbeContext, r: Resource): string | undefined {
  const created = createdItem(ctx, r)?.itemId;
  if (created) return created;
  const listId = ctx.output(resourcesListProbe)?.[r.name];
  return firstListedId(ctx.client.exchanges.find((e) => e.id === listId));
}

/** The protected operations of a resource that the target's mode allows. */
function protectedOperations(ctx: ProbeContext, r: Resource): Operation[] {
  const known = knownItemId(ctx, r);
  const absent = absentIdLike(known);
  const ops: Operation[] = [
    { method: 'GET', path: r.collection, op: `GET ${r.collection}` },
    { method: 'GET', path: itemPath(r, known ?? absent), op: `GET ${r.item}` },
  ];
  if (ctx.target.mode === 'mutating') {
    ops.push(
      { method: 'POST', path: r.collection, op: `POST ${r.collection}`, json: withMark(r.create, 'auth') },
      { method: 'PUT', path: itemPath(r, absent), op: `PUT ${r.item}`, json: r.update ?? r.create ?? {} },
      { method: 'DELETE', path: itemPath(r, absent), op: `DELETE ${r.item}` },
    );
  }
  return ops;
}

/**
 * Which attempts each operation gets: every attempt on the first operation (the collection's
 * read), then one each, in turn, on the others. Every operation is probed and every attempt is
 * tried, in A + O − 1 requests rather than A × O: these go to the anonymous budget, and the
 * platform preset's (60 an hour) must hold a whole run.
 */
function covering<T>(ops: readonly Operation[], attempts: readonly T[]): [Operation, T][] {
  if (!ops.length || !attempts.length) return [];
  return [
    ...attempts.map((a): [Operation, T] => [ops[0]!, a]),
    ...ops.slice(1).map((op, i): [Operation, T] => [op, attempts[(i + 1) % attempts.length]!]),
  ];
}

/**
 * Requests of one `sweep` (`covering` over `protectedOperations`: GET collection and item, and
 * POST, PUT, DELETE when mutating); a POST wrongly accepted leaves an item the cleanup deletes.
 */
function sweepEstimate(t: Target, credential: Credential, attempts: number): RequestEstimate {
  const ops = t.mode === 'mutating' ? 5 : 2;
  return tally(
    protectedResources(t).flatMap((r): EstimatePart[] => [
      [credential, attempts + ops - 1],
      [credentialFor(t, r), 0, t.mode === 'mutating' ? 1 : 0],
    ]),
  );
}

/** Registers an item a refused-but-accepted create made, so it is deleted at the end. */
function trackCreate(ctx: ProbeContext, r: Resource, e: Exchange): void {
  const status = e.response?.status ?? 0;
  if (e.request.method !== 'POST' || status < 200 || status >= 300) return;
  const id = idOf(e);
  if (id) ctx.created(r, id);
}

async function sweep(
  ctx: ProbeContext,
  attempts: readonly { variant?: string; credential: Credential; headers?: Record<string, string> }[],
  describe: (variant: string | undefined, op: Operation) => string,
): Promise<PerResource<AuthAttempt[]> | undefined> {
  const out: PerResource<AuthAttempt[]> = {};
  for (const r of protectedResources(ctx.target)) {
    const list: AuthAttempt[] = [];
    for (const [op, a] of covering(protectedOperations(ctx, r), attempts)) {
      const e = await ctx.send({
        purpose: describe(a.variant, op),
        method: op.method,
        path: op.path,
        credential: a.credential,
        ...(a.headers ? { headers: a.headers } : {}),
        ...(op.json !== undefined ? { json: op.json } : {}),
      });
      trackCreate(ctx, r, e);
      list.push({ exchange: e.id, op: op.op, ...(a.variant ? { variant: a.variant } : {}) });
    }
    out[r.name] = list;
  }
  return Object.keys(out).length ? out : undefined;
}

const b64url = (v: unknown): string => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

function jwtParts(token: string): [string, string, string] | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]*$/.test(p))) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as { alg?: unknown };
    return typeof header.alg === 'string' ? (parts as [string, string, string]) : undefined;
  } catch {
    return undefined;
  }
}

/** A different character at `index` (base64url alphabet), so the decoded bytes change. */
function alterAt(s: string, index: number): string {
  const c = s[index] ?? 'A';
  return `${s.slice(0, index)}${c === 'A' ? 'B' : 'A'}${s.slice(index + 1)}`;
}

/**
 * The invalid Authorization values of auth.invalid-401: garbage, an empty Bearer, the wrong
 * scheme, a JWT with alg "none", and a wrongly-signed token. The last two are derived from the
 * real bearer when it is a JWT and are redacted like it (SPEC §8); without a client (the dry run
 * counts them) nothing is registered.
 */
export function invalidAuthorizations(
  ctx: Pick<ProbeContext, 'target'> & { readonly client?: Pick<ProbeContext['client'], 'deriveSecret'> },
): { variant: string; value: string }[] {
  const bearer = ctx.target.auth.bearer;
  const jwt = bearer ? jwtParts(bearer) : undefined;
  const out = [
    { variant: 'a garbage bearer token', value: 'Bearer conformance-garbage-token-4c1f9e' },
    { variant: 'an empty bearer token', value: 'Bearer ' },
    { variant: 'the wrong scheme (Basic)', value: `Basic ${Buffer.from('conformance:not-a-password').toString('base64')}` },
  ];
  const noneHeader = b64url({ alg: 'none', typ: 'JWT' });
  if (jwt) {
    const algNone = `${noneHeader}.${jwt[1]}.`;
    ctx.client?.deriveSecret(algNone, 'auth.bearer');
    out.push({ variant: 'the bearer JWT re-signed with alg "none"', value: `Bearer ${algNone}` });
    const altered = `${jwt[0]}.${jwt[1]}.${alterAt(jwt[2], 0)}`;
    ctx.client?.deriveSecret(altered, 'auth.bearer');
    out.push({ variant: 'the bearer JWT with its signature altered', value: `Bearer ${altered}` });
  } else {
    const claims = { sub: 'conformance-probe', exp: Math.floor(Date.now() / 1000) + 3600 };
    out.push({ variant: 'an unsigned JWT (alg "none")', value: `Bearer ${noneHeader}.${b64url(claims)}.` });
    if (bearer) {
      const altered = alterAt(bearer, Math.floor(bearer.length / 2));
      ctx.client?.deriveSecret(altered, 'auth.bearer');
      out.push({ variant: 'the bearer token with one character altered', value: `Bearer ${altered}` });
    }
  }
  return out;
}

/** The resource representation: `data` on the platform envelope, else the body itself. */
function representation(e: Exchange | undefined): Record<string, unknown> | undefined {
  const body = e ? jsonBody(e) : undefined;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const data = (body as { data?: unknown }).data;
  return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : (body as Record<string, unknown>);
}

export const TENANT_FIELDS = ['org_id', 'organization_id', 'tenant_id', 'owner_id'] as const;

/** A value of the same kind as `current` that names another tenant. */
function foreignValue(current: unknown): unknown {
  if (typeof current === 'number') return current + 7919;
  if (typeof current === 'string' && /^[0-9a-f-]{36}$/i.test(current)) return randomUUID();
  return `${String(current ?? 'tenant')}-conformance-foreign`;
}

export const SENT_CREATED_AT = '2001-02-03T04:05:06Z';
export const SENT_UPDATED_AT = '2001-02-03T04:05:07Z';

/** Probes that run in the main phase (listed after the resource probes). */
export const authMissingProbe = defineProbe({
  name: 'auth:missing',
  needs: [resourcesCreateProbe, resourcesListProbe],
  estimate: (t) => sweepEstimate(t, 'none', 1),
  run: (ctx) => sweep(ctx, [{ credential: 'none' }], (_, op) => `${op.op} without credentials`),
});

export const authInvalidProbe = defineProbe({
  name: 'auth:invalid',
  needs: [resourcesCreateProbe, resourcesListProbe],
  estimate: (t) => sweepEstimate(t, 'invalid', invalidAuthorizations({ target: t }).length),
  run: (ctx) => {
    const attempts = invalidAuthorizations(ctx).map((v) => ({
      variant: v.variant,
      credential: 'invalid' as const,
      headers: { authorization: v.value },
    }));
    return sweep(ctx, attempts, (variant, op) => `${op.op} with ${variant}`);
  },
});

export const authExpiredProbe = defineProbe({
  name: 'auth:expired',
  needs: [resourcesCreateProbe, resourcesListProbe],
  estimate: (t) => (t.auth.expired_bearer ? sweepEstimate(t, 'expired_bearer', 1) : {}),
  run: (ctx) =>
    ctx.target.auth.expired_bearer
      ? sweep(ctx, [{ credential: 'expired_bearer' }], (_, op) => `${op.op} with the expired token`)
      : Promise.resolve(undefined),
});

export const authQueryTokenProbe = defineProbe({
  name: 'auth:query-token',
  estimate: (t) => (t.auth.limited_bearer || t.auth.bearer ? { none: 2 * protectedResources(t).length } : {}),
  run: async (ctx) => {
    const which = ctx.target.auth.limited_bearer ? 'limited_bearer' : 'bearer';
    const token = ctx.target.auth[which];
    if (!token) return undefined;
    const out: PerResource<AuthAttempt[]> = {};
    for (const r of protectedResources(ctx.target)) {
      const list: AuthAttempt[] = [];
      for (const param of ['access_token', 'token']) {
        const e = await ctx.send({
          purpose: `GET ${r.collection} with \`${which}\` in ?${param}= and no Authorization header`,
          method: 'GET',
          path: r.collection,
          query: { [param]: token },
          credential: 'none',
        });
        list.push({ exchange: e.id, op: `GET ${r.collection}`, variant: `?${param}=` });
      }
      out[r.name] = list;
    }
    return Object.keys(out).length ? out : undefined;
  },
});

export const authApiKeyProbe = defineProbe({
  name: 'auth:api-key',
  estimate: (t) => (t.auth.api_key && protectedResources(t).length ? { api_key: 1, invalid: 2 } : {}),
  run: async (ctx) => {
    const key = ctx.target.auth.api_key;
    const r = protectedResources(ctx.target)[0];
    if (!key || !r) return undefined;
    const valid = await ctx.send({
      purpose: `GET ${r.collection} with the valid X-API-Key`,
      method: 'GET',
      path: r.collection,
      credential: 'api_key',
    });
    const altered = alterAt(key, Math.floor(key.length / 2));
    ctx.client.deriveSecret(altered, 'auth.api_key');
    const invalid: AuthAttempt[] = [];
    for (const [variant, value] of [
      ['a garbage X-API-Key', 'conformance-invalid-api-key-7d2e'],
      ['the X-API-Key with one character altered', altered],
    ] as const) {
      const e = await ctx.send({
        purpose: `GET ${r.collection} with ${variant}`,
        method: 'GET',
        path: r.collection,
        credential: 'invalid',
        headers: { 'x-api-key': value },
      });
      invalid.push({ exchange: e.id, op: `GET ${r.collection}`, variant });
    }
    return { valid: valid.id, invalid };
  },
});

export const authReadOnlyFieldsProbe = defineProbe({
  name: 'auth:read-only-fields',
  mutating: true,
  needs: [resourcesCreateProbe],
  // Create (and read it back, or a plain create when refused), update and read, the cleanup's
  // DELETE; one more DELETE if the update moved the item to the id it sent.
  estimate: (t) =>
    tally(
      t.resources
        .filter((r) => r.create)
        .map((r) => {
          const n = 3 + (r.update ? 2 : 0);
          return [credentialFor(t, r), n, n + (r.update ? 1 : 0)];
        }),
    ),
  run: async (ctx) => {
    const out: PerResource<ReadOnlyFieldsOutput> = {};
    for (const r of ctx.target.resources) {
      if (!r.create) continue;
      const cred = credentialFor(ctx.target, r);
      const shown = representation(ctx.client.exchanges.find((e) => e.id === createdItem(ctx, r)?.exchange));
      const tenantField = TENANT_FIELDS.find((f) => shown && f in shown);
      const extras = (): Record<string, unknown> => ({
        id: randomUUID(),
        created_at: SENT_CREATED_AT,
        updated_at: SENT_UPDATED_AT,
        ...(tenantField ? { [tenantField]: foreignValue(shown![tenantField]) } : {}),
      });
      const sentCreate = extras();
      const create = await ctx.send({
        purpose: `create a ${r.name} item that also sends read-only fields (${Object.keys(sentCreate).join(', ')})`,
        method: 'POST',
        path: r.collection,
        json: { ...withMark(r.create, 'read-only-fields'), ...sentCreate },
        credential: cred,
      });
      trackCreate(ctx, r, create);
      let itemId = ok(create) ? idOf(create) : undefined;
      let createRead: number | undefined;
      let update: ReadOnlyFieldsOutput['update'];
      if (itemId) {
        createRead = (
          await ctx.send({
            purpose: `read the ${r.name} item back to see which fields were applied`,
            method: 'GET',
            path: itemPath(r, itemId),
            credential: cred,
          })
        ).id;
      } else {
        // Rejected (fine): the update part needs an item of its own, made with the plain body.
        const plain = await ctx.send({
          purpose: `create a plain ${r.name} item for the read-only-fields update`,
          method: 'POST',
          path: r.collection,
          json: withMark(r.create, 'read-only-fields'),
          credential: cred,
        });
        trackCreate(ctx, r, plain);
        itemId = ok(plain) ? idOf(plain) : undefined;
      }
      if (itemId && r.update) {
        const sentUpdate = extras();
        const put = await ctx.send({
          purpose: `update the ${r.name} item with read-only fields in the body (${Object.keys(sentUpdate).join(', ')})`,
          method: 'PUT',
          path: itemPath(r, itemId),
          json: { ...withMark(r.update, 'read-only-fields'), ...sentUpdate },
          credential: cred,
        });
        const movedTo = ok(put) ? idOf(put) : undefined;
        const read = await ctx.send({
          purpose: `read the ${r.name} item back after the update`,
          method: 'GET',
          path: itemPath(r, itemId),
          credential: cred,
        });
        if (movedTo && movedTo !== itemId) ctx.created(r, movedTo);
        update = { exchange: put.id, read: read.id, sent: sentUpdate };
      }
      out[r.name] = {
        ...(tenantField ? { tenantField } : {}),
        create: { exchange: create.id, ...(createRead ? { read: createRead } : {}), sent: sentCreate },
        ...(update ? { update } : {}),
      };
    }
    return Object.keys(out).length ? out : undefined;
  },
});

export const AUTH_PROBES: readonly ProbeDef[] = [
  authMissingProbe,
  authInvalidProbe,
  authExpiredProbe,
  authQueryTokenProbe,
  authApiKeyProbe,
  authReadOnlyFieldsProbe,
];

const ok = (e: Exchange): boolean => (e.response?.status ?? 0) >= 200 && (e.response?.status ?? 0) < 300;

/**
 * Teardown probes that write to the shared created item with credentials that must be refused.
 * Listed before the resource probes so they run before `resources:delete`.
 */
export const authForbiddenProbe = defineProbe({
  name: 'auth:forbidden',
  phase: 'teardown',
  mutating: true,
  needs: [resourcesCreateProbe],
  // POST, then PUT and DELETE on the created item; a POST wrongly accepted leaves one for the cleanup.
  estimate: (t) =>
    t.auth.limited_bearer
      ? tally(
          protectedResources(t).flatMap((r): EstimatePart[] => [
            ['limited_bearer', r.create ? 3 : 1],
            [credentialFor(t, r), 0, 1],
          ]),
        )
      : {},
  run: async (ctx) => {
    if (!ctx.target.auth.limited_bearer) return undefined;
    const out: PerResource<AuthAttempt[]> = {};
    for (const r of protectedResources(ctx.target)) {
      const list: AuthAttempt[] = [];
      const send = async (op: Operation): Promise<void> => {
        const e = await ctx.send({
          purpose: `${op.op} with \`limited_bearer\` (valid, no write permission)`,
          method: op.method,
          path: op.path,
          credential: 'limited_bearer',
          ...(op.json !== undefined ? { json: op.json } : {}),
        });
        trackCreate(ctx, r, e);
        if (op.method === 'DELETE' && ok(e)) ctx.deleted(r, createdItem(ctx, r)!.itemId!);
        list.push({ exchange: e.id, op: op.op });
      };
      await send({ method: 'POST', path: r.collection, op: `POST ${r.collection}`, json: withMark(r.create, 'forbidden') });
      const itemId = createdItem(ctx, r)?.itemId;
      if (itemId) {
        await send({ method: 'PUT', path: itemPath(r, itemId), op: `PUT ${r.item}`, json: withMark(r.update ?? r.create, 'forbidden') });
        await send({ method: 'DELETE', path: itemPath(r, itemId), op: `DELETE ${r.item}` });
      }
      out[r.name] = list;
    }
    return Object.keys(out).length ? out : undefined;
  },
});

export const authCrossTenantProbe = defineProbe({
  name: 'auth:cross-tenant',
  phase: 'teardown',
  mutating: true,
  needs: [resourcesCreateProbe],
  // On the created item: the other tenant's control list, read, update and delete; the owner's three reads.
  estimate: (t) =>
    t.auth.other_tenant_bearer
      ? tally(
          protectedResources(t)
            .filter((r) => r.create)
            .flatMap((r): EstimatePart[] => [
              ['other_tenant_bearer', 4],
              [credentialFor(t, r), 3],
            ]),
        )
      : {},
  run: async (ctx) => {
    if (!ctx.target.auth.other_tenant_bearer) return undefined;
    const out: PerResource<CrossTenantOutput> = {};
    for (const r of protectedResources(ctx.target)) {
      const itemId = createdItem(ctx, r)?.itemId;
      if (!itemId) continue;
      const path = itemPath(r, itemId);
      const owner = credentialFor(ctx.target, r);
      const other = (purpose: string, method: Operation['method'], json?: unknown): Promise<Exchange> =>
        ctx.send({ purpose, method, path, credential: 'other_tenant_bearer', ...(json !== undefined ? { json } : {}) });
      const mine = (purpose: string): Promise<Exchange> => ctx.send({ purpose, method: 'GET', path, credential: owner });
      const control = await ctx.send({
        purpose: `GET ${r.collection} with \`other_tenant_bearer\` (is the credential valid at all?)`,
        method: 'GET',
        path: r.collection,
        credential: 'other_tenant_bearer',
      });
      const ownerBefore = await mine(`the owner reads its ${r.name} item before the other tenant tries it`);
      const read = await other(`the other tenant reads the owner's ${r.name} item`, 'GET');
      const update = await other(
        `the other tenant replaces the owner's ${r.name} item`,
        'PUT',
        withMark(r.update ?? r.create, 'cross-tenant'),
      );
      const ownerAfterUpdate = await mine(`the owner reads its ${r.name} item after the other tenant's update`);
      const del = await other(`the other tenant deletes the owner's ${r.name} item`, 'DELETE');
      const ownerAfterDelete = await mine(`the owner reads its ${r.name} item after the other tenant's delete`);
      if ((ownerAfterDelete.response?.status ?? 0) === 404 && ok(del)) ctx.deleted(r, itemId);
      out[r.name] = {
        control: control.id,
        ownerBefore: ownerBefore.id,
        read: read.id,
        update: update.id,
        ownerAfterUpdate: ownerAfterUpdate.id,
        delete: del.id,
        ownerAfterDelete: ownerAfterDelete.id,
      };
    }
    return Object.keys(out).length ? out : undefined;
  },
});

export const AUTH_TEARDOWN_PROBES: readonly ProbeDef[] = [authForbiddenProbe, authCrossTenantProbe];
