import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Exchange } from '../src/http/exchange.ts';
import { plainHttpUrl } from '../src/probes/security.ts';
import { securityCookieFlags as cookieFlags, parseSetCookie } from '../src/rules/security/cookie-flags.ts';
import { securityCsp as csp } from '../src/rules/security/csp.ts';
import { securityFrameDeny as frameDeny } from '../src/rules/security/frame-deny.ts';
import { securityHeadersOnErrors as headersOnErrors } from '../src/rules/security/headers-on-errors.ts';
import { cspProblems, judgeCsp, judgeHsts, parseCsp, parseHsts } from '../src/rules/security/headers.ts';
import { securityHsts as hsts } from '../src/rules/security/hsts.ts';
import { securityHttpsOnly as httpsOnly } from '../src/rules/security/https-only.ts';
import { securityNoStoreAuthenticated as noStoreAuthenticated } from '../src/rules/security/no-store-authenticated.ts';
import { disclosesVersion, securityNoVersionDisclosure as noVersionDisclosure } from '../src/rules/security/no-version-disclosure.ts';
import { securityNosniff as nosniff } from '../src/rules/security/nosniff.ts';
import { securityTraceDisabled as traceDisabled } from '../src/rules/security/trace-disabled.ts';
import { securityXssProtection as xssProtection } from '../src/rules/security/xss-protection.ts';
import type { CheckContext, Outcome, Recording } from '../src/rules/types.ts';
import { loadSchemas } from '../src/spec/schemas.ts';
import { context, exchange, recording, target } from './support/exchanges.ts';

const GOOD: Record<string, string> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-xss-protection': '1; mode=block',
};
const platform = context('platform');
const backend = context('backend');
const https = (extra = ''): CheckContext => ({
  target: target('platform', extra, 'https://api.example.test/base'),
  schemas: loadSchemas(),
});

/** A recording whose security:samples are the given exchanges. */
const sampled = (samples: Exchange[], others: Exchange[] = []): Recording =>
  recording([...samples, ...others], { 'security:samples': { samples: samples.map((e) => e.id) } });
const ok200 = (headers: Record<string, string> = GOOD): Exchange => exchange({ status: 200, body: {}, headers });
const preflight = (headers: Record<string, string> = GOOD): Exchange =>
  exchange({ method: 'OPTIONS', status: 204, headers, scope: 'cors' });
const error = (status: number, headers: Record<string, string> = GOOD): Exchange => exchange({ status, body: { status }, headers });
const without = (name: string, headers = GOOD): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).filter(([k]) => k !== name));
const message = (o: Outcome): string =>
  o.status === 'failed' ? `${o.message}\n${o.findings.map((f) => f.message).join('\n')}` : o.message;

