/** Bearer JWTs and (platform) API keys; 401 names the Bearer scheme. */
import { headerOf, type Ctx } from './context.ts';
import { sendError } from './respond.ts';
import { verifyApiKey, verifyToken } from './tokens.ts';

export interface Identity {
  org: string;
  sub: string;
  canWrite: boolean;
  key: string;
}

/** A 401 in the profile's format, with the Bearer challenge (RFC 6750 §3). */
function unauthorized(ctx: Ctx, challenge: string, code: string, message: string): undefined {
  if (!ctx.faults.has('auth.www-authenticate')) ctx.res.setHeader('www-authenticate', challenge);
  // Fault: the request-id middleware sits after auth, so refused requests get no id.
  if (ctx.faults.has('observability.request-id')) ctx.res.removeHeader('x-request-id');
  sendError(ctx, 401, 'Unauthorized', code, message);
  return undefined;
}

export function authenticate(ctx: Ctx): Identity | undefined {
  const f = ctx.faults;
  let authorization = headerOf(ctx.req, 'authorization');
  const apiKey = ctx.profile === 'platform' ? headerOf(ctx.req, 'x-api-key') : undefined;
  // Fault: a token in the query string is taken as a credential (it ends up in logs and caches).
  const queryToken = ctx.query.get('access_token') ?? ctx.query.get('token');
  if (f.has('auth.query-token-rejected') && authorization === undefined && queryToken) authorization = `Bearer ${queryToken}`;
  if (authorization === undefined && apiKey === undefined) {
    // Fault: one route forgot its auth dependency (DELETE on items).
    if (f.has('auth.missing-401') && ctx.req.method === 'DELETE')
      return { org: 'org-a', sub: 'anonymous', canWrite: true, key: 'anonymous' };
    return unauthorized(ctx, 'Bearer realm="reference"', 'UNAUTHENTICATED', 'Authentication required');
  }
  if (apiKey !== undefined && authorization === undefined) {
    const key = verifyApiKey(apiKey);
    // Fault: keys are checked by their prefix only.
    const prefixOnly = f.has('auth.api-key') ? /^rk_([a-z0-9-]+)_/.exec(apiKey) : null;
    const org = key?.org ?? prefixOnly?.[1];
    if (org) return { org, sub: `api-key:${org}`, canWrite: true, key: `key:${org}` };
    return unauthorized(ctx, 'Bearer realm="reference"', 'INVALID_API_KEY', 'Invalid API key');
  }
  const token = /^Bearer ([^\s]+)$/.exec(authorization ?? '')?.[1];
  const check = token
    ? verifyToken(token, Date.now(), { acceptAlgNone: f.has('auth.invalid-401'), ignoreExpiry: f.has('auth.expired-401') })
    : undefined;
  if (!check?.ok) {
    const reason = check === undefined ? 'unsupported scheme' : check.reason === 'expired' ? 'token expired' : 'invalid token';
    return unauthorized(
      ctx,
      `Bearer realm="reference", error="invalid_token", error_description="${reason}"`,
      'INVALID_TOKEN',
      `Invalid credentials: ${reason}`,
    );
  }
  const { org, sub, scope } = check.claims;
  return { org, sub, canWrite: scope.split(' ').includes('write'), key: `user:${org}:${sub}` };
}

/** Refuses a write by a credential without the write scope: 403 (the credential is valid). */
export function forbidWrite(ctx: Ctx, identity: Identity): boolean {
  if (identity.canWrite) return false;
  // Fault: insufficient permission is reported as missing authentication.
  if (ctx.faults.has('auth.forbidden-403')) {
    unauthorized(ctx, 'Bearer realm="reference", error="insufficient_scope"', 'UNAUTHENTICATED', 'Not allowed');
    return true;
  }
  sendError(ctx, 403, 'Forbidden', 'INSUFFICIENT_SCOPE', 'This credential may not write');
  return true;
}

/**
 * Health and ready are public (load balancers call them without credentials). Fault
 * auth.public-health: they demand a credential. True when the request was answered.
 */
export function guardPublicEndpoint(ctx: Ctx): boolean {
  if (!ctx.faults.has('auth.public-health')) return false;
  if (headerOf(ctx.req, 'authorization') !== undefined || headerOf(ctx.req, 'x-api-key') !== undefined)
    return authenticate(ctx) === undefined;
  unauthorized(ctx, 'Bearer realm="reference"', 'UNAUTHENTICATED', 'Authentication required');
  return true;
}
