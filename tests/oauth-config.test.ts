/**
 * targets.yaml `oauth2_client_credentials` (SPEC §3): accepted for every bearer credential,
 * interpolated, secrets registered for redaction, unknown keys and bad values reported with
 * their positions, `${VAR:-}` left empty meaning absent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseTargets, type ConfigProblem } from '../src/config/load.ts';
import { hasCredential } from '../src/config/target.ts';
import { Redactor } from '../src/http/redact.ts';

const file = (block: string) =>
  `version: 1\ntargets:\n  staging:\n    base_url: https://api.example.com\n    profile: platform\n    auth:\n${block}`;
const cc = (extra = '', name = 'limited_bearer') =>
  `      ${name}:\n        oauth2_client_credentials:\n          token_url: https://tenant.auth0.com/oauth/token\n          client_id: \${RO_ID}\n          client_secret: \${RO_SECRET}\n${extra}`;
const env = { RO_ID: 'ci-reader', RO_SECRET: 'sEcReT-canary-0c4e' };

const problemsOf = (text: string, e: NodeJS.ProcessEnv = env): ConfigProblem[] => {
  try {
    parseTargets(text, 'targets.yaml', e);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  assert.fail('expected the file to be rejected');
};

describe('oauth2_client_credentials in targets.yaml', () => {
  it('is accepted for every bearer credential, interpolated, and its secret is redacted', () => {
    for (const name of ['bearer', 'limited_bearer', 'expired_bearer', 'other_tenant_bearer'] as const) {
      const [t] = parseTargets(
        file(cc('          audience: https://api.example.com\n          auth_method: client_secret_basic\n', name)),
        'f',
        env,
      );
      assert.deepEqual(t!.oauth[name], {
        token_url: 'https://tenant.auth0.com/oauth/token',
        client_id: 'ci-reader',
        client_secret: 'sEcReT-canary-0c4e',
        audience: 'https://api.example.com',
        auth_method: 'client_secret_basic',
      });
      assert.equal(t!.auth[name], undefined, 'no static value stands in for it');
      assert.ok(hasCredential(t!, name));
      const secret = t!.secrets.find((s) => s.key === `auth.${name}.client_secret`);
      assert.equal(secret?.envVar, 'RO_SECRET');
      assert.equal(new Redactor(t!.secrets).text('x sEcReT-canary-0c4e y'), `x [REDACTED auth.${name}.client_secret] y`);
    }
  });

  it('mixes with static credentials', () => {
    const [t] = parseTargets(file(`      bearer: static-token-1234\n${cc()}`), 'f', env);
    assert.equal(t!.auth.bearer, 'static-token-1234');
    assert.ok(t!.oauth.limited_bearer);
  });

  it('an unknown key is an error at its line and column, with a suggestion', () => {
    const problems = problemsOf(file(cc('          scopes: read\n')));
    const p = problems.find((x) => x.message.includes('"scopes"'));
    assert.ok(p, JSON.stringify(problems));
    assert.equal(p.line, 12);
    assert.equal(p.column, 11);
    assert.match(p.fix ?? '', /did you mean "scope"/);
    const misspelt = problemsOf(file('      bearer:\n        oauth2_client_credential: {}\n'));
    assert.ok(
      misspelt.some((x) => x.message.includes('unknown key "oauth2_client_credential"') && x.line === 8),
      JSON.stringify(misspelt),
    );
  });

  it('a missing client_secret, a bad auth_method or token_url are errors; an unset variable names itself', () => {
    const noSecret = problemsOf(
      file('      bearer:\n        oauth2_client_credentials:\n          token_url: https://a.example/token\n          client_id: x\n'),
    );
    assert.ok(
      noSecret.some((x) => x.message.includes('"client_secret"')),
      JSON.stringify(noSecret),
    );
    const method = problemsOf(file(cc('          auth_method: client_secret_jwt\n')));
    assert.ok(
      method.some((x) => x.message.includes('auth_method must be one of')),
      JSON.stringify(method),
    );
    const url = problemsOf(file(cc().replace('https://tenant.auth0.com/oauth/token', 'tenant.auth0.com/oauth/token')));
    assert.ok(
      url.some((x) => x.message.includes('token_url')),
      JSON.stringify(url),
    );
    const unset = problemsOf(file(cc()), { RO_ID: 'x' });
    assert.ok(
      unset.some((x) => x.message.includes('RO_SECRET') && x.line === 11),
      JSON.stringify(unset),
    );
  });

  it('`${VAR:-}` left empty makes the credential absent (its rules are skipped, not errors)', () => {
    const [t] = parseTargets(file(cc().replace('${RO_SECRET}', '${RO_SECRET:-}')), 'f', { RO_ID: 'x' });
    assert.equal(t!.oauth.limited_bearer, undefined);
    assert.ok(!hasCredential(t!, 'limited_bearer'));
  });
});
