/**
 * Parsers and judges of the security response headers (platform guideline, 'Security Headers ›
 * Required Headers'), and the sampled responses they are judged on. Values are parsed, never
 * string-matched: HSTS directives in any order and case, CSP into policies and directives.
 */
import { headerValues, type Exchange } from '../../http/exchange.ts';
import { apiExchanges, exchangeById } from '../support.ts';
import type { CheckContext, Recording } from '../types.ts';
import { securitySamplesProbe } from '../../probes/security.ts';
import { outputOf } from '../../probes/types.ts';

export type HeaderVerdict =
  | { readonly ok: true; readonly note?: string }
  | { readonly ok: false; readonly problem: string; readonly received?: string };

const ok = (note?: string): HeaderVerdict => (note ? { ok: true, note } : { ok: true });
const bad = (problem: string, received?: string): HeaderVerdict =>
  received === undefined ? { ok: false, problem } : { ok: false, problem, received };
const shown = (values: readonly string[]): string => values.join(', ');

// ---- HSTS (RFC 6797 §6.1) ----

export interface Hsts {
  readonly maxAge?: number;
  readonly includeSubDomains: boolean;
  readonly preload: boolean;
  /** Syntax problems that make a UA ignore the header. */
  readonly invalid?: string;
}

export function parseHsts(value: string): Hsts {
  const seen = new Set<string>();
  let maxAge: number | undefined;
  let invalid: string | undefined;
  for (const part of value.split(';')) {
    const directive = part.trim();
    if (!directive) continue;
    const eq = directive.indexOf('=');
    const name = (eq < 0 ? directive : directive.slice(0, eq)).trim().toLowerCase();
    const raw =
      eq < 0
        ? undefined
        : directive
            .slice(eq + 1)
            .trim()
            .replace(/^"(.*)"$/, '$1');
    if (seen.has(name)) invalid ??= `directive ${name} appears twice (the header is then invalid, RFC 6797 §6.1)`;
    seen.add(name);
    if (name === 'max-age') {
      if (raw === undefined || !/^\d+$/.test(raw)) invalid ??= `max-age has no integer value (${directive})`;
      else maxAge = Number(raw);
    }
  }
  if (maxAge === undefined) invalid ??= 'no max-age directive';
  return {
    ...(maxAge !== undefined ? { maxAge } : {}),
    includeSubDomains: seen.has('includesubdomains'),
    preload: seen.has('preload'),
    ...(invalid ? { invalid } : {}),
  };
}

export const HSTS_MIN_MAX_AGE = 31536000;

export function judgeHsts(e: Exchange): HeaderVerdict {
  const values = headerValues(e, 'strict-transport-security');
  // A UA processes only the first STS header field (RFC 6797 §8.1).
  const first = values[0];
  if (first === undefined) return bad('missing');
  const hsts = parseHsts(first);
  if (hsts.invalid) return bad(`invalid: ${hsts.invalid}`, first);
  const problems: string[] = [];
  if (hsts.maxAge! < HSTS_MIN_MAX_AGE) problems.push(`max-age=${hsts.maxAge} is under ${HSTS_MIN_MAX_AGE} (one year)`);
  if (!hsts.includeSubDomains) problems.push('no includeSubDomains');
  return problems.length ? bad(problems.join('; '), first) : ok();
}

// ---- Content-Security-Policy (CSP Level 3) ----

export type CspPolicy = ReadonlyMap<string, readonly string[]>;

/** Policies of the given header values: a value may hold several, separated by commas. */
export function parseCsp(values: readonly string[]): CspPolicy[] {
  const policies: CspPolicy[] = [];
  for (const value of values) {
    for (const text of value.split(',')) {
      const directives = new Map<string, string[]>();
      for (const part of text.split(';')) {
        const tokens = part.trim().split(/\s+/).filter(Boolean);
        const name = tokens.shift()?.toLowerCase();
        // A repeated directive is ignored by browsers: the first one counts.
        if (name && !directives.has(name)) directives.set(name, tokens);
      }
      if (directives.size) policies.push(directives);
    }
  }
  return policies;
}

