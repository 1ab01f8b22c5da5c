/**
 * Documents API: a small Fastify service written to the Hebbia Platform API Guidelines.
 * `buildApp(config)` wires the hooks every response passes through (request id, security
 * headers, CORS, rate limit) and the routes; server.ts reads the config from the environment.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { agentRoutes } from './agents.ts';
import { ApiKeys, authenticate, type Authentication, type Principal } from './auth.ts';
import { DocumentStore, documentRoutes } from './documents.ts';
import { docsPage, openApiDocument } from './openapi.ts';
import { installProblemHandlers, Problem, sendProblem } from './problem.ts';
import { rateLimitHeaders, SlidingWindow } from './ratelimit.ts';

declare module 'fastify' {
  interface FastifyRequest {
    authentication: Authentication | null;
    principal: Principal | null;
  }
}

export interface AppConfig {
  readonly jwtSecret: string;
  readonly apiKeys: ApiKeys;
  /** Exact origins (scheme://host[:port]) allowed to call the API from a browser, with credentials. */
  readonly allowedOrigins: readonly string[];
  readonly rateLimit: { readonly limit: number; readonly anonymousLimit: number; readonly windowS: number };
  /** Milliseconds between streamed chat deltas. */
  readonly streamDelayMs?: number;
  readonly logLevel?: string;
}

