/** Bearer JWTs and (platform) API keys; 401 names the Bearer scheme. */
import { headerOf, sendError, type Ctx } from '../http.ts';
import { verifyApiKey, verifyToken } from '../tokens.ts';

export interface Identity { org: string; sub: string; canWrite: boolean; key: string }

export function authenticate(ctx: Ctx): Identity | undefined {
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
