/**
 * The one HTTP client of the harness (undici). Every probe goes through `send`, which paces
 * the request within the target's budget, attaches credentials only for the target's own
 * origin, follows no redirect, caps what it keeps of a body, bounds the whole exchange by the
 * target's timeout, and records a redacted Exchange with a curl line that reproduces it.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici';
import type { SecretName, Target } from '../config/target.ts';
import { curlLine } from './curl.ts';
import { BODY_CAP, type Credential, type Exchange, type TransportError } from './exchange.ts';
import { longestPacingWaitS, ORDINARY_PACING_S, pacingKey, type PacingKey } from './budget.ts';
import { Pacer, realSleep, type PacingSlot, type Sleep } from './pacer.ts';
import { Redactor } from './redact.ts';
import { TIMEOUT_CODES, transportError } from './transport-error.ts';

export const USER_AGENT = 'api-conformance-harness/0.1 (+black-box conformance probe)';
/** Past this many bytes a body is no longer read: the connection is dropped. */
const READ_LIMIT = 8 * 1024 * 1024;
/** After this many consecutive timeouts the target is taken as not answering: later requests fail at once. */
const TIMEOUTS_BEFORE_GIVING_UP = 3;

export interface ProbeRequest {
  readonly probe: string;
  readonly purpose: string;
  readonly method: string;
  /** Path under the target's base URL, may carry a query string. */
  readonly path?: string;
  /** Absolute URL (e.g. http_url); credentials are sent only to the target's own origin. */
  readonly url?: string;
  readonly query?: Readonly<Record<string, string | number>>;
  readonly credential?: Credential;
  /** For credential 'invalid': the Authorization (or X-API-Key) value to send as is. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly json?: unknown;
  /** A raw body (already serialised), e.g. broken JSON. */
  readonly rawBody?: string;
  /**
   * A streamed body that is never held whole in memory; `description` stands in for it in
   * evidence, `curlForm` (curl -F arguments, unquoted) in the curl line. Sent with its
   * Content-Length; pass its Content-Type in `headers`.
   */
  readonly stream?: {
    readonly body: AsyncIterable<Uint8Array>;
    readonly bytes: number;
    readonly description: string;
    readonly curlForm?: readonly string[];
  };
  /** Bytes of the response body kept (default BODY_CAP), e.g. for a large OpenAPI document. */
  readonly bodyCap?: number;
  /** Sees each chunk of the response body as it arrives; returning true stops reading (SSE). */
  readonly onData?: (chunk: Uint8Array) => boolean | undefined;
  readonly scope?: Exchange['scope'];
  /**
   * Part of the ratelimit.429 burst, which wants to see 429s: sent without pacing (the one
   * exception to the budget, SPEC §7) but counted in the ledger, and never retried.
   */
  readonly expect429?: boolean;
  readonly timeoutMs?: number;
}

export interface ClientOptions {
  readonly pacer?: Pacer;
  readonly sleep?: Sleep;
  readonly redactor?: Redactor;
}

const CREDENTIAL_SECRET: Partial<Record<Credential, SecretName>> = {
  bearer: 'bearer',
  api_key: 'api_key',
  limited_bearer: 'limited_bearer',
  expired_bearer: 'expired_bearer',
  other_tenant_bearer: 'other_tenant_bearer',
};

export class ProbeClient {
  readonly exchanges: Exchange[] = [];
  readonly redactor: Redactor;
  private readonly dispatcher: Dispatcher;
  private readonly pacer: Pacer;
  private readonly sleep: Sleep;
  private readonly curlSecrets = new Map<string, string>();
  private nextId = 1;
  private consecutiveTimeouts = 0;
  /** Counts by method, for summary.json. */
  readonly sentByMethod: Record<string, number> = {};

