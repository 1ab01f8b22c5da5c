/**
 * An Exchange is one request and what came back, already redacted: it is what checks read
 * and what evidence shows. Bodies keep their first BODY_CAP bytes as text.
 */
export const BODY_CAP = 1024 * 1024;

export type Credential = 'none' | 'bearer' | 'api_key' | 'limited_bearer' | 'expired_bearer' | 'other_tenant_bearer' | 'invalid';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Body as text (redacted, capped); for streamed bodies a description. */
  readonly body?: string;
  readonly bodyBytes?: number;
}

export interface RecordedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** First BODY_CAP bytes of the body, decoded as UTF-8, redacted. */
  readonly body: string;
  readonly bodyBytes: number;
  /** Bytes beyond BODY_CAP that were read and dropped (or not read at all when aborted). */
  readonly droppedBytes: number;
  /** The body could not be read to its end (deadline, reset): what we have is partial. */
  readonly incomplete?: string;
}

export interface TransportError {
  /** undici / Node error code (UND_ERR_CONNECT_TIMEOUT, ECONNREFUSED, …) or our own. */
  readonly code: string;
  readonly message: string;
}

export interface Exchange {
  readonly id: number;
  /** Name of the probe that sent it ("create", "auth:missing", …). */
  readonly probe: string;
  /** What the probe meant by it, in a few words ("GET item that does not exist"). */
  readonly purpose: string;
  readonly credential: Credential;
  /** Path relative to the target's base URL, without query (for matching documented operations). */
  readonly path: string;
  readonly request: RecordedRequest;
  readonly response?: RecordedResponse;
  readonly error?: TransportError;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly curl: string;
  /** Things the client did that a reader should know (retry after 429, retry of a 503). */
  readonly notes?: readonly string[];
  /** Run-wide rules ignore exchanges outside the API surface (SPEC §8). */
  readonly scope: 'api' | 'health' | 'docs' | 'cors' | 'http-url' | 'other';
}

export function header(exchange: Exchange, name: string): string | undefined {
  const value = exchange.response?.headers[name.toLowerCase()];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(', ');
}

export function headerValues(exchange: Exchange, name: string): readonly string[] {
  const value = exchange.response?.headers[name.toLowerCase()];
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

const parsed = new WeakMap<Exchange, { ok: true; value: unknown } | { ok: false }>();

/** The response body parsed as JSON, or undefined when it is not JSON (memoised). */
export function jsonBody(exchange: Exchange): unknown {
  let entry = parsed.get(exchange);
  if (!entry) {
    const body = exchange.response?.body;
    entry = { ok: false };
    if (body && !exchange.response?.droppedBytes && !exchange.response?.incomplete) {
      try {
        entry = { ok: true, value: JSON.parse(body) };
      } catch {
        entry = { ok: false };
      }
    }
    parsed.set(exchange, entry);
  }
  return entry.ok ? entry.value : undefined;
}

export function isJsonBody(exchange: Exchange): boolean {
  jsonBody(exchange);
  return parsed.get(exchange)?.ok === true;
}

export function mediaType(exchange: Exchange): string {
  return (header(exchange, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}
