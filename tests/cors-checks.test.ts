import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Exchange } from '../src/http/exchange.ts';
import { browserArgs, type BrowserOutput } from '../src/probes/cors-browser.ts';
import { insideDomain, lookAlikes, registrableDomain } from '../src/probes/cors-origins.ts';
import type { CorsOutput, OriginProbe } from '../src/probes/cors.ts';
import { corsBrowser as browser } from '../src/rules/cors/browser.ts';
import { corsCredentials as credentials } from '../src/rules/cors/credentials.ts';
import { corsDeniedOrigin as deniedOrigin } from '../src/rules/cors/denied-origin.ts';
import { corsMaxAge as maxAge } from '../src/rules/cors/max-age.ts';
import { corsOriginBypass as originBypass } from '../src/rules/cors/origin-bypass.ts';
import { corsPreflightAllowed as preflightAllowed } from '../src/rules/cors/preflight-allowed.ts';
import { corsVaryOrigin as varyOrigin } from '../src/rules/cors/vary-origin.ts';
import type { Outcome, Recording } from '../src/rules/types.ts';
import { context, exchange, recording } from './support/exchanges.ts';

const ALLOWED = 'https://search.example.ai';
const DENIED = 'https://evil.example.net';
const ctx = context('platform', '    cors:\n      allowed_origins: [https://search.example.ai]\n      allow_credentials: true\n');
const noCredentials = context(
  'platform',
  '    cors:\n      allowed_origins: [https://search.example.ai]\n      allow_credentials: false\n',
);

