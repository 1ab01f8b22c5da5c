import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authApiKey as apiKey } from '../src/rules/auth/api-key.ts';
import { authCrossTenant as crossTenant } from '../src/rules/auth/cross-tenant.ts';
import { authExpired401 as expired401 } from '../src/rules/auth/expired-401.ts';
import { authForbidden403 as forbidden403 } from '../src/rules/auth/forbidden-403.ts';
import { authInvalid401 as invalid401 } from '../src/rules/auth/invalid-401.ts';
import { authMissing401 as missing401 } from '../src/rules/auth/missing-401.ts';
import { authPublicHealth as publicHealth } from '../src/rules/auth/public-health.ts';
import { authQueryTokenRejected as queryTokenRejected } from '../src/rules/auth/query-token-rejected.ts';
import { authReadOnlyFields as readOnlyFields } from '../src/rules/auth/read-only-fields.ts';
import { authWwwAuthenticate as wwwAuthenticate } from '../src/rules/auth/www-authenticate.ts';
import type { Exchange } from '../src/http/exchange.ts';
import { evaluateRule } from '../src/harness/evaluate.ts';
import { ruleById } from '../src/rules/registry.ts';
import type { Outcome } from '../src/rules/types.ts';
import { context, exchange, recording } from './support/exchanges.ts';

