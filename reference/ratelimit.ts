/**
 * Fixed-window rate limiting per identity and base path, with X-RateLimit-* headers (platform
 * guideline, 'Rate Limiting › Rate Limit Headers'), the IETF RateLimit / RateLimit-Policy
 * headers beside them, and a 429 in the profile's error format. Requests without a valid
 * credential count in the anonymous budget and carry its headers too.
 */
import { headerOf, type Ctx } from './context.ts';
import { sendError } from './respond.ts';
import { verifyApiKey, verifyToken } from './tokens.ts';

/** Rate budget of the reference API, per identity and base path (targets.yaml declares the same). */
export const REFERENCE_RATE_LIMIT = { limit: 1000, windowS: 60, anonymousLimit: 600 } as const;

/**
 * Counts every API request, as a gateway would before routing: valid credentials in their
 * identity's budget, anything else (no, invalid or expired credentials) in the anonymous one.
 * Sets the headers; true when the request was answered with 429.
 */
export function rateLimited(ctx: Ctx): boolean {
  const caller = callerOf(ctx);
  return count(ctx, caller ?? 'anonymous', caller ? REFERENCE_RATE_LIMIT.limit : REFERENCE_RATE_LIMIT.anonymousLimit);
}

function callerOf(ctx: Ctx): string | undefined {
  const bearer = /^Bearer ([^\s]+)$/.exec(headerOf(ctx.req, 'authorization') ?? '')?.[1];
  if (bearer) {
    const check = verifyToken(bearer);
    return check.ok ? `user:${check.claims.org}:${check.claims.sub}` : undefined;
  }
  const apiKey = ctx.profile === 'platform' ? headerOf(ctx.req, 'x-api-key') : undefined;
  const key = apiKey ? verifyApiKey(apiKey) : undefined;
  return key ? `key:${key.org}` : undefined;
}

function count(ctx: Ctx, key: string, limit: number): boolean {
  const now = Date.now();
  const windowS = REFERENCE_RATE_LIMIT.windowS;
  const windowMs = windowS * 1000;
  let w = ctx.tenant.windows.get(key);
  if (!w || now >= w.start + windowMs) ctx.tenant.windows.set(key, (w = { start: now, count: 0 }));
  w.count++;
  const reset = Math.ceil((w.start + windowMs) / 1000);
  const secondsLeft = Math.max(1, reset - Math.floor(now / 1000));
  const f = ctx.faults;
  const remaining = f.has('ratelimit.remaining-decrements') ? limit : Math.max(0, limit - w.count);
  ctx.res.setHeader('x-ratelimit-limit', String(limit));
  ctx.res.setHeader('x-ratelimit-remaining', String(remaining));
  // The guideline's Reset is epoch seconds; the fault sends delta-seconds, a common mix-up.
  ctx.res.setHeader('x-ratelimit-reset', String(f.has('ratelimit.headers') ? secondsLeft : reset));
  ctx.res.setHeader('x-ratelimit-window', String(windowS));
  // IETF draft-ietf-httpapi-ratelimit-headers (structured fields), for clients migrating to it.
  ctx.res.setHeader('ratelimit-policy', `"${key === 'anonymous' ? 'anonymous' : 'default'}";q=${limit};w=${windowS}`);
  ctx.res.setHeader('ratelimit', `"${key === 'anonymous' ? 'anonymous' : 'default'}";r=${remaining};t=${secondsLeft}`);
  if (w.count <= limit || f.has('ratelimit.429')) return false;
  if (!f.has('ratelimit.retry-after')) ctx.res.setHeader('retry-after', String(secondsLeft));
  const extensions = ctx.profile === 'platform' && f.has('ratelimit.429-body') ? {} : { retry_after: secondsLeft };
  sendError(
    ctx,
    429,
    'Too Many Requests',
    'RATE_LIMITED',
    `Rate limit exceeded. Try again in ${secondsLeft} seconds.`,
    undefined,
    extensions,
  );
  return true;
}
