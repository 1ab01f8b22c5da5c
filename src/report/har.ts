/**
 * Every exchange of a run as HAR 1.2 (`run --har`, SPEC §2), to open in browser devtools or
 * replay. Exchanges arrive redacted; this is the last door before a file people share, so it
 * redacts again: the run's Redactor, credential headers and cookies whatever they hold, and
 * anything shaped like a JWT. Bodies are what the recorder kept; truncation is said in a
 * comment on the content (HAR has no field for it).
 */
import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import type { Content, Cookie, Entry, Har, Header, PostData, QueryString } from 'har-format';
import type { Exchange } from '../http/exchange.ts';
import { BODY_CAP } from '../http/exchange.ts';
import type { Redactor } from '../http/redact.ts';

/** What the harness knows of an entry beyond HAR's fields (custom fields start with `_`, HAR 1.2 §"Custom fields"). */
export interface ConformanceEntryFields {
  readonly exchangeId: number;
  readonly probe: string;
  readonly purpose: string;
  readonly credential: string;
  readonly scope: Exchange['scope'];
  readonly target?: string;
  readonly notes?: readonly string[];
}

export type HarEntry = Entry & {
  _conformance: ConformanceEntryFields;
  /** Transport error (devtools shows `_error` for requests that got no response). */
  _error?: string;
};

export interface HarOptions {
  readonly creator?: { name: string; version: string };
  /** The run's redactor (every secret of every target); applied again to everything written. */
  readonly redactor?: Redactor;
  /** Names the target in each entry's `_conformance` and comment. */
  readonly target?: string;
}

export const HAR_CREATOR = { name: 'api-conformance-harness', version: '0.1.0' };

/** Headers that carry credentials: their values are hidden whatever the redactor knows. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'cookie', 'set-cookie']);
/** Three base64url segments starting like a JSON header: a JWT, valid or not, is a credential. */
const JWT = /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g;
const REDACTED = /\[REDACTED [^\]]*\]/;

function scrub(text: string, redactor: Redactor | undefined): string {
  return (redactor ? redactor.text(text) : text).replace(JWT, '[REDACTED jwt]');
}

/** A URL stays a URL: redaction markers are percent-encoded (devtools and validators parse it). */
function scrubUrl(url: string, redactor: Redactor | undefined): string {
  return scrub(url, redactor).replace(/\[REDACTED ([^\]]*)\]/g, (_, label: string) => `%5BREDACTED%20${encodeURIComponent(label)}%5D`);
}

function credentialValue(name: string, value: string, redactor: Redactor | undefined): string {
  const lower = name.toLowerCase();
  const scrubbed = scrub(value, redactor);
  if (lower === 'cookie') return scrubbed.replace(/=([^;]*)/g, (m, v: string) => (REDACTED.test(v) ? m : '=[REDACTED cookie]'));
  if (lower === 'set-cookie')
    return scrubbed.replace(/^([^=]+)=([^;]*)/, (m, n: string, v: string) => (REDACTED.test(v) ? m : `${n}=[REDACTED cookie]`));
  if (REDACTED.test(scrubbed)) return scrubbed;
  // Keep the scheme: "Bearer" vs "Basic" vs nothing is what a reader debugging auth needs.
  const scheme = /^([A-Za-z][\w-]*) +\S/.exec(scrubbed)?.[1];
  return scheme ? `${scheme} [REDACTED ${lower}]` : `[REDACTED ${lower}]`;
}

function harHeaders(headers: Readonly<Record<string, string | readonly string[]>>, redactor: Redactor | undefined): Header[] {
  const out: Header[] = [];
  for (const [name, value] of Object.entries(headers)) {
    for (const v of typeof value === 'string' ? [value] : value) {
      out.push({ name, value: CREDENTIAL_HEADERS.has(name.toLowerCase()) ? credentialValue(name, v, redactor) : scrub(v, redactor) });
    }
  }
  return out;
}

const headerValue = (headers: Readonly<Record<string, string | readonly string[]>>, name: string): string | undefined => {
  const found = Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return found === undefined ? undefined : typeof found === 'string' ? found : found.join(', ');
};

function requestCookies(headers: readonly Header[]): Cookie[] {
  return headers
    .filter((h) => h.name.toLowerCase() === 'cookie')
    .flatMap((h) => h.value.split(';'))
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => ({ name: pair.split('=')[0]!, value: pair.slice(pair.indexOf('=') + 1) }));
}

function responseCookies(headers: readonly Header[]): Cookie[] {
  return headers
    .filter((h) => h.name.toLowerCase() === 'set-cookie')
    .map((h) => {
      const [pair = ''] = h.value.split(';');
      const cookie: Cookie = { name: pair.split('=')[0]!.trim(), value: pair.slice(pair.indexOf('=') + 1).trim() };
      if (/;\s*httponly/i.test(h.value)) cookie.httpOnly = true;
      if (/;\s*secure/i.test(h.value)) cookie.secure = true;
      return cookie;
    });
}