/** Reads the configuration from the environment (see README). */
export function configFromEnv(env: NodeJS.ProcessEnv): AppConfig {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set (see examples/fastify-platform/README.md)`);
    return value;
  };
  const origins = (env.CORS_ALLOWED_ORIGINS ?? 'https://search.example.ai')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  return {
    jwtSecret: required('JWT_SECRET'),
    apiKeys: new ApiKeys(env.API_KEYS ? JSON.parse(env.API_KEYS) : {}),
    allowedOrigins: origins,
    rateLimit: {
      limit: Number(env.RATE_LIMIT ?? 600),
      anonymousLimit: Number(env.RATE_LIMIT_ANONYMOUS ?? 300),
      windowS: Number(env.RATE_LIMIT_WINDOW_S ?? 60),
    },
    ...(env.LOG_LEVEL ? { logLevel: env.LOG_LEVEL } : {}),
  };
}

// "Security Headers › Required Headers". HSTS is sent on plain http too: browsers ignore it there.
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-xss-protection': '1; mode=block',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};
const CORS_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const CORS_HEADERS = 'Authorization, Content-Type, X-API-Key, X-Request-ID';
const CORS_EXPOSE =
  'X-Request-ID, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, X-RateLimit-Window, Retry-After, Deprecation, Sunset, Link';
const DEPRECATED_PREFIX = '/v1';
// RFC 9745 Deprecation (a date as @epoch-seconds) and RFC 8594 Sunset (an HTTP-date).
const DEPRECATED_SINCE = Date.parse('2026-01-01T00:00:00Z') / 1000;
const SUNSET = new Date('2027-07-01T00:00:00Z').toUTCString();
const UNMETERED = new Set(['/health', '/docs', '/openapi.json']);
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

const pathOf = (request: FastifyRequest): string => request.url.split('?')[0] ?? '/';

export function buildApp(config: AppConfig): FastifyInstance {
  if (config.allowedOrigins.includes('*'))
    throw new Error("CORS_ALLOWED_ORIGINS must list origins: '*' with credentials lets any site read users' data");
  const store = new DocumentStore();
  const authenticated = new SlidingWindow(config.rateLimit.limit, config.rateLimit.windowS);
  const anonymous = new SlidingWindow(config.rateLimit.anonymousLimit, config.rateLimit.windowS);
  const document = openApiDocument({ deprecatedPrefix: DEPRECATED_PREFIX, sunset: SUNSET });

  // Every response, errors included: request id, security headers, deprecation notice.
  const context = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    reply.header('x-request-id', request.id).headers(SECURITY_HEADERS);
    const path = pathOf(request);
    if (path === DEPRECATED_PREFIX || path.startsWith(`${DEPRECATED_PREFIX}/`)) {
      reply
        .header('deprecation', `@${DEPRECATED_SINCE}`)
        .header('sunset', SUNSET)
        .header('link', `<${path.replace(DEPRECATED_PREFIX, '/v2')}>; rel="successor-version"`);
    }
  };

  // CORS ("CORS Configuration"): an explicit allow-list, credentials, preflights cached a day.
  const cors = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const origin = request.headers.origin;
    if (origin === undefined) return undefined;
    reply.header('vary', 'Origin');
    const allowed = config.allowedOrigins.includes(origin);
    if (allowed) {
      reply
        .header('access-control-allow-origin', origin)
        .header('access-control-allow-credentials', 'true')
        .header('access-control-expose-headers', CORS_EXPOSE);
    }
    if (request.method !== 'OPTIONS' || request.headers['access-control-request-method'] === undefined) return undefined;
    if (!allowed) return sendProblem(request, reply, new Problem(403, 'This origin may not call the API from a browser'));
    return reply
      .code(204)
      .headers({
        'access-control-allow-methods': CORS_METHODS,
        'access-control-allow-headers': CORS_HEADERS,
        'access-control-max-age': '86400',
      })
      .send();
  };

  // Who is calling, then the rate limit per caller ("Rate Limiting": headers on every API response).
  const meter = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    request.authentication = authenticate(request.headers, config);
    request.principal = request.authentication.ok ? request.authentication.principal : null;
    if (UNMETERED.has(pathOf(request)) || request.method === 'OPTIONS') return;
    const decision = request.principal
      ? authenticated.hit(`${request.principal.orgId}/${request.principal.subject}`)
      : anonymous.hit(`ip:${request.ip}`);
    reply.headers(rateLimitHeaders(decision));
    if (!decision.allowed) {
      const retryAfter = decision.retryAfter;
      throw new Problem(
        429,
        `Rate limit exceeded. Try again in ${retryAfter} seconds.`,
        { retry_after: retryAfter },
        { 'retry-after': String(retryAfter) },
      );
    }
  };

  const app = Fastify({
    logger: config.logLevel ? { level: config.logLevel } : false,
    // "Every request gets a unique ID": a client's own X-Request-ID is kept when it looks like one.
    genReqId: (req: IncomingMessage) => {
      const sent = req.headers['x-request-id'];
      return typeof sent === 'string' && CLIENT_REQUEST_ID.test(sent) ? sent : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    // Paths the router rejects before any hook (a 10 kB id, bad percent-encoding) would get
    // Fastify's own body, echoing the whole path, with none of the headers above.
    frameworkErrors: (error, request, reply) => {
      const answer =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? new Problem(404, 'No resource has an id this long')
          : new Problem(400, 'The URL is not valid');
      void context(request, reply)
        .then(() => meter(request, reply))
        .then(
          () => sendProblem(request, reply, answer),
          (e: unknown) => sendProblem(request, reply, e instanceof Problem ? e : answer),
        );
    },
  });
  // JSON only: Fastify also parses text/plain by default, which would turn into a 422 instead of a 415.
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('authentication', null);
  app.decorateRequest('principal', null);
  installProblemHandlers(app, (path) => {
    const methods = app.supportedMethods.filter((method) => app.findRoute({ method, url: path }));
    return methods.length ? methods : undefined;
  });
  app.addHook('onRequest', context);
  app.addHook('onRequest', cors);
  app.addHook('onRequest', meter);

  app.get('/health', async () => ({
    status: 'healthy',
    timestamp: new Date().toISOString(),
    services: { database: { status: 'healthy', response_time_ms: 0 } },
  }));
  app.get('/openapi.json', async () => document);
  app.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(docsPage(document)));

  // Everything else needs a credential.
  app.register(async (api) => {
    api.addHook('onRequest', requireAuthentication);
    await api.register(documentRoutes, { prefix: '/v2', store });
    await api.register(documentRoutes, { prefix: DEPRECATED_PREFIX, store });
    await api.register(agentRoutes, { store, ...(config.streamDelayMs === undefined ? {} : { delayMs: config.streamDelayMs }) });
  });
  return app;
}

const CHALLENGE = 'Bearer realm="documents"';

async function requireAuthentication(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const auth = request.authentication;
  if (auth?.ok) return;
  const reason = auth?.reason ?? 'missing'; // fail closed
  const [detail, challenge] = (
    {
      missing: ['Authentication required: send Authorization: Bearer <token> or X-API-Key', CHALLENGE],
      invalid_token: ['The bearer token is not valid', `${CHALLENGE}, error="invalid_token"`],
      expired_token: ['The bearer token has expired', `${CHALLENGE}, error="invalid_token", error_description="expired"`],
      invalid_api_key: ['The API key is not valid', CHALLENGE],
    } satisfies Record<typeof reason, [string, string]>
  )[reason];
  throw new Problem(401, detail, {}, { 'www-authenticate': challenge });
}
