/** The two ways the reference answers: a body, or an error in the profile's format. */
import type { Ctx } from './context.ts';
import { stripOnError } from './security.ts';

export interface Problem {
  loc: (string | number)[];
  msg: string;
  type: string;
}

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
