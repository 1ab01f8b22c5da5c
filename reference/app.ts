/**
 * The embedded reference API: one node:http server that serves both guideline profiles,
 * conformant by default, and each named fault under its own base path (see faults.ts).
 * node:http rather than a framework: faults need byte-level control of status lines,
 * headers and bodies that frameworks normalise away, and it adds no dependency.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { FAULT_NAMES } from './faults.ts';
import { authenticate, guardPublicEndpoint } from './auth.ts';
import { headerOf, type Ctx, type Tenant } from './context.ts';
import { applyCors } from './cors.ts';
import { rateLimited } from './ratelimit.ts';
import { methodNotAllowed, send, sendError } from './respond.ts';
import { applySecurity, docsCookie, isTls, securityHeaders, traceEcho } from './security.ts';
import { openApiDocument, docsPage } from './openapi.ts';
import { create, item, list, RESOURCE } from './resources.ts';
import { Store } from './store.ts';
import { streamRoute } from './streams.ts';
import { uploadRoute } from './uploads.ts';
import type { Profile } from '../src/spec/vocabulary.ts';

export { ALLOWED_ORIGINS } from './cors.ts';
export { REFERENCE_RATE_LIMIT } from './ratelimit.ts';

/** What the reference saw of one request: the log that safety tests and the benchmark read. */
export interface RequestLogEntry {
  readonly at: number;
  readonly method: string;
  readonly url: string;
  readonly host: string;
  readonly authorization?: string;
  readonly apiKey?: string;
  readonly status: number;
}

export interface ReferenceOptions {
  /** Called once per answered request. */
  readonly log?: (entry: RequestLogEntry) => void;
  /** Added before every response, as a remote staging's latency would be. */
  readonly delayMs?: number;
}

export function createReferenceServer(options: ReferenceOptions = {}, handler: RequestListener = createReferenceHandler(options)): Server {
  const server = createServer(handler);
  server.keepAliveTimeout = 5000;
  return server;
}

/** The request handler, shareable between the http and https listeners (reference/tls.ts). */
export type ReferenceHandler = RequestListener & {
  /** Forgets every collection and rate window, as a fresh start would (for tests that run twice). */
  reset(): void;
};

export function createReferenceHandler(options: ReferenceOptions = {}): ReferenceHandler {
  const tenants = new Map<string, Tenant>();
  const tenantFor = (key: string): Tenant => {
    let t = tenants.get(key);
    if (!t) tenants.set(key, (t = { store: new Store(), windows: new Map() }));
    return t;
  };
  const listener: RequestListener = (req, res) => {
    if (options.log) {
      const log = options.log;
      const at = Date.now();
      res.on('finish', () =>
        log({
          at,
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          host: req.headers.host ?? '',
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
          ...(req.headers['x-api-key'] ? { apiKey: String(req.headers['x-api-key']) } : {}),
          status: res.statusCode,
        }),
      );
    }
    const run = (): Promise<void> => handle(req, res, tenantFor);
    const handled = options.delayMs ? new Promise<void>((r) => setTimeout(r, options.delayMs)).then(run) : run();
    handled.catch((e: unknown) => {
      // The reference never leaks internals, even when it breaks.
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500 }));
      } else res.destroy();
      if (process.env.REFERENCE_DEBUG) console.error(e);
    });
  };
  return Object.assign(listener, { reset: () => tenants.clear() });
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
    req,
    res,
    profile,
    faults,
    // Over TLS a target has its own state: the https self-test targets never share items with http ones.
    tenant: tenantFor(`${match[1] ?? ''}|${profile}${isTls({ req }) ? '|tls' : ''}`),
    path: match[3] ?? '/',
    query: url.searchParams,
    // Fault observability.request-id-echo: the client's id is replaced by a fresh one.
    requestId: sentId && /^[\w-]{8,128}$/.test(sentId) && !faults.has('observability.request-id-echo') ? sentId : randomUUID(),
    started: performance.now(),
    base: `${match[1] ? `/_f/${match[1]}` : ''}/${profile}`,
  };
  res.setHeader('x-request-id', ctx.requestId);
  applySecurity(ctx);
  if (applyCors(ctx)) return;
  try {
    await route(ctx);
  } catch (e) {
    // A crash answers 500 in the profile's error format, without internals.
    if (process.env.REFERENCE_DEBUG) console.error(e);
    if (!res.headersSent) sendError(ctx, 500, 'Internal Server Error', 'INTERNAL_ERROR', 'An unexpected error occurred');
    else res.destroy();
  }
}

