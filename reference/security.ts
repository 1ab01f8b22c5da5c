/**
 * Security headers on every response (platform guideline, 'Security Headers › Required Headers'),
 * HSTS over TLS only (RFC 6797 §7.2: a host sends it over secure transport), caching, TRACE,
 * and the docs UI's cookie. The security.* faults live here.
 */
import { randomUUID } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { Ctx } from './context.ts';

/** Header names set by `securityHeaders` (removed from error responses under the headers-on-errors fault). */
export const SECURITY_HEADER_NAMES = [
  'content-security-policy',
  'x-content-type-options',
  'x-frame-options',
  'x-xss-protection',
  'strict-transport-security',
] as const;

export function securityHeaders(faults: ReadonlySet<string> = new Set(), tls = false): Record<string, string> {
  const headers: Record<string, string> = {
    'content-security-policy': faults.has('security.csp')
      ? "default-src 'self'; script-src * 'unsafe-inline'; frame-ancestors 'none'"
      : faults.has('security.frame-deny')
        ? "default-src 'none'"
        : "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': faults.has('security.frame-deny') ? 'SAMEORIGIN' : 'DENY',
    'x-xss-protection': faults.has('security.xss-protection') ? '0' : '1; mode=block',
  };
  if (faults.has('security.nosniff')) delete headers['x-content-type-options'];
  if (tls) headers['strict-transport-security'] = faults.has('security.hsts') ? 'max-age=86400' : 'max-age=31536000; includeSubDomains';
  return headers;
}

export function isTls(ctx: Pick<Ctx, 'req'>): boolean {
  return (ctx.req.socket as Partial<TLSSocket>).encrypted === true;
}

/** Headers every answer of the reference carries, before routing. */
export function applySecurity(ctx: Ctx): void {
  for (const [k, v] of Object.entries(securityHeaders(ctx.faults, isTls(ctx)))) ctx.res.setHeader(k, v);
  // Authenticated answers must not be stored by shared caches; the reference stores nothing anywhere.
  ctx.res.setHeader('cache-control', ctx.faults.has('security.no-store-authenticated') ? 'public, max-age=300' : 'no-store');
  if (ctx.faults.has('security.no-version-disclosure')) {
    ctx.res.setHeader('server', 'uvicorn/0.29.0');
    ctx.res.setHeader('x-powered-by', 'Python/3.12.2 FastAPI/0.110.0');
  }
}

/** Called by sendError: the fault sends error responses without the security headers. */
export function stripOnError(ctx: Ctx): void {
  if (!ctx.faults.has('security.headers-on-errors')) return;
  for (const name of SECURITY_HEADER_NAMES) ctx.res.removeHeader(name);
}

/** The fault answers TRACE by echoing the request, as RFC 9110 §9.3.8 describes (and XST abuses). */
export function traceEcho(ctx: Ctx): boolean {
  if (ctx.req.method !== 'TRACE' || !ctx.faults.has('security.trace-disabled')) return false;
  const lines = [`TRACE ${ctx.req.url ?? '/'} HTTP/${ctx.req.httpVersion}`];
  for (let i = 0; i < ctx.req.rawHeaders.length; i += 2) lines.push(`${ctx.req.rawHeaders[i]}: ${ctx.req.rawHeaders[i + 1]}`);
  const body = `${lines.join('\r\n')}\r\n\r\n`;
  ctx.res.writeHead(200, { 'content-type': 'message/http', 'content-length': Buffer.byteLength(body) });
  ctx.res.end(body);
  return true;
}

/** The docs UI keeps a session cookie (a realistic Set-Cookie for security.cookie-flags to judge). */
export function docsCookie(ctx: Ctx): string {
  const value = `docs_session=${randomUUID().replace(/-/g, '')}; Path=${ctx.base}/docs; Max-Age=3600`;
  if (ctx.faults.has('security.cookie-flags')) return value;
  return `${value}; HttpOnly; SameSite=Strict${isTls(ctx) ? '; Secure' : ''}`;
}