const FETCH_DIRECTIVES = new Set([
  'default-src',
  'script-src',
  'script-src-elem',
  'script-src-attr',
  'style-src',
  'style-src-elem',
  'style-src-attr',
  'img-src',
  'connect-src',
  'font-src',
  'object-src',
  'media-src',
  'frame-src',
  'child-src',
  'worker-src',
  'manifest-src',
  'prefetch-src',
  'fenced-frame-src',
]);
/** Sources that allow no more than the page's own origin. */
const STRICT_SOURCE = /^(?:'self'|'none'|'report-sample'|'nonce-[^']+'|'sha(?:256|384|512)-[^']+')$/i;
const UNSAFE_SOURCE = /^'(?:unsafe-[a-z-]+|wasm-unsafe-eval)'$/i;

/** What makes one policy looser than `default-src 'self'` (empty: it is that strict or stricter). */
export function cspProblems(policy: CspPolicy): string[] {
  const problems: string[] = [];
  if (!policy.has('default-src')) problems.push('no default-src directive');
  for (const [name, sources] of policy) {
    for (const source of sources) {
      if (source === '*') problems.push(`${name} allows any origin (*)`);
      else if (UNSAFE_SOURCE.test(source)) problems.push(`${name} allows ${source.toLowerCase()}`);
      else if (FETCH_DIRECTIVES.has(name) && !STRICT_SOURCE.test(source)) problems.push(`${name} allows ${source} (looser than 'self')`);
    }
  }
  return problems;
}

export function judgeCsp(e: Exchange): HeaderVerdict {
  const values = headerValues(e, 'content-security-policy');
  if (!values.length) {
    return headerValues(e, 'content-security-policy-report-only').length
      ? bad('only Content-Security-Policy-Report-Only, which enforces nothing')
      : bad('missing');
  }
  const policies = parseCsp(values);
  // Several policies are all enforced: one that is strict enough makes the whole strict enough.
  if (policies.some((p) => cspProblems(p).length === 0)) return ok();
  const problems = policies.length ? cspProblems(policies[0]!) : ['empty policy'];
  return bad(problems.join('; '), shown(values));
}

/** Whether an enforced policy says frame-ancestors 'none' (it supersedes X-Frame-Options). */
export function cspDeniesFraming(e: Exchange): boolean {
  return parseCsp(headerValues(e, 'content-security-policy')).some((p) => {
    const sources = p.get('frame-ancestors');
    return sources?.length === 1 && sources[0]!.toLowerCase() === "'none'";
  });
}

// ---- the simple ones ----

export function judgeNosniff(e: Exchange): HeaderVerdict {
  const values = headerValues(e, 'x-content-type-options');
  if (!values.length) return bad('missing');
  // Browsers read the first value of the list.
  const first = values.join(',').split(',')[0]!.trim().toLowerCase();
  return first === 'nosniff' ? ok() : bad(`"${shown(values)}" is not nosniff`, shown(values));
}

export function judgeFrame(e: Exchange): HeaderVerdict {
  const values = headerValues(e, 'x-frame-options');
  if (cspDeniesFraming(e))
    return ok(values.length ? "CSP frame-ancestors 'none', which supersedes X-Frame-Options" : "CSP frame-ancestors 'none'");
  if (!values.length) return bad("missing (and no CSP frame-ancestors 'none')");
  const tokens = values
    .join(',')
    .split(',')
    .map((v) => v.trim().toUpperCase());
  return tokens.every((t) => t === 'DENY')
    ? ok()
    : bad(`X-Frame-Options: ${shown(values)} allows framing (expected DENY or CSP frame-ancestors 'none')`, shown(values));
}

export function judgeXss(e: Exchange): HeaderVerdict {
  const values = headerValues(e, 'x-xss-protection');
  if (!values.length) return bad('missing');
  const [state, ...params] = values[0]!.split(';').map((p) => p.trim().toLowerCase());
  const block = params.some((p) => p.replace(/\s+/g, '') === 'mode=block');
  return state === '1' && block ? ok() : bad(`"${values[0]}" is not 1; mode=block`, shown(values));
}