async function route(ctx: Ctx): Promise<void> {
  const { path, req } = ctx;
  const method = req.method ?? 'GET';
  if (traceEcho(ctx)) return;
  if ((path === '/health' || path === '/ready') && guardPublicEndpoint(ctx)) return;
  if (path === '/health') return only(ctx, ['GET', 'HEAD'], () => health(ctx));
  if (path === '/ready') return only(ctx, ['GET', 'HEAD'], () => ready(ctx));
  if (path === '/openapi.json') return only(ctx, ['GET', 'HEAD'], () => send(ctx, 200, openApiDocument(ctx.profile, ctx.faults, ctx.base)));
  if (path === '/docs') {
    return only(ctx, ['GET', 'HEAD'], () => {
      // The docs UI carries its own policy (SPEC §6 security.csp); the API keeps 'none'.
      ctx.res.setHeader('content-security-policy', "default-src 'self'; frame-ancestors 'none'");
      ctx.res.setHeader('set-cookie', docsCookie(ctx));
      send(ctx, 200, docsPage(ctx.profile), 'text/html; charset=utf-8', false);
    });
  }
  if (method === 'TRACE') return methodNotAllowed(ctx, ['GET', 'HEAD']);
  // Like a gateway: every API request counts, before routing and authentication.
  if (rateLimited(ctx)) return;
  if ((await uploadRoute(ctx)) || (await streamRoute(ctx))) return;

  const resource = RESOURCE[ctx.profile];
  // Fault versioning.unknown-version: any /v{n} is served as the current version.
  const version = /^\/v\d+(?=\/)/.exec(resource.collection)?.[0];
  if (
    ctx.faults.has('versioning.unknown-version') &&
    version &&
    /^\/v\d+\//.test(path) &&
    !path.startsWith(`${version}/`) &&
    !(resource.deprecated && path.startsWith(resource.deprecated))
  ) {
    (ctx as { path: string }).path = path.replace(/^\/v\d+/, version);
    return route(ctx);
  }
  const prefixes = [resource.collection, ...(resource.deprecated ? [resource.deprecated] : [])];
  for (const collection of prefixes) {
    if (collection === resource.deprecated && (path === collection || path.startsWith(`${collection}/`))) {
      if (!ctx.faults.has('versioning.deprecation-header')) ctx.res.setHeader('deprecation', '@1719792000');
      ctx.res.setHeader('sunset', 'Wed, 01 Jul 2026 00:00:00 GMT');
      ctx.res.setHeader('link', `<${ctx.base}${resource.collection}>; rel="successor-version"`);
    }
    if (path === collection) {
      const identity = authenticate(ctx);
      if (!identity) return;
      if (method === 'GET' || method === 'HEAD') return list(ctx, identity);
      if (method === 'POST') return create(ctx, identity);
      return methodNotAllowed(ctx, ['GET', 'HEAD', 'POST']);
    }
    if (path.startsWith(`${collection}/`)) {
      const id = decodeURIComponent(path.slice(collection.length + 1));
      if (id.includes('/')) break;
      const identity = authenticate(ctx);
      if (!identity) return;
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

function ready(ctx: Ctx): void {
  // Fault: FastAPI's HTTPException(503, "Not ready") without the error envelope.
  if (ctx.faults.has('observability.ready')) return send(ctx, 503, { detail: 'Not ready' });
  send(ctx, 200, { status: 'ready' });
}

function health(ctx: Ctx): void {
  const timestamp = new Date().toISOString();
  if (ctx.faults.has('observability.health')) return send(ctx, 200, { status: 'ok', timestamp });
  if (ctx.profile === 'platform') {
    return send(ctx, 200, { status: 'healthy', timestamp, services: { database: { status: 'healthy', response_time_ms: 1 } } });
  }
  send(ctx, 200, { status: 'healthy', timestamp });
}
