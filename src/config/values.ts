/**
 * Values that pass the schema but cannot work once sent (SPEC §3, issue 12 item 8): URLs the
 * client cannot connect to, header names and values Node refuses to put on the wire, and
 * credentials written where they would leak (in a URL, or as a literal header value that the
 * redactor does not know to be a secret). Each problem names the key and the fix; no value a
 * credential may hide in is echoed.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ProblemSink, RawTarget } from './raw.ts';
import type { YamlPath } from './yaml-source.ts';

/** RFC 9110 §5.6.2 token: what a header field name may be made of. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Node's check of header values (`validateHeaderValue`): tab, visible ASCII and obs-text; no CR, LF or NUL. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Headers the client owns, or that undici refuses from a caller. */
const CLIENT_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect', 'te']);
/** Headers that carry a credential: a literal value would reach reports unredacted. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|x-auth-token|x-access-token)$/i;
/** Query parameters that commonly carry a credential. */
const CREDENTIAL_PARAM =
  /^(access_token|token|api_?key|apikey|key|secret|password|passwd|sig|signature|auth|x-amz-signature|x-goog-signature)$/i;

/** A URL as it may appear in a message: user info and query values masked. */
export function displayUrl(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1…@').replace(/([?&][^=&#]*)=[^&#]*/g, '$1=…');
}

export type UrlProblem = { message: string; fix: string } | undefined;

/** An absolute http(s) URL the client can connect to, with no credentials in it. */
export function checkUrl(key: string, value: string, opts: { readonly httpOnly?: boolean; readonly query?: boolean } = {}): UrlProblem {
  const shown = displayUrl(value);
  const schemes = opts.httpOnly ? ['http:'] : ['http:', 'https:'];
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(value)?.[1];
  if (authority?.includes('@'))
    return {
      message: `${key} carries credentials in its user info (${shown}): they would be sent to every URL and shown in reports`,
      fix: `remove "user:password@" from ${key}; give credentials under auth: as \${VAR}`,
    };
  const port = authority === undefined ? undefined : /:(\d*)$/.exec(authority.replace(/^\[[^\]]*\]/, ''))?.[1];
  if (port !== undefined && port !== '' && (Number(port) < 1 || Number(port) > 65535))
    return {
      message: `${key} names port ${port}, outside 1–65535 (${shown})`,
      fix: 'use the port the service listens on, between 1 and 65535',
    };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return {
      message: `${key} is not a valid URL (${shown})`,
      fix: `write an absolute URL such as https://api.example.com${opts.httpOnly ? ' (http:// here)' : ''}`,
    };
  }
  if (!schemes.includes(url.protocol))
    return {
      message: `${key} must be ${opts.httpOnly ? 'an http' : 'an http(s)'} URL, not ${url.protocol}//… (${shown})`,
      fix: `write ${opts.httpOnly ? 'http' : 'https'}://host[:port][/path]`,
    };
  if (!url.hostname) return { message: `${key} names no host (${shown})`, fix: 'write scheme://host[:port][/path]' };
  const leaking = [...url.searchParams.keys()].filter((k) => CREDENTIAL_PARAM.test(k));
  if (leaking.length)
    return {
      message: `${key} carries what looks like a credential in its query (${leaking.join(', ')}): it would be shown in reports and curl lines`,
      fix:
        key === 'openapi_source'
          ? 'download the document and point openapi_source at the file, or serve it without credentials'
          : 'give credentials under auth: (bearer, api_key) as ${VAR}, never in a URL',
    };
  if (!opts.query && (url.search || url.hash))
    return { message: `${key} has a query or fragment (${shown})`, fix: 'use scheme://host[:port][/path] with no query or fragment' };
  return undefined;
}

/**
 * Every value of a target that passes the schema but cannot work once sent. `interpolated`
 * tells whether a path's value came from `${VAR}` (then it is a secret the redactor knows).
 */
