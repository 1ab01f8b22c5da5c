/** Request context and the two ways the reference answers: a body, or an error in the profile's format. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from './store.ts';
import { stripOnError } from './middleware/security.ts';
import type { Profile } from '../src/spec/vocabulary.ts';

export interface Tenant {
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

export function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Answers preflights; adds CORS headers to other responses. True when the request was answered. */

export interface Problem { loc: (string | number)[]; msg: string; type: string }

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
  stripOnError(ctx);
  send(ctx, status, body, type);
}

export function send(ctx: Ctx, status: number, body: unknown, type = 'application/json', json = true): void {
  const text = json ? JSON.stringify(body) : String(body);
  ctx.res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  ctx.res.end(ctx.req.method === 'HEAD' ? undefined : text);
}

export function methodNotAllowed(ctx: Ctx, allow: string[]): void {
  if (ctx.faults.has('status.method-not-allowed-405')) {
    return sendError(ctx, 404, 'Not Found', 'ROUTE_NOT_FOUND', `No route ${ctx.req.method} ${ctx.path}`);
  }
  ctx.res.setHeader('allow', allow.join(', '));
  sendError(ctx, 405, 'Method Not Allowed', 'METHOD_NOT_ALLOWED', `${ctx.req.method} is not allowed on ${ctx.path}`);
}