  constructor(
    readonly target: Target,
    options: ClientOptions = {},
  ) {
    this.redactor = options.redactor ?? new Redactor(target.secrets);
    this.pacer = options.pacer ?? new Pacer();
    this.sleep = options.sleep ?? realSleep;
    for (const s of target.secrets) {
      this.curlSecrets.set(
        s.value,
        s.envVar ??
          `CONFORMANCE_${s.key
            .replace(/^\w+\./, '')
            .replace(/\W/g, '_')
            .toUpperCase()}`,
      );
    }
    const connect = {
      timeout: target.timeoutMs,
      rejectUnauthorized: target.tlsVerify,
      ...(target.caFile ? { ca: readFileSync(target.caFile) } : {}),
    };
    const agentOptions = {
      connect,
      headersTimeout: target.timeoutMs,
      bodyTimeout: target.timeoutMs,
      connections: 8,
      keepAliveTimeout: 4000,
    };
    const proxied = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((k) => process.env[k]);
    this.dispatcher = proxied ? new EnvHttpProxyAgent(agentOptions) : new Agent(agentOptions);
  }

  /** Registers a value derived from a secret (altered JWT…) so it is redacted like the secret. */
  deriveSecret(value: string, fromKey: string): void {
    this.redactor.add(value, `${fromKey} (derived)`);
    const base = this.target.secrets.find((s) => s.key === fromKey);
    this.curlSecrets.set(value, `${base?.envVar ?? 'CONFORMANCE_' + fromKey.replace(/\W/g, '_').toUpperCase()}_DERIVED`);
  }

  async close(): Promise<void> {
    await this.flushUnpaced();
    await this.dispatcher.close().catch(() => undefined);
  }

  /** Send times of the burst, counted in the ledger in one go (not one lock per request). */
  private readonly unpaced = new Map<string, { budget: PacingKey['budget']; times: number[] }>();

  private noteUnpaced(key: string, budget: PacingKey['budget']): void {
    const entry = this.unpaced.get(key) ?? { budget, times: [] };
    entry.times.push(Date.now());
    this.unpaced.set(key, entry);
  }

  private async flushUnpaced(): Promise<void> {
    if (!this.unpaced.size) return;
    const entries = [...this.unpaced];
    this.unpaced.clear();
    for (const [key, { budget, times }] of entries) await this.pacer.record(key, budget, times);
  }

