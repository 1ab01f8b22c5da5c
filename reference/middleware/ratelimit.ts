/** Fixed-window rate limiting per identity, with X-RateLimit-* headers and a 429 in the profile's error format. */
import { sendError, type Ctx } from '../http.ts';
import type { Identity } from './auth.ts';

/** Rate budget of the reference API, per identity and base path (targets.yaml declares the same). */
export const REFERENCE_RATE_LIMIT = { limit: 1000, windowS: 60, anonymousLimit: 600 } as const;

export function limited(ctx: Ctx, identity: Identity): boolean {
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
