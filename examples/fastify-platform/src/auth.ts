/**
 * Authentication ("Authentication"): OAuth 2.0 bearer JWTs for users, `X-API-Key` for
 * server-to-server calls. Both resolve to a principal: an organisation and scopes.
 *
 * JWTs are HS256, signed with JWT_SECRET, with claims `sub`, `org_id`, `scope` (space-separated)
 * and `exp`. A service behind Auth0 would verify RS256 tokens against the tenant's JWKS instead;
 * what the API shows to clients (401/403, WWW-Authenticate, tenant isolation) stays the same.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const READ = 'documents:read';
export const WRITE = 'documents:write';

export interface Principal {
  readonly orgId: string;
  readonly subject: string;
  readonly scopes: ReadonlySet<string>;
}

export interface Claims {
  readonly sub: string;
  readonly org_id: string;
  readonly scope: string;
  readonly exp: number;
}

export type Authentication =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly reason: 'missing' | 'invalid_token' | 'expired_token' | 'invalid_api_key' };

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');
const hmac = (secret: string, input: string): Buffer => createHmac('sha256', secret).update(input).digest();

export function signToken(claims: Claims, secret: string): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  return `${head}.${body}.${hmac(secret, `${head}.${body}`).toString('base64url')}`;
}

export function verifyToken(
  token: string,
  secret: string,
  now = Date.now(),
): { ok: true; claims: Claims } | { ok: false; expired: boolean } {
  const [head, body, signature, extra] = token.split('.');
  if (!head || !body || !signature || extra !== undefined) return { ok: false, expired: false };
  try {
    // Only HS256: "alg": "none" and algorithm confusion are refused before anything else.
    const header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: unknown };
    if (header.alg !== 'HS256') return { ok: false, expired: false };
    const given = Buffer.from(signature, 'base64url');
    const expected = hmac(secret, `${head}.${body}`);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, expired: false };
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<Claims>;
    if (typeof claims.sub !== 'string' || typeof claims.org_id !== 'string' || typeof claims.exp !== 'number')
      return { ok: false, expired: false };
    if (claims.exp * 1000 <= now) return { ok: false, expired: true };
    return {
      ok: true,
      claims: { sub: claims.sub, org_id: claims.org_id, scope: typeof claims.scope === 'string' ? claims.scope : READ, exp: claims.exp },
    };
  } catch {
    return { ok: false, expired: false };
  }
}

/** API keys by SHA-256 digest: the table never holds a usable key, and lookups leak no timing. */
export class ApiKeys {
  private readonly byDigest = new Map<string, Principal>();

  constructor(entries: Readonly<Record<string, { org_id: string; name?: string; scopes?: readonly string[] }>>) {
    for (const [key, entry] of Object.entries(entries)) {
      this.byDigest.set(digest(key), {
        orgId: entry.org_id,
        subject: `api-key:${entry.name ?? entry.org_id}`,
        scopes: new Set(entry.scopes ?? [READ, WRITE]),
      });
    }
  }

  lookup(key: string): Principal | undefined {
    return this.byDigest.get(digest(key));
  }
}

const digest = (value: string): string => createHash('sha256').update(value).digest('hex');

export function authenticate(
  headers: { authorization?: string | undefined; 'x-api-key'?: string | string[] | undefined },
  config: { jwtSecret: string; apiKeys: ApiKeys },
): Authentication {
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) return { ok: false, reason: 'invalid_token' };
    const verified = verifyToken(match[1]!, config.jwtSecret);
    if (!verified.ok) return { ok: false, reason: verified.expired ? 'expired_token' : 'invalid_token' };
    const { sub, org_id, scope } = verified.claims;
    return { ok: true, principal: { orgId: org_id, subject: sub, scopes: new Set(scope.split(' ').filter(Boolean)) } };
  }
  const apiKey = headers['x-api-key'];
  if (apiKey !== undefined) {
    const principal = typeof apiKey === 'string' ? config.apiKeys.lookup(apiKey) : undefined;
    return principal ? { ok: true, principal } : { ok: false, reason: 'invalid_api_key' };
  }
  return { ok: false, reason: 'missing' };
}
