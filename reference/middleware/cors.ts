/** CORS: allow-list of origins, credentialed, preflights cached (platform guideline, 'CORS Configuration'). */
import { headerOf, sendError, type Ctx } from '../http.ts';

export const ALLOWED_ORIGINS = ['https://search.example.ai', 'https://app.example.com'];

export function applyCors(ctx: Ctx): boolean {
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
