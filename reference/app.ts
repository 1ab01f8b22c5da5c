/**
 * The embedded reference API: one node:http server that serves both guideline profiles,
 * conformant by default, and each named fault under its own base path (see faults.ts).
 * node:http rather than a framework: faults need byte-level control of status lines,
 * headers and bodies that frameworks normalise away, and it adds no dependency.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Profile } from '../src/rules/types.ts';
import { FAULT_NAMES } from './faults.ts';
import { Store, type Item } from './store.ts';
import { verifyApiKey, verifyToken } from './tokens.ts';

/** Rate budget of the reference API, per identity and base path (targets.yaml declares the same). */
export const REFERENCE_RATE_LIMIT = { limit: 1000, windowS: 60, anonymousLimit: 600 } as const;
export const ALLOWED_ORIGINS = ['https://search.example.ai', 'https://app.example.com'];

interface Identity { org: string; sub: string; canWrite: boolean; key: string }

interface Tenant {
  readonly store: Store;
  readonly windows: Map<string, { start: number; count: number }>;
}

export interface Ctx {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly profile: Profile;
  readonly faults: ReadonlySet<string>;
  readonly tenant: Tenant;
  /** Path below the profile prefix, e.g. /v2/documents/123. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly requestId: string;
  readonly started: number;
  /** Base path of this profile (with fault prefix), for `instance` members. */
  readonly base: string;
}

const RESOURCE: Record<Profile, { collection: string; deprecated?: string }> = {
  platform: { collection: '/v2/documents', deprecated: '/v1/documents' },
  backend: { collection: '/v1/sessions' },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_BODY = 1024 * 1024;

export function createReferenceServer(): Server {
  const tenants = new Map<string, Tenant>();
  const tenantFor = (key: string): Tenant => {
    let t = tenants.get(key);
    if (!t) tenants.set(key, (t = { store: new Store(), windows: new Map() }));
    return t;
  };
  const server = createServer((req, res) => {
    handle(req, res, tenantFor).catch((e: unknown) => {
      // The reference never leaks internals, even when it breaks.
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500 }));
      } else res.destroy();
      if (process.env.REFERENCE_DEBUG) console.error(e);
    });
  });
  server.keepAliveTimeout = 5000;
  return server;
}

async function handle(req: IncomingMessage, res: ServerResponse, tenantFor: (key: string) => Tenant): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://reference.invalid');
  const match = /^(?:\/_f\/([^/]+))?\/(platform|backend)(\/.*)?$/.exec(url.pathname);
  if (!match) {
    res.writeHead(404, { 'content-type': 'application/json', ...securityHeaders() });
    res.end(JSON.stringify({ detail: 'The reference API serves /platform and /backend', status: 404 }));
    return;
  }
  const faults = new Set((match[1] ?? '').split('+').filter((f) => FAULT_NAMES.has(f)));
  const profile = match[2] as Profile;
  const sentId = headerOf(req, 'x-request-id');
  const ctx: Ctx = {
    req, res, profile, faults,
    tenant: tenantFor(`${match[1] ?? ''}|${profile}`),
    path: match[3] ?? '/',
    query: url.searchParams,
    requestId: sentId && /^[\w-]{8,128}$/.test(sentId) ? sentId : randomUUID(),
    started: performance.now(),
    base: `${match[1] ? `/_f/${match[1]}` : ''}/${profile}`,
  };
  res.setHeader('x-request-id', ctx.requestId);
  for (const [k, v] of Object.entries(securityHeaders())) res.setHeader(k, v);
  res.setHeader('cache-control', 'no-store');
  if (applyCors(ctx)) return;
  await route(ctx);
}

