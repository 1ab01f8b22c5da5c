/**
 * Credentials the reference API accepts: HS256 JWTs signed with a key that is public on
 * purpose (this is a test bed), and API keys bound to an organisation by an HMAC.
 * `mintToken` is how tests and the shipped targets.yaml get valid, limited, expired and
 * other-tenant tokens.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNING_KEY = 'reference-api-signing-key (public: test bed only)';

export interface Claims {
  readonly sub: string;
  readonly org: string;
  /** "read write" or "read". */
  readonly scope: string;
  readonly exp: number;
  readonly jti?: string;
}

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');
const sign = (input: string): string => createHmac('sha256', SIGNING_KEY).update(input).digest('base64url');

export function mintToken(claims: Partial<Claims> = {}): string {
  const full: Claims = { sub: 'user-a', org: 'org-a', scope: 'read write', exp: 4102444800, ...claims };
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(full));
  return `${head}.${body}.${sign(`${head}.${body}`)}`;
}

export type TokenCheck = { ok: true; claims: Claims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

/** Deliberate weaknesses, for the reference's auth faults only. */
export interface VerifyOptions {
  /** Accept unsigned tokens (`alg: none`): the classic JWT bypass. */
  readonly acceptAlgNone?: boolean;
  /** Do not check `exp`. */
  readonly ignoreExpiry?: boolean;
}

export function verifyToken(token: string, now = Date.now(), options: VerifyOptions = {}): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [head, body, signature] = parts as [string, string, string];
  let header: { alg?: string };
  let claims: Claims;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: string };
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Claims;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const unsignedAccepted = options.acceptAlgNone === true && header.alg === 'none';
  if (!unsignedAccepted) {
    if (header.alg !== 'HS256' || !signatureOk(token, head, body, signature)) return { ok: false, reason: 'signature' };
  }
  if (!options.ignoreExpiry && (typeof claims.exp !== 'number' || claims.exp * 1000 <= now)) return { ok: false, reason: 'expired' };
  if (typeof claims.org !== 'string' || typeof claims.sub !== 'string') return { ok: false, reason: 'malformed' };
  return { ok: true, claims };
}

/**
 * Signatures already checked, by token: a run sends the same few tokens thousands of times and
 * each request is checked twice (auth, rate limit), so the HMAC was most of the reference's CPU.
 */
const checkedSignatures = new Map<string, boolean>();

function signatureOk(token: string, head: string, body: string, signature: string): boolean {
  let ok = checkedSignatures.get(token);
  if (ok === undefined) {
    const expected = Buffer.from(sign(`${head}.${body}`));
    const given = Buffer.from(signature);
    ok = expected.length === given.length && timingSafeEqual(expected, given);
    if (checkedSignatures.size >= 1024) checkedSignatures.clear();
    checkedSignatures.set(token, ok);
  }
  return ok;
}

export function mintApiKey(org = 'org-a'): string {
  return `rk_${org}_${createHmac('sha256', SIGNING_KEY).update(`api-key:${org}`).digest('hex').slice(0, 32)}`;
}

export function verifyApiKey(key: string): { org: string } | undefined {
  const match = /^rk_([a-z0-9-]+)_([0-9a-f]{32})$/.exec(key);
  if (!match || mintApiKey(match[1]) !== key) return undefined;
  return { org: match[1]! };
}

/** The credentials the shipped targets.yaml uses (printed by `npm run reference -- --tokens`). */
export function referenceCredentials(): Record<string, string> {
  return {
    REFERENCE_BEARER: mintToken({ jti: 'shipped-bearer' }),
    REFERENCE_LIMITED_BEARER: mintToken({ sub: 'reader-a', scope: 'read', jti: 'shipped-limited' }),
    REFERENCE_EXPIRED_BEARER: mintToken({ exp: 1577836800, jti: 'shipped-expired' }),
    REFERENCE_TENANT_B_BEARER: mintToken({ sub: 'user-b', org: 'org-b', jti: 'shipped-tenant-b' }),
    REFERENCE_API_KEY: mintApiKey('org-a'),
  };
}