  url(req: Pick<ProbeRequest, 'path' | 'url' | 'query'>): URL {
    const url = new URL(req.url ?? `${this.target.baseUrl}${req.path ?? ''}`);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, String(v));
    return url;
  }

  /** The pacing key and budget a request falls under (per origin and credential, SPEC §7). */
  budgetFor(req: Pick<ProbeRequest, 'credential' | 'url' | 'path'>): PacingKey {
    const url = this.url(req);
    return pacingKey(this.target, this.credentialSent(req, url), url);
  }

  private credentialSent(req: Pick<ProbeRequest, 'credential'>, url: URL): Credential {
    return url.origin === this.target.origin ? (req.credential ?? 'bearer') : 'none';
  }

  /**
   * One exchange, in the order it happens: work out what goes on the wire, wait for a slot in
   * the budget (or learn that none will come), try once, perhaps retry once, and record the
   * redacted result. A request that failed or was never sent is recorded too, with `error`.
   */
  async send(req: ProbeRequest): Promise<Exchange> {
    const wire = this.prepare(req);
    const notes: string[] = [];
    const refusal = await this.admit(req, wire.pacing, notes);
    if (refusal) return this.record(req, wire, this.notSent(refusal), notes);
    let attempt = await this.attempt(req, wire);
    this.consecutiveTimeouts = attempt.timedOut ? this.consecutiveTimeouts + 1 : 0;
    attempt = await this.retryOnce(req, wire, attempt, notes);
    this.sentByMethod[req.method] = (this.sentByMethod[req.method] ?? 0) + 1;
    return this.record(req, wire, attempt, notes);
  }

  /**
   * Headers and body of the request, worked out once so that a retry sends the same bytes.
   * Credentials and the target's own headers go only to the target's origin: an absolute URL
   * elsewhere (the plain-http URL, say) must never receive them, even when a probe passes them
   * in `headers`.
   */
  private prepare(req: ProbeRequest): OnTheWire {
    const url = this.url(req);
    const sameOrigin = url.origin === this.target.origin;
    const credential = this.credentialSent(req, url);
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: 'application/json' };
    if (sameOrigin) Object.assign(headers, this.target.headers);
    const secretName = CREDENTIAL_SECRET[credential];
    const secret = secretName ? this.target.auth[secretName] : undefined;
    if (secretName === 'api_key' && secret) headers['x-api-key'] = secret;
    else if (secret) headers.authorization = `Bearer ${secret}`;
    if (req.json !== undefined || req.rawBody !== undefined) headers['content-type'] = 'application/json';
    if (req.stream) headers['content-length'] = String(req.stream.bytes);
    for (const [k, v] of Object.entries(req.headers ?? {})) {
      if (!sameOrigin && /^(authorization|x-api-key|cookie)$/i.test(k)) continue;
      headers[k.toLowerCase()] = v;
    }
    const bodyText = req.json !== undefined ? JSON.stringify(req.json) : req.rawBody;
    return { url, sameOrigin, credential, headers, bodyText, pacing: pacingKey(this.target, credential, url) };
  }

  /**
   * Waits for a slot within the budget (SPEC §7), or says why the request is not sent at all.
   * What is not sent neither waits for the budget nor counts against it.
   */
  private async admit(req: ProbeRequest, { key, budget, label }: PacingKey, notes: string[]): Promise<TransportError | undefined> {
    // A target that keeps timing out would cost a full timeout per remaining probe: stop asking.
    if (this.consecutiveTimeouts >= TIMEOUTS_BEFORE_GIVING_UP) {
      return {
        code: 'GAVE_UP',
        message: `not sent: the target timed out ${this.consecutiveTimeouts} times in a row, so the harness stopped waiting on it`,
      };
    }
    // The ratelimit.429 burst is the one unpaced exception; its sends still count in the ledger.
    if (req.expect429) {
      this.noteUnpaced(key, budget);
      return undefined;
    }
    await this.flushUnpaced();
    const slot = await this.pace(key, budget, label);
    if (slot.waitedMs > 50)
      notes.push(`paced: waited ${Math.round(slot.waitedMs)} ms to stay within ${budget.limit} requests / ${budget.windowS} s`);
    return slot.refusedMs === undefined ? undefined : this.overBudget(label, budget, slot.refusedMs);
  }

  /**
   * At most one retry, and only where a second answer is worth more than the first: an
   * unexpected 429 (the service asked us to come back) or a gateway error on a method safe to
   * repeat. A streamed body is spent after one try, and the 429 burst wants its 429s.
   */
  private async retryOnce(req: ProbeRequest, wire: OnTheWire, first: Attempt, notes: string[]): Promise<Attempt> {
    const status = first.response?.status;
    if (status === undefined || req.stream) return first;
    if (status === 429 && !req.expect429) return this.retryAfter429(req, wire, first, notes);
    if (GATEWAY_ERRORS.has(status) && req.method !== 'POST' && req.method !== 'PATCH')
      return this.retryGatewayError(req, wire, first, status, notes);
    return first;
  }

  /** Honours Retry-After when it fits max_wait_s and the budget still has room; the retry is paced like any request. */
  private async retryAfter429(req: ProbeRequest, wire: OnTheWire, first: Attempt, notes: string[]): Promise<Attempt> {
    const { key, budget, label } = wire.pacing;
    const waitS = retryAfterSeconds(first.response?.headers['retry-after']);
    if (waitS === undefined || waitS > this.target.rateLimit.maxWaitS) {
      notes.push(
        `unexpected 429 with Retry-After ${waitS ?? 'absent'}: over max_wait_s (${this.target.rateLimit.maxWaitS} s), not retried`,
      );
      return first;
    }
    await this.sleep(waitS * 1000);
    if ((await this.pace(key, budget, label)).refusedMs !== undefined) {
      notes.push(`unexpected 429: waited Retry-After (${waitS} s), but the declared budget left no room for a retry`);
      return first;
    }
    notes.push(`unexpected 429: honoured Retry-After (${waitS} s) and retried once`);
    return this.attempt(req, wire);
  }

  /** A transient gateway error counts only if it repeats, so it is asked again once, within the budget. */
  private async retryGatewayError(req: ProbeRequest, wire: OnTheWire, first: Attempt, status: number, notes: string[]): Promise<Attempt> {
    const { key, budget, label } = wire.pacing;
    let room = true;
    if (req.expect429) this.noteUnpaced(key, budget);
    else room = (await this.pace(key, budget, label)).refusedMs === undefined;
    if (!room) {
      notes.push(`first attempt got ${status}; not retried: the declared budget left no room`);
      return first;
    }
    notes.push(`first attempt got ${status}; retried once (a transient gateway error counts only if it repeats)`);
    return this.attempt(req, wire);
  }

  /** The Exchange as evidence: redacted everywhere, with a curl line that reproduces it without the secrets. */
  private record(req: ProbeRequest, wire: OnTheWire, attempt: Attempt, notes: readonly string[]): Exchange {
    const { url, headers, bodyText } = wire;
    const redact = (s: string): string => this.redactor.text(s);
    const pathOnly =
      url.pathname.startsWith(this.target.basePath) && wire.sameOrigin
        ? url.pathname.slice(this.target.basePath.length) || '/'
        : url.pathname;
    const exchange: Exchange = {
      id: this.nextId++,
      probe: req.probe,
      purpose: req.purpose,
      credential: wire.credential,
      path: pathOnly,
      scope: req.scope ?? 'api',
      request: {
        method: req.method,
        url: redact(url.toString()),
        headers: this.redactor.headers(headers) as Record<string, string>,
        ...(bodyText !== undefined ? { body: redact(bodyText.slice(0, BODY_CAP)), bodyBytes: Buffer.byteLength(bodyText) } : {}),
        ...(req.stream ? { body: req.stream.description, bodyBytes: req.stream.bytes } : {}),
      },
      ...(attempt.response
        ? {
            response: {
              ...attempt.response,
              headers: this.redactor.headers(attempt.response.headers),
              body: redact(attempt.response.body),
            },
          }
        : {}),
      ...(attempt.error ? { error: { code: attempt.error.code, message: redact(attempt.error.message) } } : {}),
      startedAt: attempt.startedAt,
      durationMs: attempt.durationMs,
      curl: curlLine({
        method: req.method,
        url: url.toString(),
        // curl -F makes its own multipart framing (boundary, length).
        headers: Object.fromEntries(
          Object.entries(headers).filter(
            ([k]) => k !== 'user-agent' && !(req.stream?.curlForm && (k === 'content-type' || k === 'content-length')),
          ),
        ),
        ...(bodyText !== undefined ? { body: bodyText } : {}),
        ...(req.stream?.curlForm ? { form: req.stream.curlForm } : {}),
        secrets: this.curlSecrets,
        insecure: !this.target.tlsVerify,
      }),
      ...(notes.length ? { notes } : {}),
    };
    this.exchanges.push(exchange);
    return exchange;
  }

  private notSent(error: TransportError): Attempt {
    return { error, startedAt: new Date().toISOString(), durationMs: 0 };
  }

  /**
   * A slot within the budget. Waits of up to a minute are ordinary pacing (a per-minute budget
   * never needs more); a longer one (an hourly anonymous budget spent) is taken only up to
   * max_wait_s, and announced, so a run never sits silent for an hour.
   */
  private pace(key: string, budget: PacingKey['budget'], label: string): Promise<PacingSlot> {
    const maxWaitMs = longestPacingWaitS(this.target) * 1000;
    return this.pacer.acquireWithin(key, budget, maxWaitMs, (ms) => {
      if (ms >= ANNOUNCED_WAIT_MS) {
        process.stderr.write(
          `[conformance] ${this.target.name}: waiting ${Math.ceil(ms / 1000)} s for the ${label} budget (${budget.limit} per ${budget.windowS} s)\n`,
        );
      }
    });
  }

  private overBudget(label: string, budget: PacingKey['budget'], refusedMs: number): TransportError {
    const maxWaitS = this.target.rateLimit.maxWaitS;
    return {
      code: 'BUDGET',
      message:
        `not sent: the ${label} budget (${budget.limit} per ${budget.windowS} s) is spent; the next request could go in ${Math.ceil(refusedMs / 1000)} s, ` +
        `longer than the harness waits (max_wait_s ${maxWaitS} s, at least ${ORDINARY_PACING_S} s). Declare the service's real budget under rate_limit ` +
        `(anonymous: requests without a valid credential) or raise rate_limit.max_wait_s`,
    };
  }

  private async attempt(req: ProbeRequest, { url, headers, bodyText }: OnTheWire): Promise<Attempt> {
    const started = performance.now();
    const startedAt = new Date().toISOString();
    const timeoutMs = req.timeoutMs ?? this.target.timeoutMs;
    const deadline = AbortSignal.timeout(timeoutMs);
    const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, {
        method: req.method as Dispatcher.HttpMethod,
        headers,
        body: req.stream ? await streamedBody(req.stream) : bodyText,
        dispatcher: this.dispatcher,
        signal: deadline,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    } catch (e) {
      const error = transportError(e, timeoutMs);
      return { error, startedAt, durationMs: elapsed(), timedOut: TIMEOUT_CODES.has(error.code) };
    }
    const kept: Buffer[] = [];
    const cap = req.bodyCap ?? BODY_CAP;
    let keptBytes = 0;
    let total = 0;
    let incomplete: string | undefined;
    let timedOut = false;
    try {
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (keptBytes < cap) {
          const slice = chunk.subarray(0, cap - keptBytes);
          kept.push(slice);
          keptBytes += slice.length;
        }
        if (req.onData?.(chunk) === true) {
          res.body.destroy();
          break;
        }
        if (total >= READ_LIMIT) {
          incomplete = `stopped reading after ${READ_LIMIT} bytes`;
          res.body.destroy();
          break;
        }
      }
    } catch (e) {
      const error = transportError(e, timeoutMs);
      incomplete = error.message;
      timedOut = TIMEOUT_CODES.has(error.code);
      res.body.destroy();
    }
    return {
      response: {
        status: res.statusCode,
        headers: res.headers as Record<string, string | string[]>,
        body: Buffer.concat(kept).toString('utf8'),
        bodyBytes: total,
        droppedBytes: total - keptBytes,
        ...(incomplete ? { incomplete } : {}),
      },
      startedAt,
      durationMs: elapsed(),
      timedOut,
    };
  }
}