function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'x-xss-protection': '1; mode=block',
  };
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Answers preflights; adds CORS headers to other responses. True when the request was answered. */
function applyCors(ctx: Ctx): boolean {
  const origin = headerOf(ctx.req, 'origin');
  const preflight = ctx.req.method === 'OPTIONS' && headerOf(ctx.req, 'access-control-request-method') !== undefined;
  if (origin) ctx.res.setHeader('vary', 'Origin');
  const allowed = origin !== undefined && ALLOWED_ORIGINS.includes(origin);
  if (allowed) {
    ctx.res.setHeader('access-control-allow-origin', origin);
    ctx.res.setHeader('access-control-allow-credentials', 'true');
    ctx.res.setHeader('access-control-expose-headers', 'X-Request-ID, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, X-RateLimit-Window, Retry-After');
  }
  if (!preflight) return false;
  if (!allowed) {
    sendError(ctx, 403, 'Forbidden', 'CORS_ORIGIN_DENIED', 'Origin not allowed');
    return true;
  }
  ctx.res.setHeader('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
  ctx.res.setHeader('access-control-allow-headers', headerOf(ctx.req, 'access-control-request-headers') ?? 'Authorization, Content-Type');
  ctx.res.setHeader('access-control-max-age', '86400');
  ctx.res.writeHead(204);
  ctx.res.end();
  return true;
}

async function route(ctx: Ctx): Promise<void> {
  const { path, req } = ctx;
  const method = req.method ?? 'GET';
  if (path === '/health') return only(ctx, ['GET', 'HEAD'], () => health(ctx));
  if (path === '/ready') return only(ctx, ['GET', 'HEAD'], () => send(ctx, 200, { status: 'ready' }));
  if (method === 'TRACE') return methodNotAllowed(ctx, ['GET', 'HEAD']);

  const resource = RESOURCE[ctx.profile];
  const prefixes = [resource.collection, ...(resource.deprecated ? [resource.deprecated] : [])];
  for (const collection of prefixes) {
    if (collection === resource.deprecated) {
      ctx.res.setHeader('deprecation', '@1719792000');
      ctx.res.setHeader('sunset', 'Wed, 01 Jul 2026 00:00:00 GMT');
      ctx.res.setHeader('link', `<${ctx.base}${resource.collection}>; rel="successor-version"`);
    }
    if (path === collection) {
      const identity = authenticate(ctx);
      if (!identity || limited(ctx, identity)) return;
      if (method === 'GET' || method === 'HEAD') return list(ctx, identity);
      if (method === 'POST') return create(ctx, identity);
      return methodNotAllowed(ctx, ['GET', 'HEAD', 'POST']);
    }
    if (path.startsWith(`${collection}/`)) {
      const id = decodeURIComponent(path.slice(collection.length + 1));
      if (id.includes('/')) break;
      const identity = authenticate(ctx);
      if (!identity || limited(ctx, identity)) return;
      return item(ctx, identity, id);
    }
  }
  return notFoundRoute(ctx);
}

function only(ctx: Ctx, methods: string[], then: () => void): void {
  if (!methods.includes(ctx.req.method ?? 'GET')) return methodNotAllowed(ctx, methods);
  then();
}

function notFoundRoute(ctx: Ctx): void {
  if (ctx.faults.has('status.unknown-route-404') && /^\/v\d+\//.test(ctx.path)) {
    return sendError(ctx, 403, 'Forbidden', 'FORBIDDEN', 'Access denied');
  }
  sendError(ctx, 404, 'Not Found', 'ROUTE_NOT_FOUND', `No route ${ctx.path}`);
}

function methodNotAllowed(ctx: Ctx, allow: string[]): void {
  if (ctx.faults.has('status.method-not-allowed-405')) {
    return sendError(ctx, 404, 'Not Found', 'ROUTE_NOT_FOUND', `No route ${ctx.req.method} ${ctx.path}`);
  }
  ctx.res.setHeader('allow', allow.join(', '));
  sendError(ctx, 405, 'Method Not Allowed', 'METHOD_NOT_ALLOWED', `${ctx.req.method} is not allowed on ${ctx.path}`);
}

function health(ctx: Ctx): void {
  const timestamp = new Date().toISOString();
  if (ctx.profile === 'platform') {
    return send(ctx, 200, { status: 'healthy', timestamp, services: { database: { status: 'healthy', response_time_ms: 1 } } });
  }
  send(ctx, 200, { status: 'healthy', timestamp });
}

function authenticate(ctx: Ctx): Identity | undefined {
  const authorization = headerOf(ctx.req, 'authorization');
  const apiKey = ctx.profile === 'platform' ? headerOf(ctx.req, 'x-api-key') : undefined;
  if (authorization === undefined && apiKey === undefined) {
    ctx.res.setHeader('www-authenticate', 'Bearer realm="reference"');
    sendError(ctx, 401, 'Unauthorized', 'UNAUTHENTICATED', 'Authentication required');
    return undefined;
  }
  if (apiKey !== undefined && authorization === undefined) {
    const key = verifyApiKey(apiKey);
    if (key) return { org: key.org, sub: `api-key:${key.org}`, canWrite: true, key: `key:${key.org}` };
    ctx.res.setHeader('www-authenticate', 'Bearer realm="reference"');
    sendError(ctx, 401, 'Unauthorized', 'INVALID_API_KEY', 'Invalid API key');
    return undefined;
  }
  const token = /^Bearer ([^\s]+)$/.exec(authorization ?? '')?.[1];
  const check = token ? verifyToken(token) : undefined;
  if (!check?.ok) {
    const reason = check === undefined ? 'unsupported scheme' : check.reason === 'expired' ? 'token expired' : 'invalid token';
    ctx.res.setHeader('www-authenticate', `Bearer realm="reference", error="invalid_token", error_description="${reason}"`);
    sendError(ctx, 401, 'Unauthorized', 'INVALID_TOKEN', `Invalid credentials: ${reason}`);
    return undefined;
  }
  const { org, sub, scope } = check.claims;
  return { org, sub, canWrite: scope.split(' ').includes('write'), key: `user:${org}:${sub}` };
}

/** Fixed-window rate limiting per identity; sets X-RateLimit-* on every answered request. */
function limited(ctx: Ctx, identity: Identity): boolean {
  const now = Date.now();
  const windowMs = REFERENCE_RATE_LIMIT.windowS * 1000;
  let w = ctx.tenant.windows.get(identity.key);
  if (!w || now >= w.start + windowMs) ctx.tenant.windows.set(identity.key, (w = { start: now, count: 0 }));
  w.count++;
  const limit = REFERENCE_RATE_LIMIT.limit;
  const reset = Math.ceil((w.start + windowMs) / 1000);
  ctx.res.setHeader('x-ratelimit-limit', String(limit));
  ctx.res.setHeader('x-ratelimit-remaining', String(Math.max(0, limit - w.count)));
  ctx.res.setHeader('x-ratelimit-reset', String(reset));
  ctx.res.setHeader('x-ratelimit-window', String(REFERENCE_RATE_LIMIT.windowS));
  if (w.count <= limit) return false;
  const retryAfter = Math.max(1, reset - Math.floor(now / 1000));
  ctx.res.setHeader('retry-after', String(retryAfter));
  sendError(ctx, 429, 'Too Many Requests', 'RATE_LIMITED', `Rate limit exceeded. Try again in ${retryAfter} seconds.`, undefined, { retry_after: retryAfter });
  return true;
}

function representation(ctx: Ctx, item: Item): Record<string, unknown> {
  const base = { id: item.id, ...item.fields, org_id: item.org_id, created_at: item.created_at, updated_at: item.updated_at };
  if (ctx.profile === 'platform') return { is_archived: false, ...base };
  return { status: 'active', ...base };
}

function single(ctx: Ctx, status: number, item: Item): void {
  const body = representation(ctx, item);
  send(ctx, status, ctx.profile === 'platform' ? { data: body, metadata: metadata(ctx) } : body);
}

function metadata(ctx: Ctx): Record<string, unknown> {
  return {
    request_id: ctx.requestId,
    timestamp: new Date().toISOString(),
    processing_time_ms: Math.round(performance.now() - ctx.started),
  };
}

function list(ctx: Ctx, identity: Identity): void {
  const store = ctx.tenant.store;
  const sizeParam = ctx.profile === 'platform' ? 'limit' : 'page_size';
  const defaultSize = ctx.profile === 'platform' ? 50 : 20;
  const rawSize = ctx.query.get(sizeParam);
  const size = rawSize === null ? defaultSize : Number(rawSize);
  if (!Number.isInteger(size) || size < 1 || size > 100 || (rawSize !== null && !/^\d+$/.test(rawSize))) {
    return validationError(ctx, [{ loc: ['query', sizeParam], msg: 'must be an integer between 1 and 100', type: 'value_error.number' }]);
  }
  if (ctx.profile === 'platform') {
    const cursor = ctx.query.get('cursor');
    let after = 0;
    if (cursor !== null) {
      const decoded = decodeCursor(cursor);
      if (decoded === undefined) {
        return validationError(ctx, [{ loc: ['query', 'cursor'], msg: 'invalid cursor', type: 'value_error.cursor' }]);
      }
      after = decoded;
    }
    const rest = store.list(identity.org, after);
    const page = rest.slice(0, size);
    const hasMore = rest.length > size;
    const last = page.at(-1);
    return send(ctx, 200, {
      items: page.map((i) => representation(ctx, i)),
      pagination: { cursor: hasMore && last ? encodeCursor(last) : null, has_more: hasMore, limit: size },
      metadata: { total_count: store.count(identity.org) },
    });
  }
  const rawPage = ctx.query.get('page');
  const pageNo = rawPage === null ? 1 : Number(rawPage);
  if (!Number.isInteger(pageNo) || pageNo < 1 || (rawPage !== null && !/^\d+$/.test(rawPage))) {
    return validationError(ctx, [{ loc: ['query', 'page'], msg: 'must be an integer ≥ 1', type: 'value_error.number' }]);
  }
  const all = store.list(identity.org);
  const start = Math.min((pageNo - 1) * size, all.length);
  const page = all.slice(start, start + size);
  send(ctx, 200, { items: page.map((i) => representation(ctx, i)), total: all.length, page: pageNo, page_size: size, has_more: start + size < all.length });
}

function encodeCursor(item: Item): string {
  return Buffer.from(JSON.stringify({ id: item.id, seq: item.seq })).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(cursor)) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { seq?: unknown; id?: unknown };
    return typeof value.seq === 'number' && Number.isInteger(value.seq) && value.seq >= 0 && typeof value.id === 'string' ? value.seq : undefined;
  } catch {
    return undefined;
  }
}

