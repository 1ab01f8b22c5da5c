import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, tempDir, writeTargets } from './support/harness.ts';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'bin/conformance.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });

describe('conformance CLI', () => {
  it('rules --format json lists the whole catalogue', () => {
    const out = cli('rules', '--format', 'json');
    assert.equal(out.status, 0);
    const rules = JSON.parse(out.stdout) as { id: string; guideline: object }[];
    assert.equal(rules.length, 87);
    assert.ok(rules.every((r) => Object.keys(r.guideline).length > 0));
  });

  it('rules --profile narrows to the rules that apply', () => {
    const out = cli('rules', '--profile', 'backend', '--format', 'markdown');
    assert.equal(out.status, 0);
    assert.ok(!out.stdout.includes('errors.status-matches'));
    assert.match(out.stdout, /\| `errors\.code-format` \| - \| must \|/);
  });

  it('validate accepts the shipped file and rejects a broken one with file:line:column, exit 2', () => {
    assert.equal(cli('validate').status, 0);
    const file = writeTargets(
      tempDir('validate'),
      'version: 1\ntargets:\n  a:\n    base_url: http://x\n    profile: platform\n    rules:\n      skip: [status.nope]\n',
    );
    const out = cli('validate', '--targets', file);
    assert.equal(out.status, 2);
    assert.match(out.stderr, /targets\.yaml:7:14: unknown rule id "status\.nope"/);
  });

  it('every command answers --help with the usage, exit 0 (and sends nothing)', () => {
    for (const command of ['run', 'validate', 'gate', 'diff', 'rules']) {
      const out = cli(command, '--help');
      assert.equal(out.status, 0, `${command} --help: ${out.stderr}`);
      assert.match(out.stdout, /^usage: conformance <command>/);
    }
  });

  it('unknown commands and missing option values are usage errors (exit 2)', () => {
    assert.equal(cli('frobnicate').status, 2);
    assert.equal(cli('validate', '--targets').status, 2);
  });
});