describe('security header parsing', () => {
  it('HSTS: directives in any order and case, quoted max-age, duplicates invalid', () => {
    assert.deepEqual(parseHsts('includeSubDomains; MAX-AGE="63072000"; preload'), {
      maxAge: 63072000,
      includeSubDomains: true,
      preload: true,
    });
    assert.match(parseHsts('max-age=1; max-age=2').invalid ?? '', /appears twice/);
    assert.match(parseHsts('includeSubDomains').invalid ?? '', /no max-age/);
    const e = (v: string): Exchange => exchange({ headers: { 'strict-transport-security': v } });
    assert.equal(judgeHsts(e('includesubdomains ;max-age=31536000')).ok, true);
    assert.match(JSON.stringify(judgeHsts(e('max-age=86400'))), /under 31536000.*no includeSubDomains/);
    assert.equal(judgeHsts(exchange({})).ok, false);
  });

  it("CSP: parsed into policies and directives; 'none' is stricter than 'self'; *, unsafe-* and foreign hosts fail", () => {
    const [policy] = parseCsp(["DEFAULT-SRC 'none'; default-src *; frame-ancestors 'none'"]);
    assert.deepEqual(policy!.get('default-src'), ["'none'"], 'the first occurrence of a directive counts');
    assert.deepEqual(cspProblems(policy!), []);
    assert.deepEqual(cspProblems(parseCsp(["default-src 'self'"])[0]!), []);
    assert.match(cspProblems(parseCsp(["default-src 'self'; script-src *"])[0]!).join(), /script-src allows any origin/);
    assert.match(cspProblems(parseCsp(["default-src 'self' 'unsafe-inline'"])[0]!).join(), /'unsafe-inline'/);
    assert.match(cspProblems(parseCsp(["default-src 'self'; script-src 'SELF' 'Unsafe-Eval'"])[0]!).join(), /'unsafe-eval'/);
    assert.match(cspProblems(parseCsp(["default-src 'self'; img-src https://cdn.example.com"])[0]!).join(), /looser than 'self'/);
    assert.match(cspProblems(parseCsp(["script-src 'self'"])[0]!).join(), /no default-src/);
    const two = exchange({ headers: { 'content-security-policy': "default-src *, default-src 'none'" } });
    assert.equal(judgeCsp(two).ok, true, 'of two enforced policies, one strict enough makes the whole strict enough');
    assert.match(
      JSON.stringify(judgeCsp(exchange({ headers: { 'content-security-policy-report-only': "default-src 'none'" } }))),
      /Report-Only/,
    );
  });

  it('version disclosure: a product name passes, a version does not', () => {
    for (const v of ['nginx/1.25.3', 'Apache/2', 'Microsoft-IIS/10.0', 'Werkzeug/3.0.1 Python/3.12.2', 'PHP 8.2.1'])
      assert.equal(disclosesVersion('server', v), true, v);
    for (const v of ['nginx', 'uvicorn', 'Express', 'cloudflare', 'AmazonS3']) assert.equal(disclosesVersion('server', v), false, v);
    assert.equal(disclosesVersion('x-aspnet-version', 'anything'), true);
  });

  it('Set-Cookie: attributes parsed case-insensitively, values never kept', () => {
    assert.deepEqual(parseSetCookie('sid=secret; path=/; httponly; SAMESITE=lax; secure'), {
      name: 'sid',
      secure: true,
      httpOnly: true,
      sameSite: 'lax',
    });
  });
});