export function checkValues(
  name: string,
  t: RawTarget,
  nodeAt: (path: YamlPath) => number | undefined,
  keyAt: (path: YamlPath, key: string) => number | undefined,
  problem: ProblemSink,
  baseDir: string,
  interpolated: (path: string) => boolean,
): void {
  const url = (key: 'base_url' | 'http_url', opts: Parameters<typeof checkUrl>[2] = {}): void => {
    const value = t[key];
    if (typeof value !== 'string') return;
    const p = checkUrl(key, value, opts);
    if (p) problem(nodeAt([key]), `${p.message} (target "${name}")`, p.fix);
  };
  url('base_url');
  url('http_url', { httpOnly: true });
  for (const list of ['allowed_origins', 'denied_origins'] as const) {
    (t.cors?.[list] ?? []).forEach((origin, i) => {
      if (origin === 'null') return;
      const p = checkUrl(`cors.${list}[${i}]`, origin);
      if (p) problem(nodeAt(['cors', list, i]), p.message, p.fix);
    });
  }
  for (const [header, value] of Object.entries(t.headers ?? {})) {
    if (!HEADER_NAME.test(header)) {
      problem(
        keyAt(['headers'], header),
        `header name ${JSON.stringify(header)} of target "${name}" has characters a header name cannot carry`,
        "header names are letters, digits and !#$%&'*+.^_`|~- (no spaces, colons or line breaks)",
      );
      continue;
    }
    if (CLIENT_HEADERS.has(header.toLowerCase())) {
      problem(
        keyAt(['headers'], header),
        `header ${header} of target "${name}" is set by the HTTP client itself and cannot be configured`,
        `remove ${header} from headers:`,
      );
      continue;
    }
    if (typeof value === 'string' && !HEADER_VALUE.test(value)) {
      problem(
        nodeAt(['headers', header]),
        `the value of header ${header} of target "${name}" contains a line break or control character${interpolated(`headers.${header}`) ? ' (from its environment variable)' : ''}; it cannot be sent`,
        'remove CR, LF and other control characters from the value (check the environment variable for a trailing newline)',
      );
      continue;
    }
    if (CREDENTIAL_HEADER.test(header) && value !== '' && !interpolated(`headers.${header}`)) {
      problem(
        nodeAt(['headers', header]),
        `header ${header} of target "${name}" holds a literal credential: only values from \${VAR} are redacted, so it would appear in reports`,
        /^authorization$/i.test(header) || /^x-api-key$/i.test(header)
          ? `give it under auth: (bearer: \${TOKEN} or api_key: \${KEY}), or write ${header}: \${VAR}`
          : `write ${header}: \${VAR} and export the value`,
      );
    }
  }
  for (const [secret, value] of Object.entries(t.auth ?? {})) {
    if (typeof value === 'string' && !HEADER_VALUE.test(value))
      problem(
        nodeAt(['auth', secret]),
        `auth.${secret} of target "${name}" contains a line break or control character; it cannot be sent in a header`,
        'remove CR, LF and other control characters (check the environment variable for a trailing newline)',
      );
  }
  if (typeof t.openapi_source === 'string') {
    const p = checkOpenapiSource(t.openapi_source, baseDir);
    if (p) problem(nodeAt(['openapi_source']), `${p.message} (target "${name}")`, p.fix);
  }
}

/** `openapi_source`: an absolute http(s) URL, or a readable file relative to the targets file. */
export function checkOpenapiSource(value: string, baseDir: string): UrlProblem {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return checkUrl('openapi_source', value, { query: true });
  if (/^[a-z][a-z0-9+.-]+:/i.test(value) && !/^[a-z]:[\\/]/i.test(value))
    return {
      message: `openapi_source must be a file path or an http(s) URL, not ${value.split(':')[0]}:`,
      fix: 'write a path relative to targets.yaml (./openapi.yaml) or https://…',
    };
  const file = resolve(baseDir, value);
  try {
    const stat = statSync(file);
    if (!stat.isFile())
      return {
        message: `openapi_source "${value}" is not a file`,
        fix: 'point it at the OpenAPI document (JSON or YAML), relative to targets.yaml',
      };
    accessSync(file, constants.R_OK);
  } catch {
    return {
      message: `openapi_source "${value}" cannot be read (looked for ${file})`,
      fix: 'give the OpenAPI document (JSON or YAML) as a path relative to targets.yaml, or an https:// URL',
    };
  }
  return undefined;
}