async function readJson(ctx: Ctx): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) break;
    chunks.push(chunk);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

interface Problem { loc: (string | number)[]; msg: string; type: string }

/** SessionCreate / document create: name 1–255 chars, metadata an object (guidelines' own schema). */
function validateFields(body: unknown): { fields: Record<string, unknown> } | { problems: Problem[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { problems: [{ loc: ['body'], msg: 'must be a JSON object', type: 'type_error.dict' }] };
  }
  const b = body as Record<string, unknown>;
  const problems: Problem[] = [];
  if (!('name' in b)) problems.push({ loc: ['body', 'name'], msg: 'field required', type: 'value_error.missing' });
  else if (typeof b.name !== 'string') problems.push({ loc: ['body', 'name'], msg: 'must be a string', type: 'type_error.str' });
  else if (b.name.length < 1 || b.name.length > 255) problems.push({ loc: ['body', 'name'], msg: 'must be 1 to 255 characters', type: 'value_error.any_str.length' });
  if ('metadata' in b && (typeof b.metadata !== 'object' || b.metadata === null || Array.isArray(b.metadata))) {
    problems.push({ loc: ['body', 'metadata'], msg: 'must be an object', type: 'type_error.dict' });
  }
  if (problems.length) return { problems };
  // Read-only fields (id, org_id, timestamps) are ignored: never mass-assigned.
  return { fields: { name: b.name, metadata: (b.metadata as Record<string, unknown> | undefined) ?? {} } };
}

