/**
 * Bearer credentials fetched per run with OAuth 2.0 client credentials (RFC 6749 §4.4; SPEC §3
 * `oauth2_client_credentials`). The protocol is oauth4webapi's; this module adds what a run
 * needs around it: one token per credential shared by every Playwright worker process (a file
 * cache under a directory the run owns), reuse until the smaller of 10 s and a tenth of the
 * token's lifetime before it expires (SPEC §8), the client secret and every minted token
 * registered with the Redactor, and one typed error when the token endpoint refuses.
 */
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oauth from 'oauth4webapi';
import { Redactor } from './redact.ts';

export type ClientAuthMethod = 'client_secret_post' | 'client_secret_basic';

/** The `oauth2_client_credentials` block of targets.yaml (SPEC §3), after interpolation. */
export interface ClientCredentialsConfig {
  readonly token_url: string;
  readonly client_id: string;
  readonly client_secret: string;
  readonly audience?: string;
  readonly scope?: string;
  /** Default client_secret_post. */
  readonly auth_method?: ClientAuthMethod;
}

export interface TokenSourceOptions {
  /** Where the token is used, as errors and redaction labels name it ("staging.limited_bearer"). */
  readonly credential: string;
  readonly config: ClientCredentialsConfig;
  /**
   * A directory private to this run, shared by its worker processes. Absent: the token is
   * shared within this process only. Not the report directory: the files hold live tokens.
   */
  readonly cacheDir?: string;
  /** Learns the client secret and every token minted, so evidence, curl lines and logs hide them. */
  readonly redactor?: Redactor;
  /** The fetch the token request goes through (default the global one); for proxies and CAs. */
  readonly fetch?: typeof fetch;
  /** Per token request (default 10 000). */
  readonly timeoutMs?: number;
  /** A lock older than this is taken to belong to a dead process (default 15 000). */
  readonly lockStaleMs?: number;
  /** Longest wait for another process's refresh (default 30 000). */
  readonly lockWaitMs?: number;
  /** A failed request is remembered this long before the endpoint is asked again (default 30 000). */
  readonly failureTtlMs?: number;
  readonly now?: () => number;
}

/** A token and when to stop using it; what the cache file holds (no client secret). */
export interface CachedToken {
  readonly access_token: string;
  readonly token_type: string;
  readonly obtained_at: number;
  /** Epoch ms; null when neither expires_in nor a JWT `exp` says. */
  readonly expires_at: number | null;
  /** Epoch ms from which a new token is fetched; null: reused for the whole run. */
  readonly refresh_at: number | null;
  readonly scope?: string;
}

interface CachedFailure {
  readonly failed_at: number;
  readonly message: string;
  readonly status?: number;
  readonly error?: string;
  readonly error_description?: string;
}

/** The token endpoint did not give a usable token; every field is already redacted. */
export class TokenRequestError extends Error {
  override readonly name = 'TokenRequestError';
  constructor(
    readonly credential: string,
    readonly tokenUrl: string,
    message: string,
    readonly status?: number,
    readonly error?: string,
    readonly errorDescription?: string,
  ) {
    super(message);
  }
}

const REFRESH_MARGIN_CAP_MS = 10_000;

/** SPEC §8: refresh the smaller of 10 s and a tenth of the lifetime before expiry. */
export function refreshAt(obtainedAt: number, expiresAt: number): number {
  const lifetime = Math.max(0, expiresAt - obtainedAt);
  return expiresAt - Math.min(REFRESH_MARGIN_CAP_MS, lifetime / 10);
}