// ---- which header, judged how, required where ----

export type HeaderKey = 'hsts' | 'nosniff' | 'frame' | 'csp' | 'xss';

export interface HeaderRequirement {
  readonly key: HeaderKey;
  readonly rule: string;
  readonly header: string;
  readonly expected: string;
  readonly judge: (e: Exchange) => HeaderVerdict;
}

export const REQUIREMENTS: Readonly<Record<HeaderKey, HeaderRequirement>> = {
  hsts: {
    key: 'hsts',
    rule: 'security.hsts',
    header: 'Strict-Transport-Security',
    expected: `max-age≥${HSTS_MIN_MAX_AGE}; includeSubDomains`,
    judge: judgeHsts,
  },
  nosniff: { key: 'nosniff', rule: 'security.nosniff', header: 'X-Content-Type-Options', expected: 'nosniff', judge: judgeNosniff },
  frame: {
    key: 'frame',
    rule: 'security.frame-deny',
    header: 'X-Frame-Options',
    expected: "DENY (or CSP frame-ancestors 'none')",
    judge: judgeFrame,
  },
  csp: {
    key: 'csp',
    rule: 'security.csp',
    header: 'Content-Security-Policy',
    expected: "default-src 'self' or stricter, no *, 'unsafe-inline', 'unsafe-eval'",
    judge: judgeCsp,
  },
  xss: { key: 'xss', rule: 'security.xss-protection', header: 'X-XSS-Protection', expected: '1; mode=block', judge: judgeXss },
};

/** The headers the target must send: per profile (X-XSS-Protection is platform only), HSTS on https, minus rules turned off. */
export function requiredHeaders(ctx: CheckContext): HeaderRequirement[] {
  const t = ctx.target;
  return Object.values(REQUIREMENTS).filter((r) => {
    if (r.key === 'hsts' && !t.baseUrl.startsWith('https://')) return false;
    if (r.key === 'xss' && t.profile !== 'platform' && !t.rules.severity[r.rule]) return false;
    return t.rules.severity[r.rule] !== 'off' && !t.rules.skip.includes(r.rule);
  });
}

// ---- the sampled responses ----

/** Kind of a response for evidence: OPTIONS, 2xx, or its status. */
export function kindOf(e: Exchange): string {
  if (e.request.method === 'OPTIONS') return 'OPTIONS';
  const status = e.response?.status ?? 0;
  return status >= 200 && status < 300 ? '2xx' : String(status);
}

/** The responses sampled by security:samples, plus the run's first API 429 when there is one. */
export function sampledResponses(rec: Recording): Exchange[] {
  const out = outputOf(rec, securitySamplesProbe)?.samples ?? [];
  const samples = out.map((id) => exchangeById(rec, id)).filter((e): e is Exchange => !!e);
  const throttled = apiExchanges(rec).find((e) => e.response!.status === 429);
  if (throttled && !samples.includes(throttled)) samples.push(throttled);
  return samples;
}

export const ERROR_KINDS: readonly number[] = [401, 404, 422, 429];

/** Orders kinds for messages: 2xx, then statuses, then OPTIONS. */
export const byKind = (a: string, b: string): number => {
  const rank = (k: string): number => (k === '2xx' ? 0 : k === 'OPTIONS' ? 1000 : Number(k) || 999);
  return rank(a) - rank(b);
};

/** Lists kinds with counts: "2xx, OPTIONS" or "401 (2), 404". */
export function kindList(exchanges: readonly Exchange[]): string {
  const counts = new Map<string, number>();
  for (const e of exchanges) counts.set(kindOf(e), (counts.get(kindOf(e)) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => byKind(a, b))
    .map(([k, n]) => (n > 1 ? `${k} (${n})` : k))
    .join(', ');
}

export function tlsNote(ctx: CheckContext): string {
  return ctx.target.tlsVerify ? '' : ' [tls_verify: false — the TLS certificate was not verified]';
}
