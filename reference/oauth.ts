/**
 * The reference's token endpoint: `POST /oauth/token`, OAuth 2.0 client credentials
 * (RFC 6749 §4.4), client authentication by client_secret_post or client_secret_basic (§2.3.1).
 * It mints the same HS256 JWTs as tokens.ts, for the same principals as the shipped static
 * tokens, but short-lived, so self-tests can run the whole flow with a refresh mid-run.
 * Client secrets are public on purpose: this is a test bed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { mintToken, type Claims } from './tokens.ts';

export const TOKEN_PATH = '/oauth/token';
export const DEFAULT_TOKEN_TTL_S = 60;

export interface ReferenceClient {
  readonly secret: string;
  readonly claims: Pick<Claims, 'sub' | 'org' | 'scope'>;
}

/** One machine client per kind of bearer credential the rules need (SPEC §3 auth). */
export const REFERENCE_CLIENTS: Readonly<Record<string, ReferenceClient>> = {
  'conformance-full': { secret: 'reference-client-secret-full', claims: { sub: 'user-a', org: 'org-a', scope: 'read write' } },
  'conformance-read-only': { secret: 'reference-client-secret-read', claims: { sub: 'reader-a', org: 'org-a', scope: 'read' } },
  'conformance-tenant-b': { secret: 'reference-client-secret-tenant-b', claims: { sub: 'user-b', org: 'org-b', scope: 'read write' } },
};

export interface TokenEndpointOptions {
  /** Lifetime of issued tokens, in seconds. */
  readonly ttlS?: number;
  readonly now?: () => number;
}

const MAX_BODY = 16 * 1024;

/** RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64. */
const formDecode = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));

function answer(res: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  // §5.1: token responses are never cached.
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache', ...headers });
  res.end(JSON.stringify(body));
}

const oauthError = (res: ServerResponse, status: number, error: string, description: string, headers?: Record<string, string>): void =>
  answer(res, status, { error, error_description: description }, headers);

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function tokenEndpoint(req: IncomingMessage, res: ServerResponse, options: TokenEndpointOptions = {}): Promise<void> {
  if (req.method !== 'POST') {
    answer(res, 405, { error: 'invalid_request', error_description: 'POST only' }, { allow: 'POST' });
    return;
  }
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/x-www-form-urlencoded') {
    return oauthError(res, 400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
  }
  const raw = await readBody(req);
  if (raw === undefined) return oauthError(res, 413, 'invalid_request', 'Body too large');
  const form = new URLSearchParams(raw);

  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  let clientId: string | undefined;
  let secret: string | undefined;
  if (basic) {
    if (form.has('client_secret')) return oauthError(res, 400, 'invalid_request', 'Use one client authentication method');
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0)
      return oauthError(res, 401, 'invalid_client', 'Malformed Basic credentials', { 'www-authenticate': 'Basic realm="reference"' });
    try {
      clientId = formDecode(decoded.slice(0, colon));
      secret = formDecode(decoded.slice(colon + 1));
    } catch {
      return oauthError(res, 401, 'invalid_client', 'Malformed Basic credentials', { 'www-authenticate': 'Basic realm="reference"' });
    }
  } else {
    clientId = form.get('client_id') ?? undefined;
    secret = form.get('client_secret') ?? undefined;
  }
  const client = clientId !== undefined ? REFERENCE_CLIENTS[clientId] : undefined;
  if (!client || secret !== client.secret) {
    // §5.2: 401, with the Basic challenge when the client tried Basic.
    return oauthError(
      res,
      401,
      'invalid_client',
      'Client authentication failed',
      basic ? { 'www-authenticate': 'Basic realm="reference"' } : {},
    );
  }
  const grant = form.get('grant_type');
  if (grant !== 'client_credentials') {
    return oauthError(
      res,
      400,
      grant ? 'unsupported_grant_type' : 'invalid_request',
      grant ? `Grant type ${grant} is not supported` : 'grant_type is required',
    );
  }
  const allowed = client.claims.scope.split(' ');
  const requested = form.get('scope')?.split(' ').filter(Boolean);
  if (requested?.some((s) => !allowed.includes(s))) {
    return oauthError(res, 400, 'invalid_scope', `This client may request only: ${client.claims.scope}`);
  }
  const scope = requested?.length ? requested.join(' ') : client.claims.scope;
  const ttlS = options.ttlS ?? DEFAULT_TOKEN_TTL_S;
  const now = (options.now ?? Date.now)();
  // exp in fractional seconds, so the token dies when expires_in says, not up to 1 s early.
  const token = mintToken({ ...client.claims, scope, exp: (now + ttlS * 1000) / 1000, jti: `cc-${randomUUID()}` });
  answer(res, 200, { access_token: token, token_type: 'Bearer', expires_in: ttlS, scope });
}
