/**
 * Why nothing (or not all) came back, in words a reader of the report understands: undici's and
 * Node's error codes mapped to a TransportError, which checks report as "could not check",
 * never as a conformance failure.
 */
import type { TransportError } from './exchange.ts';

/** Codes that mean the target was too slow, as opposed to refusing or breaking the connection. */
export const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

const CODE_MESSAGES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ENOTFOUND: 'host name not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  EHOSTUNREACH: 'host unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers within the timeout',
  UND_ERR_BODY_TIMEOUT: 'response body stalled past the timeout',
  UND_ERR_SOCKET: 'socket closed by the server',
  UND_ERR_RESPONSE_STATUS_CODE: 'unexpected status',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate (set tls_verify: false or ca_file)',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in chain (set ca_file)',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not name this host',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate chain cannot be verified (set ca_file)',
};

export function transportError(e: unknown, timeoutMs: number): TransportError {
  const err = e as { code?: string; name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
    return { code: 'TIMEOUT', message: `no complete response within ${timeoutMs} ms (timeout_ms)` };
  }
  const code = err?.code ?? err?.cause?.code ?? 'TRANSPORT';
  const detail = CODE_MESSAGES[code];
  return { code, message: detail ? `${detail} (${code})` : `${err?.message ?? String(e)} (${code})` };
}