const isLoopback = (host: string): boolean => host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** One file name per credential and client, so two targets never share a token by accident. */
export function cacheKey(credential: string, config: ClientCredentialsConfig): string {
  const identity = [config.token_url, config.client_id, config.audience ?? '', config.scope ?? '', config.auth_method ?? ''].join('\n');
  const safe = credential.replace(/[^\w.-]+/g, '_').slice(0, 80);
  return `${safe}-${createHash('sha256').update(identity).digest('hex').slice(0, 16)}`;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class TokenSource {
  private readonly credential: string;
  private readonly config: ClientCredentialsConfig;
  private readonly tokenUrl: URL;
  private readonly now: () => number;
  /** The caller's redactor, or one of our own: the secret is hidden from our messages either way. */
  private readonly redactor: Redactor;
  private readonly files?: { dir: string; token: string; failure: string; lock: string };
  private current?: CachedToken;
  private failure?: CachedFailure;
  private inFlight?: Promise<string>;
  private readonly fetchedHere = new Set<string>();

  constructor(private readonly options: TokenSourceOptions) {
    this.credential = options.credential;
    this.config = options.config;
    this.now = options.now ?? Date.now;
    let url: URL;
    try {
      url = new URL(options.config.token_url);
    } catch {
      throw new TokenRequestError(this.credential, options.config.token_url, `${this.credential}: token_url is not a URL`);
    }
    // The client secret crosses the wire: plain http only to this machine.
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
      throw new TokenRequestError(
        this.credential,
        url.href,
        `${this.credential}: token_url must be https (plain http only on loopback), got ${url.href}`,
      );
    }
    this.tokenUrl = url;
    this.redactor = options.redactor ?? new Redactor();
    this.redactor.add(options.config.client_secret, `${this.credential}.client_secret`);
    if (options.cacheDir) {
      const base = join(options.cacheDir, cacheKey(this.credential, this.config));
      this.files = { dir: options.cacheDir, token: `${base}.json`, failure: `${base}.error.json`, lock: `${base}.lock` };
    }
  }

  /** The current token, fetched when none is fresh; concurrent callers share one request. */
  async token(): Promise<string> {
    const fresh = this.fresh(this.current);
    if (fresh) return fresh;
    this.inFlight ??= this.obtain().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** What is held now (for evidence: when it was obtained and when it will be refreshed). */
  held(): CachedToken | undefined {
    return this.current;
  }

  /**
   * One redacted line on how the current token was obtained, for evidence (SPEC §5: secrets
   * never appear): the request without its secret, and the token's lifetime.
   */
  evidence(): string | undefined {
    const t = this.current;
    if (!t) return undefined;
    const { config } = this;
    const sent = [
      'grant_type=client_credentials',
      `client_id=${config.client_id}`,
      ...(config.audience ? [`audience=${config.audience}`] : []),
      ...(config.scope ? [`scope=${config.scope}`] : []),
    ].join('&');
    const iso = (ms: number | null): string => (ms === null ? 'the end of the run' : new Date(ms).toISOString());
    const line =
      `${this.credential}: POST ${this.tokenUrl.href} ${sent} (${config.auth_method ?? 'client_secret_post'}, secret not shown)` +
      ` → Bearer ${t.access_token} obtained ${iso(t.obtained_at)}, expires ${t.expires_at === null ? 'never (no expires_in, no exp)' : iso(t.expires_at)},` +
      ` reused until ${iso(t.refresh_at)}${this.fetchedHere.has(t.access_token) ? '' : ' (fetched by another worker of this run)'}`;
    return this.redactor.text(line);
  }

  private fresh(entry: CachedToken | undefined): string | undefined {
    // A cache file from elsewhere (or half-written by hand) is only trusted when well-formed.
    if (typeof entry?.access_token !== 'string' || (entry.refresh_at !== null && typeof entry.refresh_at !== 'number')) return undefined;
    return entry.refresh_at === null || this.now() < entry.refresh_at ? entry.access_token : undefined;
  }

  private adopt(entry: CachedToken): string {
    this.current = entry;
    this.redactor.add(entry.access_token, this.credential);
    return entry.access_token;
  }

  private throwIfFailedRecently(): void {
    const failure = this.failure ?? (this.files ? readJson<CachedFailure>(this.files.failure) : undefined);
    if (failure && this.now() - failure.failed_at < (this.options.failureTtlMs ?? 30_000)) {
      this.failure = failure;
      throw new TokenRequestError(
        this.credential,
        this.tokenUrl.href,
        failure.message,
        failure.status,
        failure.error,
        failure.error_description,
      );
    }
  }

  private async obtain(): Promise<string> {
    this.throwIfFailedRecently();
    if (!this.files) {
      const entry = await this.request();
      this.fetchedHere.add(entry.access_token);
      return this.adopt(entry);
    }
    const files = this.files;
    mkdirSync(files.dir, { recursive: true, mode: 0o700 });
    const deadline = this.now() + (this.options.lockWaitMs ?? 30_000);
    for (;;) {
      const shared = readJson<CachedToken>(files.token);
      if (this.fresh(shared)) return this.adopt(shared!);
      this.throwIfFailedRecently();
      const lockId = this.tryLock(files.lock);
      if (lockId) {
        try {
          // Another process may have refreshed between our read and our lock.
          const again = readJson<CachedToken>(files.token);
          if (this.fresh(again)) return this.adopt(again!);
          let entry: CachedToken;
          try {
            entry = await this.request();
          } catch (e) {
            if (e instanceof TokenRequestError) writeAtomic(files.failure, this.failure);
            throw e;
          }
          writeAtomic(files.token, entry);
          rmSync(files.failure, { force: true });
          this.fetchedHere.add(entry.access_token);
          return this.adopt(entry);
        } finally {
          unlock(files.lock, lockId);
        }
      }
      if (this.now() > deadline) {
        throw new TokenRequestError(
          this.credential,
          this.tokenUrl.href,
          `${this.credential}: another process held the token lock ${files.lock} for too long`,
        );
      }
      await sleep(20 + Math.random() * 30);
    }
  }

  /** O_EXCL lock file holding an id; a lock older than lockStaleMs is broken. */
  private tryLock(path: string): string | undefined {
    const id = randomUUID();
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeFileSync(fd, id);
      closeSync(fd);
      return id;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        // A live holder keeps the lock at most one request timeout: stale must be longer.
        const staleMs = this.options.lockStaleMs ?? Math.max(15_000, (this.options.timeoutMs ?? 10_000) + 5_000);
        if (Date.now() - statSync(path).mtimeMs > staleMs) unlinkSync(path);
      } catch {
        // Released or broken by someone else meanwhile: try again next round.
      }
      return undefined;
    }
  }

  private async request(): Promise<CachedToken> {
    const { config, credential } = this;
    const redactor = this.redactor;
    const redact = (text: string): string => redactor.text(text);
    const fail = (message: string, detail: Omit<CachedFailure, 'failed_at' | 'message'> = {}): never => {
      const safe = {
        ...detail,
        ...(detail.error !== undefined ? { error: redact(detail.error) } : {}),
        ...(detail.error_description !== undefined ? { error_description: redact(detail.error_description) } : {}),
      };
      const full = redact(`${credential}: token request to ${this.tokenUrl.href} failed: ${message}`);
      this.failure = { failed_at: this.now(), message: full, ...safe };
      throw new TokenRequestError(credential, this.tokenUrl.href, full, safe.status, safe.error, safe.error_description);
    };

    const as: oauth.AuthorizationServer = { issuer: this.tokenUrl.origin, token_endpoint: this.tokenUrl.href };
    const client: oauth.Client = { client_id: config.client_id };
    const auth =
      (config.auth_method ?? 'client_secret_post') === 'client_secret_basic'
        ? oauth.ClientSecretBasic(config.client_secret)
        : oauth.ClientSecretPost(config.client_secret);
    const parameters: Record<string, string> = {};
    if (config.audience) parameters.audience = config.audience;
    if (config.scope) parameters.scope = config.scope;
    const started = this.now();
    let response: Response;
    try {
      response = await oauth.clientCredentialsGrantRequest(as, client, auth, parameters, {
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        ...(this.tokenUrl.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {}),
        ...(this.options.fetch ? { [oauth.customFetch]: this.options.fetch } : {}),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      return fail(`could not reach the token endpoint (${cause?.code ?? (e as Error).name}: ${cause?.message ?? (e as Error).message})`);
    }
    if (response.status !== 200) {
      const text = await response.text().catch(() => '');
      let body: { error?: unknown; error_description?: unknown } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        // Not an OAuth error body (a proxy's HTML page, say): the first bytes tell the reader.
      }
      const error = typeof body.error === 'string' ? body.error : undefined;
      const description = typeof body.error_description === 'string' ? body.error_description : undefined;
      const answer = error ? `${error}${description ? ` (${description})` : ''}` : `body ${JSON.stringify(text.slice(0, 200))}`;
      return fail(`the endpoint answered ${response.status}: ${answer}`, {
        status: response.status,
        ...(error ? { error } : {}),
        ...(description ? { error_description: description } : {}),
      });
    }
    let result: oauth.TokenEndpointResponse;
    try {
      result = await oauth.processClientCredentialsResponse(as, client, response);
    } catch (e) {
      return fail(`the endpoint answered 200 but not with a token (${(e as Error).message})`, { status: 200 });
    }
    if (result.token_type !== 'bearer') {
      redactor.add(result.access_token, credential);
      return fail(`the endpoint issued a token of type "${result.token_type}", not Bearer`, { status: 200 });
    }
    const expiresAt = result.expires_in !== undefined ? started + result.expires_in * 1000 : jwtExpiry(result.access_token);
    return {
      access_token: result.access_token,
      token_type: result.token_type,
      obtained_at: started,
      expires_at: expiresAt ?? null,
      refresh_at: expiresAt === undefined ? null : refreshAt(started, expiresAt),
      ...(result.scope !== undefined ? { scope: result.scope } : {}),
    };
  }
}

/** The `exp` of a JWT access token, when the endpoint did not send expires_in. */
function jwtExpiry(token: string): number | undefined {
  const body = token.split('.')[1];
  if (!body) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Readers see the old file or the new one, never half of one. */
function writeAtomic(path: string, value: unknown): void {
  const tmp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(tmp, JSON.stringify(value), { mode: 0o600, flag: 'wx' });
  renameSync(tmp, path);
}

function unlock(path: string, id: string): void {
  try {
    if (readFileSync(path, 'utf8') === id) unlinkSync(path);
  } catch {
    // Already broken as stale by another process.
  }
}

/** Deletes a run's token cache (teardown): the files hold live tokens. */
export function removeTokenCache(cacheDir: string): void {
  rmSync(cacheDir, { recursive: true, force: true });
}
