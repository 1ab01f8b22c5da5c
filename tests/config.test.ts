import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseTargets, type ConfigProblem } from '../src/config/load.ts';

const problemsOf = (text: string, env: NodeJS.ProcessEnv = {}): ConfigProblem[] => {
  try {
    parseTargets(text, 'targets.yaml', env);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  assert.fail('expected the file to be rejected');
};

const minimal = (extra = '', base = 'http://127.0.0.1:8080') =>
  `version: 1\ntargets:\n  staging:\n    base_url: ${base}\n    profile: platform\n${extra}`;

describe('targets.yaml loading', () => {
  it('applies profile presets and defaults', () => {
    const [t] = parseTargets(
      `version: 1\ndefaults:\n  timeout_ms: 1234\ntargets:\n  a:\n    base_url: https://api.example.com/base/\n    profile: backend\n`,
      'f',
      {},
    );
    assert.equal(t!.timeoutMs, 1234);
    assert.equal(t!.baseUrl, 'https://api.example.com/base');
    assert.equal(t!.basePath, '/base');
    assert.deepEqual(t!.conventions, { error_format: 'envelope', pagination: 'page' });
    assert.equal(t!.mode, 'read-only');
    assert.equal(t!.health, '/health');
  });

  it('lets conventions override the preset', () => {
    const [t] = parseTargets(minimal('    conventions: { error_format: envelope }\n'), 'f', {});
    assert.deepEqual(t!.conventions, { error_format: 'envelope', pagination: 'cursor' });
  });

  it('interpolates ${VAR} and ${VAR:-default} and records secrets with their variable', () => {
    const [t] = parseTargets(
      minimal('    auth:\n      bearer: ${TOKEN}\n      api_key: ${KEY:-fallback-key}\n', '${HOST:-http://h:1}'),
      'f',
      { TOKEN: 'tok-123456' },
    );
    assert.equal(t!.baseUrl, 'http://h:1');
    assert.equal(t!.auth.bearer, 'tok-123456');
    assert.equal(t!.auth.api_key, 'fallback-key');
    assert.deepEqual(
      t!.secrets.map((s) => [s.key, s.envVar]),
      [
        ['auth.bearer', 'TOKEN'],
        ['auth.api_key', 'KEY'],
      ],
    );
  });

  it('treats ${VAR:-} as absent so rules needing it are skipped, not broken', () => {
    const [t] = parseTargets(minimal('    auth:\n      expired_bearer: ${EXPIRED:-}\n'), 'f', {});
    assert.equal(t!.auth.expired_bearer, undefined);
  });

  it('names the variable, target, line and column of an unset ${VAR}', () => {
    const [p] = problemsOf(minimal('    auth:\n      bearer: ${STAGING_TOKEN}\n'));
    assert.equal(p!.line, 7);
    assert.equal(p!.column, 15);
    assert.match(p!.message, /STAGING_TOKEN is not set.*auth\.bearer.*"staging"/);
    assert.match(p!.fix!, /export STAGING_TOKEN/);
  });

  it('rejects unknown keys with a did-you-mean and their position', () => {
    const [p] = problemsOf(minimal('    tiemout_ms: 10\n'));
    assert.deepEqual([p!.line, p!.column], [6, 5]);
    assert.match(p!.message, /unknown key "tiemout_ms" in targets\.staging/);
    assert.equal(p!.fix, 'did you mean "timeout_ms"?');
  });

  it('reports YAML syntax errors with their position', () => {
    const [p] = problemsOf('version: 1\ntargets:\n  a:\n    base_url: [unclosed\n');
    assert.match(p!.message, /YAML syntax error/);
    assert.ok(p!.line >= 4);
  });

  it('reports an empty file', () => {
    assert.match(problemsOf('')[0]!.message, /empty/);
  });

  it('rejects duplicate target names', () => {
    const problems = problemsOf(
      'version: 1\ntargets:\n  a: { base_url: "http://x", profile: platform }\n  a: { base_url: "http://y", profile: platform }\n',
    );
    assert.match(problems[0]!.message, /duplicate key/);
    assert.equal(problems[0]!.line, 4);
  });

  it('rejects an unknown profile with a suggestion', () => {
    const p = problemsOf(minimal().replace('platform', 'platfrom'))[0]!;
    assert.match(p.message, /profile must be one of/);
    assert.equal(p.fix, 'did you mean "platform"?');
  });

  it('rejects bad URLs, wrong types and negative limits', () => {
    assert.match(problemsOf(minimal('', 'ftp://x'))[0]!.message, /base_url has an invalid value/);
    assert.match(problemsOf(minimal('    timeout_ms: fast\n'))[0]!.message, /timeout_ms must be a whole number/);
    assert.match(problemsOf(minimal('    rate_limit: { limit: -5 }\n'))[0]!.message, /rate_limit\.limit must be >= 1/);
  });

  it('rejects unknown rule ids in rules.skip with a suggestion', () => {
    const p = problemsOf(minimal('    rules:\n      skip: [cors.orgin-bypass]\n'))[0]!;
    assert.match(p.message, /unknown rule id "cors\.orgin-bypass"/);
    assert.match(p.fix!, /cors\.origin-bypass/);
    assert.deepEqual([p.line, p.column], [7, 14]);
  });

  it('requires version 1 and at least one target', () => {
    assert.match(
      problemsOf('version: 2\ntargets: {}\n')
        .map((p) => p.message)
        .join('\n'),
      /version must be 1/,
    );
  });
});
