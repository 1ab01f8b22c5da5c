/**
 * Origins the CORS probes send: the declared allowed and denied origins, and look-alikes of each
 * allowed origin that a sloppy origin check lets through (SPEC §6 cors.origin-bypass). Pure.
 *
 * No look-alike is ever a host inside the allowed origin's registrable domain (SPEC §6): the owner
 * controls those names, so a service may rightly allow them (`*.example.ai`). The one exception is
 * SPEC's own: the http downgrade of an https origin. (A port variant of the allowed host was
 * generated until issue 13's field review: SPEC lists no such look-alike, and it lies inside the
 * registrable domain.)
 */

export type LookAlikeKind = 'suffix' | 'prefix' | 'null' | 'http-downgrade' | 'regex-dot';

export interface LookAlike {
  readonly origin: string;
  readonly kind: LookAlikeKind;
  /** The allowed origin it imitates. */
  readonly of: string;
  readonly why: string;
}

/** Origins the harness denies when targets.yaml declares none: reserved names (RFC 2606) nobody can own. */
export const DEFAULT_DENIED_ORIGIN = 'https://cors-denied.conformance.invalid';

/**
 * Multi-label public suffixes common enough to matter for registrable domains, ICANN and private
 * (Public Suffix List). Without an entry the last two labels are taken: that can only make a
 * look-alike less precise, never put it inside the real registrable domain (the registrable
 * domain found is never longer than the true one).
 */
const MULTI_LABEL_SUFFIXES = new Set([
  'co.uk',
  'org.uk',
  'ac.uk',
  'gov.uk',
  'me.uk',
  'ltd.uk',
  'plc.uk',
  'net.uk',
  'com.au',
  'net.au',
  'org.au',
  'edu.au',
  'gov.au',
  'co.nz',
  'org.nz',
  'net.nz',
  'co.jp',
  'ne.jp',
  'or.jp',
  'ac.jp',
  'go.jp',
  'co.kr',
  'or.kr',
  'co.in',
  'net.in',
  'org.in',
  'firm.in',
  'com.br',
  'net.br',
  'org.br',
  'com.cn',
  'net.cn',
  'org.cn',
  'com.hk',
  'com.sg',
  'com.tw',
  'com.mx',
  'com.ar',
  'com.tr',
  'co.za',
  'co.il',
  'com.my',
  'com.ph',
  'com.vn',
  'co.id',
  'com.pl',
  'com.ua',
  'github.io',
  'gitlab.io',
  'vercel.app',
  'now.sh',
  'netlify.app',
  'herokuapp.com',
  'pages.dev',
  'workers.dev',
  'web.app',
  'firebaseapp.com',
  'appspot.com',
  'azurewebsites.net',
  'azurestaticapps.net',
  'cloudfront.net',
  'amplifyapp.com',
  'onrender.com',
  'fly.dev',
  'up.railway.app',
  'blogspot.com',
  'surge.sh',
  'glitch.me',
  'ngrok.io',
  'ngrok-free.app',
  'trycloudflare.com',
  'r2.dev',
  'deno.dev',
  'replit.app',
  'streamlit.app',
]);

const isIp = (host: string): boolean => /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) || host.startsWith('[');

/** The registrable domain ("eTLD+1") of a host name; the host itself for IPs and single labels. */
export function registrableDomain(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (isIp(h)) return h;
  const labels = h.split('.');
  if (labels.length <= 2) return h;
  for (let n = Math.min(labels.length - 1, 3); n >= 2; n--) {
    if (MULTI_LABEL_SUFFIXES.has(labels.slice(-n).join('.'))) return labels.slice(-(n + 1)).join('.');
  }
  return labels.slice(-2).join('.');
}

/** Whether `host` is a name inside `domain` (the domain itself or one of its subdomains). */
export function insideDomain(host: string, domain: string): boolean {
  const h = host.toLowerCase();
  return h === domain || h.endsWith(`.${domain}`);
}

function parseOrigin(origin: string): URL | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

const serialise = (scheme: string, host: string, port: string): string => `${scheme}//${host}${port ? `:${port}` : ''}`;

/** Look-alikes of one allowed origin (browsers serialise hosts in lower case, so the harness does too). */
export function lookAlikesOf(allowed: string): LookAlike[] {
  const url = parseOrigin(allowed);
  if (!url) return [];
  const host = url.hostname;
  const port = url.port;
  const reg = registrableDomain(host);
  const out: LookAlike[] = [];
  const add = (kind: LookAlikeKind, origin: string, why: string): void => {
    out.push({ origin, kind, of: allowed, why });
  };
  add(
    'suffix',
    serialise(url.protocol, `${host}.evil.test`, port),
    'the allowed origin followed by another domain: caught by checks unanchored at the end (startsWith, regex without $)',
  );
  if (!isIp(host) && reg.includes('.')) {
    add(
      'prefix',
      serialise(url.protocol, `evil${reg}`, port),
      'another registrable domain that ends with the allowed one: caught by endsWith or regexes without a leading dot',
    );
    // The dot just left of the registrable domain (searchxexample.ai), or for a host that is a
    // registrable domain under a multi-label suffix, its first dot (myappxvercel.app): either way a
    // name someone else can register. Apex hosts have no such dot (examplexcom is no domain).
    const dotted =
      host.length > reg.length
        ? `${host.slice(0, host.length - reg.length - 1)}x${reg}`
        : reg.split('.').length > 2
          ? host.replace('.', 'x')
          : undefined;
    if (dotted)
      add('regex-dot', serialise(url.protocol, dotted, port), 'a dot replaced by a letter: caught by regexes with an unescaped dot');
  }
  if (url.protocol === 'https:') {
    add(
      'http-downgrade',
      serialise('http:', host, port),
      'the same host over plain http: a network attacker can inject script there and read credentialed answers',
    );
  }
  return out;
}

/**
 * Every look-alike of the allowed origins, plus `null` once: deduplicated, never one of the
 * allowed or declared origins, never a host inside an allowed origin's registrable domain.
 */
export function lookAlikes(allowed: readonly string[], declared: readonly string[] = []): LookAlike[] {
  const taken = new Set([...allowed, ...declared]);
  const domains = allowed
    .map((o) => parseOrigin(o)?.hostname)
    .filter((h): h is string => !!h)
    .map(registrableDomain);
  const candidates = allowed.flatMap(lookAlikesOf);
  if (allowed.length && !allowed.includes('null')) {
    candidates.push({
      origin: 'null',
      kind: 'null',
      of: allowed[0]!,
      why: 'the opaque origin of sandboxed iframes, data: and file: pages, which any attacker can produce',
    });
  }
  const out: LookAlike[] = [];
  for (const c of candidates) {
    if (taken.has(c.origin)) continue;
    const host = parseOrigin(c.origin)?.hostname;
    const sameHost = host !== undefined && host === parseOrigin(c.of)?.hostname;
    if (host && !sameHost && domains.some((reg) => insideDomain(host, reg))) continue;
    taken.add(c.origin);
    out.push(c);
  }
  return out;
}