const platform = context('platform');
const backend = context('backend');
const problem = (status: number, headers: Record<string, string> = {}): Exchange =>
  exchange({
    status,
    body: { type: 'about:blank', title: 't', status },
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
const attempts = (...es: Exchange[]) => ({ documents: es.map((e) => ({ exchange: e.id, op: `${e.request.method} /v2/documents` })) });
const findings = (o: Outcome) => (o.status === 'failed' ? o.findings : []);

describe('auth checks', () => {
  it('missing/invalid/expired: every attempt must answer 401; a served request names the operation', () => {
    for (const [rule, probe] of [
      [missing401, 'auth:missing'],
      [invalid401, 'auth:invalid'],
      [expired401, 'auth:expired'],
    ] as const) {
      const a = problem(401);
      const b = problem(401);
      assert.equal(rule.check(recording([a, b], { [probe]: attempts(a, b) }), platform).status, 'passed', probe);
      const served = exchange({ method: 'DELETE', status: 204, purpose: 'DELETE /v2/documents/{id} without credentials' });
      const out = rule.check(recording([a, served], { [probe]: attempts(a, served) }), platform);
      assert.equal(out.status, 'failed', probe);
      assert.match(findings(out)[0]!.message, /DELETE .* received 204 \(the request was served\), expected 401/);
      assert.equal(rule.check(recording([]), platform).status, 'skipped', probe);
    }
  });

  it('invalid-401: a transport error is not a verdict', () => {
    const down = exchange({ error: 'connection reset' });
    assert.equal(invalid401.check(recording([down], { 'auth:invalid': attempts(down) }), platform).status, 'unanswered');
  });

  it('a check that could not be answered is judged an error with reason transport-error, message unchanged', () => {
    const down = exchange({ error: 'connection reset' });
    const declared = context(
      'platform',
      '    auth:\n      bearer: t0ken-value-1234\n    resources:\n      - name: documents\n        collection: /v2/documents\n        item: /v2/documents/{id}\n',
    );
    const result = evaluateRule(
      ruleById('auth.invalid-401')!,
      declared.target,
      recording([down], { 'auth:invalid': attempts(down) }),
      declared.schemas,
    );
    assert.equal(result.status, 'error');
    assert.equal(result.reason, 'transport-error');
    assert.equal(result.message, 'could not check: connection reset');
    assert.equal(result.evidence.length, 1);
  });

  it('requests the declared budget kept back make the rule a rate-limit wait, not a transport error', () => {
    const held = {
      ...exchange({ error: 'not sent: the anonymous budget (60 per 3600 s) is spent' }),
      error: { code: 'BUDGET', message: 'not sent: the anonymous budget (60 per 3600 s) is spent' },
    };
    const rule = ruleById('auth.invalid-401')!;
    const declared = context(
      'platform',
      '    auth:\n      bearer: t0ken-value-1234\n    resources:\n      - name: documents\n        collection: /v2/documents\n        item: /v2/documents/{id}\n',
    );
    const result = evaluateRule(rule, declared.target, recording([held], { 'auth:invalid': attempts(held) }), declared.schemas);
    assert.equal(result.status, 'error');
    assert.equal(result.reason, 'rate-limit-wait');
    assert.match(result.message, /budget \(60 per 3600 s\) is spent/);
  });

  it('www-authenticate: every 401 of the run names Bearer; other statuses are not judged', () => {
    const good = problem(401, { 'www-authenticate': 'Bearer realm="api", error="invalid_token"' });
    assert.equal(wwwAuthenticate.check(recording([good, problem(404)]), platform).status, 'passed');
    const bare = problem(401);
    const basic = problem(401, { 'www-authenticate': 'Basic realm="x"' });
    const out = wwwAuthenticate.check(recording([good, bare, basic]), platform);
    assert.equal(out.status, 'failed');
    assert.equal(findings(out).length, 2);
    assert.equal(wwwAuthenticate.check(recording([problem(404)]), platform).status, 'skipped');
  });

  it('forbidden-403: 403 passes; 401, 404 and 2xx fail with their meaning', () => {
    const ok = problem(403);
    assert.equal(forbidden403.check(recording([ok], { 'auth:forbidden': attempts(ok) }), platform).status, 'passed');
    for (const [status, meaning] of [
      [401, 'treated as unauthenticated'],
      [404, 'answered not found'],
      [201, 'the request was served'],
    ] as const) {
      const e = exchange({ method: 'POST', status, body: {} });
      const out = forbidden403.check(recording([e], { 'auth:forbidden': attempts(e) }), platform);
      assert.equal(out.status, 'failed');
      assert.match(findings(out)[0]!.message, new RegExp(meaning));
    }
  });

  it('api-key: the valid key must be accepted and every invalid one refused with 401', () => {
    const valid = exchange({ status: 200, body: { items: [] } });
    const bad1 = problem(401);
    const bad2 = problem(401);
    const out = (v: Exchange, i: Exchange[]) => ({
      'auth:api-key': { valid: v.id, invalid: i.map((e) => ({ exchange: e.id, op: 'GET /v2/documents' })) },
    });
    assert.equal(apiKey.check(recording([valid, bad1, bad2], out(valid, [bad1, bad2])), platform).status, 'passed');
    const accepted = exchange({ status: 200, body: { items: [] } });
    assert.equal(apiKey.check(recording([valid, accepted], out(valid, [accepted])), platform).status, 'failed');
    const refused = problem(401);
    const o = apiKey.check(recording([refused, bad1], out(refused, [bad1])), platform);
    assert.match(findings(o)[0]!.message, /valid key was not accepted/);
    assert.equal(apiKey.check(recording([]), platform).status, 'skipped');
  });

  it('query-token-rejected: 401 or 400 pass; a 200 means the query string authenticated', () => {
    const a = problem(401);
    const b = problem(400);
    assert.equal(queryTokenRejected.check(recording([a, b], { 'auth:query-token': attempts(a, b) }), platform).status, 'passed');
    const leak = exchange({ status: 200, body: { items: [] } });
    assert.equal(queryTokenRejected.check(recording([a, leak], { 'auth:query-token': attempts(a, leak) }), platform).status, 'failed');
  });

  describe('cross-tenant', () => {
    const item = (name = 'a') =>
      exchange({ status: 200, body: { data: { id: 'x', name, updated_at: `2024-01-01T00:00:0${name.length}Z` } } });
    const run = (
      parts: Partial<Record<'control' | 'ownerBefore' | 'read' | 'update' | 'ownerAfterUpdate' | 'delete' | 'ownerAfterDelete', Exchange>>,
    ) => {
      const ids = Object.fromEntries(Object.entries(parts).map(([k, e]) => [k, e.id]));
      return crossTenant.check(recording(Object.values(parts), { 'auth:cross-tenant': { documents: ids } }), platform);
    };
    const clean = () => ({
      control: exchange({ status: 200, body: { items: [] } }),
      ownerBefore: item(),
      read: problem(404),
      update: problem(404),
      ownerAfterUpdate: item(),
      delete: problem(403),
      ownerAfterDelete: item(),
    });

    it('passes when every attempt is refused and the item is unchanged (`*_at` aside)', () => {
      assert.equal(
        run({
          ...clean(),
          ownerAfterUpdate: exchange({ status: 200, body: { data: { id: 'x', name: 'a', updated_at: '2030-01-01T00:00:00Z' } } }),
        }).status,
        'passed',
      );
    });

    it('says which operation leaked', () => {
      const out = run({ ...clean(), read: item() });
      assert.equal(out.status, 'failed');
      assert.match(out.message, /documents read leaked/);
    });

    it('a refusal that changed or deleted the item anyway is a leak too', () => {
      const changed = run({ ...clean(), ownerAfterUpdate: item('renamed') });
      assert.match(changed.message, /update leaked/);
      assert.match(findings(changed)[0]!.message, /\$\.data\.name: "a" → "renamed"/);
      const gone = run({ ...clean(), ownerAfterDelete: problem(404) });
      assert.match(gone.message, /delete leaked/);
    });

    it('an other-tenant credential that does not work at all is inconclusive, not a pass', () => {
      assert.equal(run({ ...clean(), control: problem(401) }).status, 'error');
    });

    it('nothing created: skipped', () => {
      assert.equal(crossTenant.check(recording([]), platform).status, 'skipped');
    });
  });

  it('public-health: health 2xx and ready 2xx/503 pass; 401 fails as "demands credentials"', () => {
    const h = exchange({ status: 200, body: { status: 'healthy' }, scope: 'health' });
    const r = exchange({ status: 503, body: { error: {} }, scope: 'health' });
    assert.equal(publicHealth.check(recording([h, r], { health: h.id, ready: r.id }), backend).status, 'passed');
    const locked = problem(401);
    const out = publicHealth.check(recording([locked], { health: locked.id }), platform);
    assert.equal(out.status, 'failed');
    assert.match(findings(out)[0]!.message, /demands credentials/);
  });

  it('public-health: a 404 says nothing about credentials — blocked by observability.health, not a second failure', () => {
    const missing = problem(404);
    const rec = recording([missing], { health: missing.id });
    const out = publicHealth.check(rec, platform);
    assert.equal(out.status, 'skipped');
    assert.match(out.status === 'skipped' ? out.message : '', /no health endpoint answered \(health 404\)/);
    // In a run, observability.health fails over the same 404, and this rule names it.
    const result = evaluateRule(ruleById('auth.public-health')!, platform.target, rec, platform.schemas);
    assert.equal(result.status, 'skipped');
    assert.equal(result.reason, 'blocked');
    assert.equal(result.blocked_by, 'observability.health');
    // A 401 is this rule's own finding, whatever observability.health says.
    const locked = problem(401);
    const judged = evaluateRule(
      ruleById('auth.public-health')!,
      platform.target,
      recording([locked], { health: locked.id }),
      platform.schemas,
    );
    assert.equal(judged.status, 'failed');
  });

  describe('read-only-fields', () => {
    const sent = {
      id: '11111111-1111-4111-8111-111111111111',
      created_at: '2001-02-03T04:05:06Z',
      updated_at: '2001-02-03T04:05:07Z',
      org_id: 'org-evil',
    };
    const rep = (over: object = {}) =>
      exchange({
        method: 'POST',
        status: 201,
        body: {
          data: {
            id: '22222222-2222-4222-8222-222222222222',
            name: 'n',
            org_id: 'org-a',
            created_at: '2026-01-01T00:00:00Z',
            updated_at: '2026-01-01T00:00:00Z',
            ...over,
          },
        },
      });
    const run = (create: Exchange, read?: Exchange) =>
      readOnlyFields.check(
        recording(read ? [create, read] : [create], {
          'auth:read-only-fields': {
            documents: { tenantField: 'org_id', create: { exchange: create.id, ...(read ? { read: read.id } : {}), sent } },
          },
        }),
        platform,
      );

    it('ignored fields pass; a rejection (422) passes', () => {
      assert.equal(run(rep(), rep()).status, 'passed');
      assert.equal(run(problem(422)).status, 'passed');
    });

    it('a field applied in the response or a later GET fails, date-times compared as instants', () => {
      const out = run(rep({ created_at: '2001-02-03T05:05:06+01:00' }));
      assert.equal(out.status, 'failed');
      assert.equal(findings(out)[0]!.at, '$.data.created_at');
      const later = run(rep(), rep({ org_id: 'org-evil' }));
      assert.match(findings(later)[0]!.message, /`org_id` sent in the create was applied: the later GET shows it/);
      assert.equal(run(rep({ id: sent.id.toUpperCase() })).status, 'failed');
    });

    it('neither ignored nor rejected (e.g. 500) fails', () => {
      assert.equal(run(problem(500)).status, 'failed');
    });
  });
});

describe('cross-tenant and a service whose missing items answer 400', () => {
  it('the same 400 to the other tenant is no leak (status.not-found-404 judges it), a 400 elsewhere is', () => {
    const ctx = context('platform');
    const item = exchange({ status: 200, body: { data: { id: 'x', name: 'a' } } });
    const bad = (s: number) => exchange({ status: s, body: { type: 'about:blank', title: 't', status: s } });
    const parts = {
      control: exchange({ status: 200, body: { items: [] } }),
      ownerBefore: item,
      read: bad(400),
      update: bad(400),
      ownerAfterUpdate: item,
      delete: bad(400),
      ownerAfterDelete: item,
    };
    const ids = Object.fromEntries(Object.entries(parts).map(([k, e]) => [k, e.id]));
    const notFound400 = bad(400);
    const out = crossTenant.check(
      recording([...Object.values(parts), notFound400], {
        'auth:cross-tenant': { documents: ids },
        'resources:not-found': { documents: notFound400.id },
      }),
      ctx,
    );
    assert.equal(out.status, 'passed');
    assert.match(out.message, /the service's answer for any missing item/);
    const notFound404 = bad(404);
    assert.equal(
      crossTenant.check(
        recording([...Object.values(parts), notFound404], {
          'auth:cross-tenant': { documents: ids },
          'resources:not-found': { documents: notFound404.id },
        }),
        ctx,
      ).status,
      'failed',
    );
  });
});