describe('security checks', () => {
  it('per-header rules pass on good 2xx and OPTIONS responses and name the kinds that lack a header', () => {
    const rec = sampled([ok200(), preflight(), error(404, {})]);
    for (const rule of [nosniff, frameDeny, csp, xssProtection]) assert.equal(rule.check(rec, platform).status, 'passed');
    const out = xssProtection.check(sampled([ok200(without('x-xss-protection')), preflight(without('x-xss-protection'))]), platform);
    assert.equal(out.status, 'failed');
    assert.match(message(out), /on 2xx, OPTIONS responses: missing/);
    assert.equal(out.status === 'failed' && out.findings[0]!.at, 'X-XSS-Protection');
    const sniffable = nosniff.check(sampled([ok200(without('x-content-type-options'))]), platform);
    assert.equal(sniffable.status, 'failed');
    assert.equal(sniffable.status === 'failed' && sniffable.findings[0]!.at, 'X-Content-Type-Options');
  });

  it('nosniff is judged on responses with a body: a body-less preflight has nothing to sniff', () => {
    const bare = preflight(without('x-content-type-options'));
    assert.equal(nosniff.check(sampled([ok200(), bare]), platform).status, 'passed');
    const only = nosniff.check(sampled([bare]), platform);
    assert.equal(only.status, 'skipped');
    assert.match(only.message, /carry no body \(OPTIONS\)/);
  });

  it('per-header rules leave error responses to headers-on-errors (one defect, one failed rule)', () => {
    const rec = sampled([ok200(), preflight(), error(404, {}), error(401, {})]);
    assert.equal(nosniff.check(rec, platform).status, 'passed');
    const out = headersOnErrors.check(rec, platform);
    assert.equal(out.status, 'failed');
    assert.match(message(out), /401 \(X-Content-Type-Options, X-Frame-Options, Content-Security-Policy, X-XSS-Protection\); 404/);
    assert.match(message(out), /no 422\/429 seen/);
  });

  it('headers-on-errors says nothing about "the 2xx" when no 2xx was sampled (issue 12)', () => {
    const out = headersOnErrors.check(sampled([preflight(), error(404, {})]), platform);
    assert.equal(out.status, 'skipped');
    assert.match(out.message, /no 2xx response was sampled/);
  });

  it('headers-on-errors judges run-wide 401/404/422/429 against what the 2xx carries', () => {
    const noNosniff = without('x-content-type-options');
    const rec = sampled(
      [ok200(noNosniff), error(404, noNosniff)],
      [error(422, noNosniff), error(429, noNosniff), error(400, {}), { ...error(404, {}), scope: 'docs' }],
    );
    const out = headersOnErrors.check(rec, platform);
    assert.equal(out.status, 'passed', message(out));
    assert.match(out.message, /404, 422, 429/);
    assert.match(out.message, /X-Content-Type-Options not judged here/);
    assert.equal(headersOnErrors.check(sampled([ok200()]), platform).status, 'skipped');
  });

  it('frame-deny accepts CSP frame-ancestors none instead of X-Frame-Options; SAMEORIGIN fails', () => {
    assert.equal(frameDeny.check(sampled([ok200({ 'content-security-policy': "frame-ancestors 'none'" })]), platform).status, 'passed');
    assert.equal(
      frameDeny.check(sampled([ok200({ 'x-frame-options': 'SAMEORIGIN', 'content-security-policy': "default-src 'none'" })]), platform)
        .status,
      'failed',
    );
  });

  it('csp: script-src * fails; nothing sampled is skipped, no answer is an error', () => {
    assert.equal(csp.check(sampled([ok200({ 'content-security-policy': "default-src 'self'; script-src *" })]), platform).status, 'failed');
    assert.equal(csp.check(recording([]), platform).status, 'skipped');
    assert.equal(csp.check(sampled([exchange({ error: 'connection reset' })]), platform).status, 'unanswered');
  });

  it('xss-protection wants 1; mode=block, with any spacing and case', () => {
    assert.equal(xssProtection.check(sampled([ok200({ 'x-xss-protection': '1;MODE = block' })]), platform).status, 'passed');
    assert.equal(xssProtection.check(sampled([ok200({ 'x-xss-protection': '1' })]), platform).status, 'failed');
    assert.equal(xssProtection.check(sampled([ok200({ 'x-xss-protection': '1 ; Mode=Block' })]), platform).status, 'passed');
    assert.equal(xssProtection.check(sampled([ok200({ 'x-xss-protection': '0' })]), platform).status, 'failed');
  });

  it('hsts judges https targets and notes tls_verify: false', () => {
    const strong = { ...GOOD, 'strict-transport-security': 'max-age=31536000; includeSubDomains' };
    const insecure = https('    tls_verify: false\n');
    const out = hsts.check(sampled([ok200(strong)]), insecure);
    assert.equal(out.status, 'passed');
    assert.match(out.message, /tls_verify: false/);
    assert.equal(hsts.check(sampled([ok200({ ...GOOD, 'strict-transport-security': 'max-age=600' })]), https()).status, 'failed');
    assert.equal(
      headersOnErrors.check(sampled([ok200(strong), error(404)]), https()).status,
      'failed',
      'HSTS is required on errors of an https target',
    );
  });

  it('backend: headers-on-errors does not ask for X-XSS-Protection', () => {
    assert.equal(headersOnErrors.check(sampled([ok200(), error(404, without('x-xss-protection'))]), backend).status, 'passed');
  });

  it('no-version-disclosure judges every response but http_url ones', () => {
    const leaky = exchange({ headers: { server: 'nginx/1.25.3' }, scope: 'docs' });
    const out = noVersionDisclosure.check(recording([ok200(), leaky]), platform);
    assert.equal(out.status, 'failed');
    assert.match(message(out), /server: nginx\/1\.25\.3/);
    assert.equal(noVersionDisclosure.check(recording([ok200(), { ...leaky, scope: 'http-url' }]), platform).status, 'passed');
  });

  it('no-store-authenticated: authenticated GETs need no-store or private; anonymous ones and 401s are not judged', () => {
    const priv = exchange({ headers: { 'cache-control': 'Private, max-age=60' } });
    assert.equal(noStoreAuthenticated.check(recording([priv]), platform).status, 'passed');
    const pub = exchange({ headers: { 'cache-control': 'public, max-age=300' } });
    const out = noStoreAuthenticated.check(recording([priv, pub]), platform);
    assert.equal(out.status, 'failed');
    assert.match(message(out), /1 of 2/);
    const anonymous = { ...pub, credential: 'none' as const };
    const denied = exchange({ status: 401, headers: { 'cache-control': 'public' } });
    assert.equal(noStoreAuthenticated.check(recording([anonymous, denied]), platform).status, 'skipped');
  });

  it('trace-disabled: 405/501 pass, an echo or a 200 fails, no answer is an error', () => {
    const trace = (status: number, body = ''): Recording => {
      const e = exchange({ method: 'TRACE', status, body, scope: 'other' });
      return recording([e], { 'security:trace': { exchange: e.id, marker: 'marker-123' } });
    };
    assert.equal(traceDisabled.check(trace(405), platform).status, 'passed');
    assert.equal(traceDisabled.check(trace(501), platform).status, 'passed');
    assert.match(message(traceDisabled.check(trace(200, 'TRACE / HTTP/1.1\r\nx-conformance-trace: marker-123'), platform)), /echoed/);
    assert.match(message(traceDisabled.check(trace(200), platform)), /answered 200, expected 405 or 501/);
    const lost = exchange({ method: 'TRACE', error: 'reset' });
    assert.equal(
      traceDisabled.check(recording([lost], { 'security:trace': { exchange: lost.id, marker: 'm' } }), platform).status,
      'unanswered',
    );
  });

  it('cookie-flags: HttpOnly and SameSite everywhere, Secure on https; no cookie is skipped', () => {
    const cookie = (v: string): Exchange => exchange({ headers: { 'set-cookie': v }, scope: 'docs' });
    assert.equal(cookieFlags.check(recording([cookie('a=1; HttpOnly; SameSite=Strict')]), platform).status, 'passed');
    assert.match(message(cookieFlags.check(recording([cookie('a=1; HttpOnly; SameSite=Strict')]), https())), /lacks Secure/);
    assert.match(message(cookieFlags.check(recording([cookie('a=1; SameSite=None; HttpOnly')]), platform)), /SameSite=None/);
    const out = cookieFlags.check(recording([cookie('sid=s3cr3t; Path=/')]), platform);
    assert.match(message(out), /lacks HttpOnly, SameSite/);
    assert.doesNotMatch(JSON.stringify(out), /s3cr3t/, 'cookie values never appear in findings');
    assert.equal(cookieFlags.check(recording([ok200()]), platform).status, 'skipped');
  });

  it('https-only: a redirect to https or a refusal passes; 2xx, 401 and http redirects fail', () => {
    const run = (...exchanges: Exchange[]): Outcome =>
      httpsOnly.check(
        recording(exchanges, {
          'security:http-url': { httpUrl: 'http://api.example.test/base', derived: true, exchanges: exchanges.map((e) => e.id) },
        }),
        https(),
      );
    const plain = (partial: Parameters<typeof exchange>[0]): Exchange => exchange({ ...partial, scope: 'http-url' });
    assert.equal(
      run(plain({ status: 308, headers: { location: 'https://api.example.test/base/health' } }), plain({ error: 'refused' })).status,
      'passed',
    );
    assert.equal(run(plain({ status: 426 })).status, 'passed');
    assert.equal(run(plain({ status: 200, body: { status: 'healthy' } })).status, 'failed');
    assert.match(message(run(plain({ status: 401 }))), /credentials in clear text/);
    assert.equal(run(plain({ status: 301, headers: { location: 'http://elsewhere/' } })).status, 'failed');
    assert.equal(
      httpsOnly.check(recording([], { 'security:http-url': { skipped: 'base_url uses port 8443' } }), https()).status,
      'skipped',
    );
  });

  it('the plain-http address: http_url, else derived for default ports only', () => {
    assert.deepEqual(plainHttpUrl(target('platform', '', 'https://api.example.test/v')), {
      url: 'http://api.example.test/v',
      derived: true,
    });
    assert.match(JSON.stringify(plainHttpUrl(target('platform', '', 'https://api.example.test:8443/v'))), /declare http_url/);
    assert.deepEqual(plainHttpUrl(target('platform', '    http_url: http://plain.example.test\n', 'https://api.example.test:8443')), {
      url: 'http://plain.example.test',
      derived: false,
    });
  });
});