async function parseBody(ctx: Ctx): Promise<Record<string, unknown> | undefined> {
  const body = await readJson(ctx);
  if (!body.ok) {
    if (ctx.faults.has('status.malformed-body-400')) {
      sendError(ctx, 415, 'Unsupported Media Type', 'UNSUPPORTED_MEDIA_TYPE', 'Body could not be read');
    } else sendError(ctx, 400, 'Bad Request', 'MALFORMED_JSON', 'Request body is not valid JSON');
    return undefined;
  }
  const checked = validateFields(body.value);
  if ('problems' in checked) {
    validationError(ctx, checked.problems);
    return undefined;
  }
  return checked.fields;
}

function forbidWrite(ctx: Ctx, identity: Identity): boolean {
  if (identity.canWrite) return false;
  sendError(ctx, 403, 'Forbidden', 'INSUFFICIENT_SCOPE', 'This credential may not write');
  return true;
}

async function create(ctx: Ctx, identity: Identity): Promise<void> {
  if (forbidWrite(ctx, identity)) return;
  const fields = await parseBody(ctx);
  if (!fields) return;
  const item = ctx.tenant.store.create(identity.org, fields);
  ctx.res.setHeader('location', `${ctx.base}${RESOURCE[ctx.profile].collection}/${item.id}`);
  single(ctx, ctx.faults.has('status.create-201') ? 200 : 201, item);
}

