/** CORS: allow-list of origins, credentialed, preflights cached (platform guideline, 'CORS Configuration'). The cors.* faults live here. */
import { headerOf, type Ctx } from './context.ts';
import { sendError } from './respond.ts';

export const ALLOWED_ORIGINS = ['https://search.example.ai', 'https://app.example.com'];

/**
 * The platform guideline's own `allow_origin_regex`, with its hosts mapped onto the reference's
 * allowed origins, and tested as JavaScript's RegExp#test does: anchored at the start only. It
 * therefore lets `https://search.example.ai.evil.test` and `http://search.example.ai` through.
 */
const GUIDELINE_ORIGIN_REGEX = /^https?:\/\/.*\.vercel\.app|^http?:\/\/localhost:.*|^https?:\/\/.*\.example\.ai/;

function isAllowed(ctx: Ctx, origin: string): boolean {
  if (ALLOWED_ORIGINS.includes(origin)) return true;
  return ctx.faults.has('cors.origin-bypass') && GUIDELINE_ORIGIN_REGEX.test(origin);
}

/** Answers preflights; adds CORS headers to other responses. True when the request was answered. */
export function applyCors(ctx: Ctx): boolean {
  const f = ctx.faults;
  const origin = headerOf(ctx.req, 'origin');
  const preflight = ctx.req.method === 'OPTIONS' && headerOf(ctx.req, 'access-control-request-method') !== undefined;
  if (origin && !f.has('cors.vary-origin')) ctx.res.setHeader('vary', 'Origin');
  const allowed = origin !== undefined && isAllowed(ctx, origin);
  // The cors.browser fault: CORS headers are added only once a credential was presented (CORS
  // middleware placed after authentication), so a browser page cannot read a 401.
  const authenticated = headerOf(ctx.req, 'authorization') !== undefined || headerOf(ctx.req, 'x-api-key') !== undefined;
  if (allowed && (preflight || authenticated || !f.has('cors.browser'))) {
    ctx.res.setHeader('access-control-allow-origin', origin);
    if (!f.has('cors.credentials')) ctx.res.setHeader('access-control-allow-credentials', 'true');
    ctx.res.setHeader(
      'access-control-expose-headers',
      'X-Request-ID, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, X-RateLimit-Window, Retry-After',
    );
  } else if (origin !== undefined && !allowed && f.has('cors.denied-origin')) {
    ctx.res.setHeader('access-control-allow-origin', '*');
  }
  if (!preflight) return false;
  if (!allowed && !f.has('cors.denied-origin')) {
    sendError(ctx, 403, 'Forbidden', 'CORS_ORIGIN_DENIED', 'Origin not allowed');
    return true;
  }
  if (f.has('cors.preflight-allowed')) {
    ctx.res.setHeader('access-control-allow-methods', 'GET, POST');
    ctx.res.setHeader('access-control-allow-headers', 'Content-Type');
  } else {
    ctx.res.setHeader('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
    ctx.res.setHeader('access-control-allow-headers', headerOf(ctx.req, 'access-control-request-headers') ?? 'Authorization, Content-Type');
  }
  if (!f.has('cors.max-age')) ctx.res.setHeader('access-control-max-age', '86400');
  ctx.res.writeHead(204);
  ctx.res.end();
  return true;
}