/** What a well-configured service answers (the reference's CORS middleware, in miniature). */
function answer(origin: string, method: 'OPTIONS' | 'GET', allowed: readonly string[] = [ALLOWED]): Record<string, string> {
  const headers: Record<string, string> = { vary: 'Origin' };
  if (!allowed.includes(origin)) return headers;
  Object.assign(headers, { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' });
  if (method === 'OPTIONS') {
    Object.assign(headers, {
      'access-control-allow-methods': 'GET, POST, PUT, DELETE',
      'access-control-allow-headers': 'Authorization, Content-Type',
      'access-control-max-age': '86400',
    });
  }
  return headers;
}

type Server = (origin: string, method: 'OPTIONS' | 'GET') => { status: number; headers: Record<string, string> };
const good: Server = (origin, method) => ({
  status: method === 'GET' ? 200 : ALLOWED === origin ? 204 : 403,
  headers: answer(origin, method),
});

/** A recording of the cors:origins probe against `server`. */
function probed(server: Server = good): Recording {
  const plan: Omit<OriginProbe, 'preflight' | 'actual'>[] = [
    { origin: ALLOWED, role: 'allowed' },
    { origin: DENIED, role: 'denied' },
    ...lookAlikes([ALLOWED], [DENIED]).map((l) => ({ origin: l.origin, role: 'look-alike' as const, kind: l.kind, of: l.of, why: l.why })),
  ];
  const exchanges: Exchange[] = [];
  const origins: OriginProbe[] = plan.map((p) => {
    const pre = server(p.origin, 'OPTIONS');
    const act = server(p.origin, 'GET');
    const preflight = exchange({
      method: 'OPTIONS',
      status: pre.status,
      headers: pre.headers,
      requestHeaders: { origin: p.origin },
      scope: 'cors',
      path: '/v2/documents/x',
    });
    const actual = exchange({
      method: 'GET',
      status: act.status,
      headers: act.headers,
      requestHeaders: { origin: p.origin },
      scope: 'cors',
      body: {},
    });
    exchanges.push(preflight, actual);
    return { ...p, preflight: preflight.id, actual: actual.id };
  });
  const output: CorsOutput = {
    preflightPath: '/v2/documents/x',
    requestMethod: 'PUT',
    requestHeaders: ['authorization', 'content-type'],
    actualPath: '/v2/documents',
    credentialed: true,
    origins,
  };
  return recording(exchanges, { 'cors:origins': output });
}

const message = (o: Outcome): string =>
  o.status === 'failed' ? `${o.message}\n${o.findings.map((f) => f.message).join('\n')}` : o.message;
const ALL = [preflightAllowed, credentials, deniedOrigin, originBypass, varyOrigin, maxAge];

describe('CORS look-alikes', () => {
  it('for https://search.example.ai: suffix, registrable-domain prefix, regex-dot, http downgrade, null (SPEC §6)', () => {
    assert.deepEqual(
      lookAlikes([ALLOWED]).map((l) => `${l.kind} ${l.origin}`),
      [
        'suffix https://search.example.ai.evil.test',
        'prefix https://evilexample.ai',
        'regex-dot https://searchxexample.ai',
        'http-downgrade http://search.example.ai',
        'null null',
      ],
    );
  });

  it('never makes a host inside an allowed registrable domain, nor an allowed or declared origin', () => {
    const allowed = [
      'https://a.b.example.co.uk',
      'https://example.com',
      'https://app.example.com',
      'http://localhost:3000',
      'https://myapp.vercel.app',
    ];
    const made = lookAlikes(allowed, ['https://evilexample.com']);
    assert.ok(made.length > 10);
    for (const l of made) {
      assert.ok(!allowed.includes(l.origin) && l.origin !== 'https://evilexample.com', l.origin);
      if (l.origin === 'null') continue;
      const host = new URL(l.origin).hostname;
      const sameHost = host === new URL(l.of).hostname;
      for (const a of allowed)
        assert.ok(
          sameHost || !insideDomain(host, registrableDomain(new URL(a).hostname)),
          `${l.origin} is inside ${a}'s registrable domain`,
        );
    }
    assert.ok(made.some((l) => l.origin === 'https://axb.example.co.uk') === false);
    assert.ok(
      made.some((l) => l.origin === 'https://a.bxexample.co.uk'),
      'regex-dot replaces the dot left of the registrable domain',
    );
    assert.ok(
      made.some((l) => l.origin === 'https://myappxvercel.app'),
      'a registrable domain under a multi-label suffix gets its first dot replaced',
    );
    assert.ok(!made.some((l) => l.kind === 'regex-dot' && l.of === 'https://example.com'), 'apex hosts have no regex-dot look-alike');
    assert.equal(registrableDomain('a.b.example.co.uk'), 'example.co.uk');
    assert.equal(registrableDomain('127.0.0.1'), '127.0.0.1');
  });
});

describe('cors checks', () => {
  it('a well-configured service passes every rule', () => {
    const rec = probed();
    for (const rule of ALL) assert.equal(rule.check(rec, ctx).status, 'passed', `${message(rule.check(rec, ctx))}`);
  });

  it('preflight-allowed: missing PUT or Authorization, or a wildcard with credentials, fails', () => {
    const narrow: Server = (o, m) => {
      const a = good(o, m);
      if (m === 'OPTIONS' && o === ALLOWED)
        Object.assign(a.headers, { 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': '*' });
      return a;
    };
    const out = preflightAllowed.check(probed(narrow), ctx);
    assert.equal(out.status, 'failed');
    assert.match(message(out), /does not allow PUT/);
    assert.match(message(out), /does not allow authorization, content-type/);
    assert.match(message(out), /Origin: https:\/\/search\.example\.ai → OPTIONS 204, ACAO: https:\/\/search\.example\.ai, ACAC: true/);
    const wildcard: Server = (o, m) => {
      const a = good(o, m);
      if (m === 'OPTIONS' && o === ALLOWED)
        Object.assign(a.headers, { 'access-control-allow-methods': '*', 'access-control-allow-headers': '*' });
      return a;
    };
    assert.match(
      message(preflightAllowed.check(probed(wildcard), noCredentials)),
      /does not allow authorization$/m,
      '* never covers Authorization',
    );
  });

  it('credentials: ACAC must be exactly true for allowed origins; * with ACAC true always fails', () => {
    const capital: Server = (o, m) => {
      const a = good(o, m);
      if (a.headers['access-control-allow-credentials']) a.headers['access-control-allow-credentials'] = 'True';
      return a;
    };
    assert.match(message(credentials.check(probed(capital), ctx)), /ACAC is "True", expected "true"/);
    assert.equal(credentials.check(probed(capital), noCredentials).status, 'passed', 'without allow_credentials ACAC is not required');
    const star: Server = (_o, _m) => ({
      status: 200,
      headers: { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' },
    });
    assert.match(message(credentials.check(probed(star), noCredentials)), /ACAO \* together with ACAC true/);
  });

  it('credentials: when no allowed-origin request got an answer, it claims nothing (issue 12: "ACAC: true on 0 responses")', () => {
    const rec = probed();
    const output = rec.outputs['cors:origins'] as CorsOutput;
    const allowedIds = new Set(output.origins.filter((o) => o.role === 'allowed').flatMap((o) => [o.preflight, o.actual]));
    const refused: Recording = {
      ...rec,
      exchanges: rec.exchanges.map((e) =>
        allowedIds.has(e.id) ? { ...e, response: undefined, error: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' } } : e,
      ),
    };
    const outcome = credentials.check(refused, ctx);
    assert.equal(outcome.status, 'unanswered', message(outcome));
    assert.match(outcome.message, /no request from an allowed origin got a response/);
  });

  it('denied-origin: an echo or * on a credentialed endpoint fails; * on a public one passes', () => {
    const reflect: Server = (o, m) => ({ status: m === 'GET' ? 200 : 204, headers: answer(o, m, [ALLOWED, DENIED]) });
    assert.match(message(deniedOrigin.check(probed(reflect), ctx)), /its origin is echoed/);
    const star: Server = (o, m) => (o === ALLOWED ? good(o, m) : { status: 200, headers: { 'access-control-allow-origin': '*' } });
    assert.match(message(deniedOrigin.check(probed(star), ctx)), /ACAO \* on a credentialed endpoint/);
    const rec = probed(star);
    const output = rec.outputs['cors:origins'] as CorsOutput;
    const publicRec: Recording = { ...rec, outputs: { 'cors:origins': { ...output, credentialed: false } } };
    assert.equal(deniedOrigin.check(publicRec, ctx).status, 'passed');
  });

  it("origin-bypass catches the platform guideline's own regex (unanchored at the end), and names what was echoed", () => {
    const guideline = /^https?:\/\/.*\.vercel\.app|^http?:\/\/localhost:.*|^https?:\/\/.*\.example\.ai/;
    const regex: Server = (o, m) => ({
      status: m === 'GET' ? 200 : guideline.test(o) || o === ALLOWED ? 204 : 403,
      headers: answer(o, m, guideline.test(o) ? [o] : [ALLOWED]),
    });
    const out = originBypass.check(probed(regex), ctx);
    assert.equal(out.status, 'failed');
    assert.match(
      out.message,
      /2 of 5 look-alike origins were echoed: https:\/\/search\.example\.ai\.evil\.test, http:\/\/search\.example\.ai/,
    );
    assert.match(message(out), /suffix look-alike of https:\/\/search\.example\.ai echoed on the preflight with credentials/);
    assert.equal(deniedOrigin.check(probed(regex), ctx).status, 'passed', 'one fault, one rule');
  });

  it('vary-origin: an echo without Vary: Origin fails; Vary: * passes; no echo is nothing to check', () => {
    const noVary: Server = (o, m) => ({
      ...good(o, m),
      headers: Object.fromEntries(Object.entries(good(o, m).headers).filter(([k]) => k !== 'vary')),
    });
    assert.match(message(varyOrigin.check(probed(noVary), ctx)), /without Vary: Origin/);
    const star: Server = (o, m) => ({ ...good(o, m), headers: { ...good(o, m).headers, vary: 'Accept, *' } });
    assert.equal(varyOrigin.check(probed(star), ctx).status, 'passed');
    const never: Server = () => ({ status: 403, headers: {} });
    assert.equal(varyOrigin.check(probed(never), ctx).status, 'skipped');
  });

  it('max-age: absent or not a positive integer fails', () => {
    const none: Server = (o, m) => {
      const a = good(o, m);
      delete a.headers['access-control-max-age'];
      return a;
    };
    assert.match(message(maxAge.check(probed(none), ctx)), /Access-Control-Max-Age is absent/);
    const zero: Server = (o, m) => ({
      ...good(o, m),
      headers: { ...good(o, m).headers, ...(m === 'OPTIONS' && o === ALLOWED ? { 'access-control-max-age': '0' } : {}) },
    });
    assert.equal(maxAge.check(probed(zero), ctx).status, 'failed');
  });

  it('transport errors make the rules errors; no probe output is nothing to check', () => {
    const rec = probed();
    const broken: Recording = {
      ...rec,
      exchanges: rec.exchanges.map((e) => ({ ...e, response: undefined, error: { code: 'ECONNRESET', message: 'reset' } }) as Exchange),
    };
    for (const rule of [preflightAllowed, credentials, deniedOrigin, originBypass])
      assert.equal(rule.check(broken, ctx).status, 'unanswered');
    for (const rule of [...ALL, browser]) assert.equal(rule.check(recording([]), ctx).status, 'skipped');
  });
});

describe('cors.browser check', () => {
  const page = (role: 'allowed' | 'denied', read: boolean, replay: number) => ({
    role,
    origin: role === 'allowed' ? ALLOWED : DENIED,
    replay,
    network: [],
    fetches: (['simple', 'preflighted'] as const).map((kind) =>
      read ? { kind, read, status: 401, bodyBytes: 20 } : { kind, read, error: 'TypeError: Failed to fetch' },
    ),
    console: read
      ? ['error: Failed to load resource: the server responded with a status of 401 (Unauthorized)']
      : [
          `error: Access to fetch at 'http://t/v2/documents' from origin '${role === 'allowed' ? ALLOWED : DENIED}' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
        ],
  });
  const run = (allowedReads: boolean, deniedReads: boolean): Outcome => {
    const a = exchange({ scope: 'cors' });
    const d = exchange({ scope: 'cors' });
    const out: BrowserOutput = {
      browser: 'Chromium 156',
      url: 'http://t/v2/documents',
      credentials: 'include',
      launchMs: 300,
      durationMs: 1800,
      pages: [page('allowed', allowedReads, a.id), page('denied', deniedReads, d.id)],
    };
    return browser.check(recording([a, d], { 'cors:browser': out }), ctx);
  };

  it('passes when the allowed page reads and the denied page cannot, quoting Chromium', () => {
    const out = run(true, false);
    assert.equal(out.status, 'passed');
    assert.match(out.message, /could read neither \(error: Access to fetch .* blocked by CORS policy/);
  });

  it('fails, with the console message, when the allowed page cannot read', () => {
    const out = run(false, false);
    assert.equal(out.status, 'failed');
    assert.match(message(out), /could not read the simple GET .* Chromium: error: Access to fetch/);
    assert.ok(out.status === 'failed' && out.findings[0]!.exchanges.length === 1, 'the replayed request is the evidence');
  });

  it('fails when the denied page can read', () => {
    assert.match(message(run(true, true)), /a page on denied origin https:\/\/evil\.example\.net read the simple GET/);
  });

  const blockedBy = (line: string, deniedReads = false): Outcome => {
    const a = exchange({ scope: 'cors' });
    const d = exchange({ scope: 'cors' });
    const allowed = { ...page('allowed', false, a.id), console: [`error: ${line}`] };
    const out: BrowserOutput = {
      browser: 'Chromium 150',
      url: 'http://127.0.0.1:4000/posts',
      credentials: 'omit',
      launchMs: 300,
      durationMs: 1800,
      pages: [allowed, page('denied', deniedReads, d.id)],
    };
    return browser.check(recording([a, d], { 'cors:browser': out }), ctx);
  };

  for (const [policy, line] of [
    [
      'Local/Private Network Access',
      "Access to fetch at 'http://127.0.0.1:4000/posts' from origin 'http://app.example.com' has been blocked by CORS policy: The request client is not a secure context and the resource is in more-private address space `loopback`.",
    ],
    [
      'Local/Private Network Access',
      "Access to fetch at 'http://127.0.0.1:4000/posts' from origin 'https://search.example.ai' has been blocked by CORS policy: Permission was denied for this request to access the `loopback` address space.",
    ],
    [
      'mixed content',
      "Mixed Content: The page at 'https://search.example.ai/' was loaded over HTTPS, but requested an insecure resource 'http://api.internal/posts'. This request has been blocked; the content must be served over HTTPS.",
    ],
  ] as const) {
    it(`is skipped with reason environment, naming the policy, when Chromium's ${policy} policy blocked the page`, () => {
      const out = blockedBy(line);
      assert.equal(out.status, 'skipped');
      assert.ok(out.status === 'skipped' && out.reason === 'environment');
      assert.match(out.message, new RegExp(`Chromium's ${policy.replace(/[/]/g, '\\/')} policy blocked the page on allowed origin`));
      assert.match(out.message, /could not be judged/);
    });
  }

  it('still fails when the denied page read the response, whatever blocked the allowed one', () => {
    const out = blockedBy('Permission was denied for this request to access the `loopback` address space.', true);
    assert.equal(out.status, 'failed');
    assert.match(message(out), /a page on denied origin .* read the simple GET/);
  });
});

describe('cors.browser flags', () => {
  it('treats http page origins and an http target as secure, allows mixed content, keeps Playwright its feature list', () => {
    const args = browserArgs(['http://app.example.com', 'https://evil.example.net', 'null'], 'http://127.0.0.1:4000/posts');
    assert.ok(args.includes('--allow-running-insecure-content'));
    assert.ok(args.includes('--unsafely-treat-insecure-origin-as-secure=http://app.example.com,http://127.0.0.1:4000'));
    assert.ok(!args.some((a) => a.startsWith('--disable-features')), 'a second --disable-features would replace Playwright’s');
    assert.deepEqual(
      browserArgs(['https://a.example'], 'https://api.example.com/x').filter((a) => a.startsWith('--unsafely')),
      [],
    );
  });
});