async function item(ctx: Ctx, identity: Identity, id: string): Promise<void> {
  const method = ctx.req.method ?? 'GET';
  if (!['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'].includes(method)) {
    return methodNotAllowed(ctx, ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE']);
  }
  if (!UUID.test(id)) {
    if (ctx.faults.has('status.no-server-errors') && id.length > 1000) throw new Error('id too long for index');
    if (ctx.faults.has('errors.no-internal-leak')) {
      return sendError(ctx, 404, 'Not Found', 'NOT_FOUND',
        `Traceback (most recent call last):\n  File "/app/api/routes/items.py", line 42, in get_item\n    uuid.UUID(item_id)\nValueError: badly formed hexadecimal UUID string`);
    }
    return notFound(ctx, id);
  }
  const store = ctx.tenant.store;
  if (method === 'GET' || method === 'HEAD') {
    const found = store.get(identity.org, id);
    if (!found) return notFound(ctx, id);
    return single(ctx, ctx.faults.has('status.read-200') ? 203 : 200, found);
  }
  if (forbidWrite(ctx, identity)) return;
  if (method === 'DELETE') {
    const found = store.get(identity.org, id);
    if (!found || !store.delete(identity.org, id)) return notFound(ctx, id);
    if (ctx.faults.has('status.delete-204')) return single(ctx, 200, found);
    ctx.res.writeHead(204);
    ctx.res.end();
    return;
  }
  if (!store.get(identity.org, id)) return notFound(ctx, id);
  const fields = await parseBody(ctx);
  if (!fields) return;
  const updated = store.update(identity.org, id, fields)!;
  single(ctx, ctx.faults.has('status.update-200') ? 202 : 200, updated);
}

function notFound(ctx: Ctx, id: string): void {
  if (ctx.faults.has('status.not-found-404')) return sendError(ctx, 400, 'Bad Request', 'BAD_REQUEST', 'Unknown item');
  const shown = id.length > 64 ? `${id.slice(0, 64)}…` : id;
  sendError(ctx, 404, 'Not Found', 'RESOURCE_NOT_FOUND', `Item ${shown} not found`, undefined, undefined, { resource_id: shown });
}

function validationError(ctx: Ctx, problems: Problem[]): void {
  const status = ctx.faults.has('status.validation-422') ? 400 : 422;
  sendError(ctx, status, 'Unprocessable Entity', 'VALIDATION_FAILED', 'Request validation failed', problems);
}

/** Errors in the profile's format: RFC 9457 problem (platform) or the backend envelope. */
export function sendError(
  ctx: Ctx,
  status: number,
  title: string,
  code: string,
  message: string,
  problems?: Problem[],
  extensions?: Record<string, unknown>,
  context?: Record<string, unknown>,
): void {
  const f = ctx.faults;
  let body: unknown;
  let type: string;
  if (f.has('errors.shape') && status === 404) {
    body = { message };
    type = 'application/json';
  } else if (ctx.profile === 'platform') {
    const detail = problems && !f.has('errors.validation-details') ? problems : message;
    body = {
      ...(f.has('errors.problem-members') ? {} : { type: 'about:blank', title }),
      status: f.has('errors.status-matches') && status === 404 ? 400 : status,
      detail,
      instance: `${ctx.base}${ctx.path}`.slice(0, 200),
      ...(context ? { context } : {}),
      ...extensions,
    };
    type = 'application/problem+json';
  } else {
    const details = problems && !f.has('errors.validation-details') ? { fields: problems } : (context ?? {});
    body = {
      error: {
        code: f.has('errors.code-format') ? code.toLowerCase() : code,
        message,
        details,
        ...extensions,
      },
    };
    type = 'application/json';
  }
  if (f.has('errors.content-type')) type = 'text/plain; charset=utf-8';
  send(ctx, status, body, type);
}

export function send(ctx: Ctx, status: number, body: unknown, type = 'application/json'): void {
  const text = JSON.stringify(body);
  ctx.res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  ctx.res.end(ctx.req.method === 'HEAD' ? undefined : text);
}
