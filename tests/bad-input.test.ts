/**
 * Bad input gets one clear message naming file:line:column and the fix, exit 2, nothing probed.
 * Every case is judged in-process (message, position, fix); a sample goes through the CLI too.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, parseTargets } from '../src/config/load.ts';
import { BAD_INPUTS } from './support/bad-inputs.ts';
import { ROOT, tempDir, writeTargets } from './support/harness.ts';

describe('bad input', () => {
  for (const input of BAD_INPUTS) {
    it(input.name, () => {
      let error: unknown;
      try {
        parseTargets(input.yaml, 'targets.yaml', input.env ?? {}, ROOT);
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof ConfigError, `accepted: ${input.name}`);
      const first = error.problems[0]!;
      assert.equal(`${first.line}:${first.column}`, input.at, `position of: ${first.message}`);
      assert.match(first.message, input.message);
      assert.match(first.fix ?? '', input.fix, `fix for: ${first.message}`);
      assert.match(error.message, /^targets\.yaml:\d+:\d+: /, 'the text names file:line:column');
    });
  }

  it('a missing targets file is a clear error too', () => {
    const out = spawnSync(process.execPath, [join(ROOT, 'bin/conformance.mjs'), 'validate', '--targets', '/nonexistent/targets.yaml'], {
      encoding: 'utf8',
    });
    assert.equal(out.status, 2);
    assert.match(out.stderr, /\/nonexistent\/targets\.yaml:1:1: cannot read targets file/);
  });

  it('run exits 2 and probes nothing for broken files (sample through the CLI)', () => {
    for (const input of BAD_INPUTS.filter((_, i) => i % 8 === 0)) {
      const dir = tempDir('bad');
      const file = writeTargets(dir, input.yaml);
      const reportDir = join(dir, 'reports');
      const out = spawnSync(process.execPath, [join(ROOT, 'bin/conformance.mjs'), 'run', '--targets', file, '--report-dir', reportDir], {
        encoding: 'utf8',
        env: { ...process.env, ...input.env },
      });
      assert.equal(out.status, 2, `${input.name}: ${out.stderr}`);
      assert.match(out.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${input.at}: `));
      assert.ok(!existsSync(join(reportDir, 'summary.json')), 'nothing was probed');
    }
  });
});