function queryString(url: string): QueryString[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

/** Text types are kept as text; anything else was decoded as UTF-8 by the recorder and may be lossy. */
const isTextual = (mime: string): boolean =>
  mime === '' || /^text\/|[/+](json|xml|javascript|x-www-form-urlencoded|html|csv|yaml|event-stream)\b/.test(mime);

function contentComment(parts: readonly (string | undefined)[]): { comment?: string } {
  const said = parts.filter((p): p is string => Boolean(p));
  return said.length ? { comment: said.join('; ') } : {};
}

export function exchangeToEntry(exchange: Exchange, options: HarOptions = {}): HarEntry {
  const { redactor } = options;
  const requestHeaders = harHeaders(exchange.request.headers, redactor);
  const requestMime = headerValue(exchange.request.headers, 'content-type') ?? '';
  const requestBytes = exchange.request.bodyBytes ?? (exchange.request.body !== undefined ? Buffer.byteLength(exchange.request.body) : 0);
  let postData: PostData | undefined;
  if (exchange.request.body !== undefined) {
    const keptBytes = Buffer.byteLength(exchange.request.body);
    postData = {
      mimeType: requestMime,
      text: scrub(exchange.request.body, redactor),
      ...contentComment([
        requestBytes > keptBytes ? `body truncated: ${keptBytes} of ${requestBytes} bytes kept` : undefined,
        !isTextual(requestMime.split(';')[0]!.trim().toLowerCase())
          ? 'non-text body: the recorder kept a description or UTF-8 decoding, not the bytes'
          : undefined,
      ]),
    };
  }
  const url = scrubUrl(exchange.request.url, redactor);
  const request: Entry['request'] = {
    method: exchange.request.method,
    url,
    httpVersion: 'HTTP/1.1',
    cookies: requestCookies(requestHeaders),
    headers: requestHeaders,
    queryString: queryString(url),
    ...(postData ? { postData } : {}),
    headersSize: -1,
    bodySize: requestBytes,
  };

  const r = exchange.response;
  let response: Entry['response'];
  if (r) {
    const headers = harHeaders(r.headers, redactor);
    const mimeType = headerValue(r.headers, 'content-type') ?? '';
    const keptBytes = Buffer.byteLength(r.body);
    const content: Content = {
      size: r.bodyBytes,
      mimeType,
      text: scrub(r.body, redactor),
      ...contentComment([
        r.droppedBytes > 0 ? `body truncated: first ${Math.min(keptBytes, BODY_CAP)} bytes kept, ${r.droppedBytes} dropped` : undefined,
        r.incomplete ? `body incomplete: ${scrub(r.incomplete, redactor)}` : undefined,
        !isTextual(mimeType.split(';')[0]!.trim().toLowerCase()) && keptBytes > 0
          ? 'non-text body decoded as UTF-8 by the recorder: the bytes were not kept'
          : undefined,
      ]),
    };
    response = {
      status: r.status,
      statusText: STATUS_CODES[r.status] ?? '',
      httpVersion: 'HTTP/1.1',
      cookies: responseCookies(headers),
      headers,
      content,
      redirectURL: scrubUrl(headerValue(r.headers, 'location') ?? '', redactor),
      headersSize: -1,
      bodySize: r.bodyBytes,
    };
  } else {
    // No response (transport error): devtools' convention is status 0 with `_error`.
    response = {
      status: 0,
      statusText: '',
      httpVersion: '',
      cookies: [],
      headers: [],
      content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
    };
  }

  const describe = `${options.target ? `${options.target} ` : ''}#${exchange.id} ${exchange.probe} (${exchange.credential}): ${exchange.purpose}`;
  return {
    startedDateTime: exchange.startedAt,
    time: exchange.durationMs,
    request,
    response,
    cache: {},
    // The recorder keeps one duration; HAR wants phases that add up to `time`.
    timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: exchange.durationMs, receive: 0 },
    comment: scrub(describe, redactor),
    _resourceType: 'fetch',
    _conformance: {
      exchangeId: exchange.id,
      probe: exchange.probe,
      purpose: scrub(exchange.purpose, redactor),
      credential: exchange.credential,
      scope: exchange.scope,
      ...(options.target ? { target: options.target } : {}),
      ...(exchange.notes?.length ? { notes: exchange.notes.map((n) => scrub(n, redactor)) } : {}),
    },
    ...(exchange.error ? { _error: scrub(`${exchange.error.code}: ${exchange.error.message}`, redactor) } : {}),
  };
}

const byStart = (a: Entry, b: Entry): number => a.startedDateTime.localeCompare(b.startedDateTime);

export function exchangesToHar(exchanges: readonly Exchange[], options: HarOptions = {}): Har {
  return {
    log: {
      version: '1.2',
      creator: options.creator ?? HAR_CREATOR,
      entries: exchanges.map((e) => exchangeToEntry(e, options)).sort(byStart),
      comment: 'Exchanges recorded by the conformance harness; secrets redacted.',
    },
  };
}

/** One HAR from the HAR files of a sharded run (entries in start order; creator of the first). */
export function mergeHar(hars: readonly Har[]): Har {
  const entries = hars.flatMap((h) => h.log.entries).sort(byStart);
  return {
    log: {
      version: '1.2',
      creator: hars[0]?.log.creator ?? HAR_CREATOR,
      entries,
      comment: `Exchanges recorded by the conformance harness; secrets redacted; merged from ${hars.length} file(s).`,
    },
  };
}

export function mergeHarFiles(paths: readonly string[]): Har {
  return mergeHar(paths.map((p) => JSON.parse(readFileSync(p, 'utf8')) as Har));
}