/** What `prepare` worked out for one request: where it goes, what it carries, whose budget it spends. */
interface OnTheWire {
  readonly url: URL;
  readonly sameOrigin: boolean;
  readonly credential: Credential;
  readonly headers: Record<string, string>;
  readonly bodyText: string | undefined;
  readonly pacing: PacingKey;
}

/** One try at an exchange: what came back, or why nothing did. */
interface Attempt {
  readonly response?: {
    status: number;
    headers: Record<string, string | string[]>;
    body: string;
    bodyBytes: number;
    droppedBytes: number;
    incomplete?: string;
  };
  readonly error?: TransportError;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly timedOut?: boolean;
}

/** Statuses a gateway answers when the service behind it hiccups (RFC 9110 §15.6.3-5). */
const GATEWAY_ERRORS = new Set([502, 503, 504]);

/** Pacing waits this long or longer are announced on the terminal. */
const ANNOUNCED_WAIT_MS = 10_000;

/** Streamed bodies up to this size are sent in one write (see `streamedBody`). */
const ONE_WRITE_BYTES = 64 * 1024;

/**
 * A small body goes in one write, so a service that answers early and closes (a 415 on the file
 * part's type) cannot cut it off mid-way: otherwise a write meeting the closed connection (EPIPE)
 * can beat the answer already on its way, and the answer is lost. Large ones stream, never held whole.
 */
async function streamedBody(stream: NonNullable<ProbeRequest['stream']>): Promise<Buffer | Readable> {
  if (stream.bytes > ONE_WRITE_BYTES) return Readable.from(yieldingEachChunk(stream.body));
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream.body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * Hands the chunks on, letting the event loop turn between two of them: a service that
 * answers early (413 before the body is read) and then closes is heard before the next
 * write meets the closed connection, so its answer is recorded instead of a reset.
 */
async function* yieldingEachChunk(body: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  for await (const chunk of body) {
    await new Promise((resolve) => setImmediate(resolve));
    yield chunk;
  }
}

/** Retry-After as seconds: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function retryAfterSeconds(value: string | readonly string[] | undefined, now = Date.now()): number | undefined {
  const v = (typeof value === 'string' ? value : value?.[0])?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
