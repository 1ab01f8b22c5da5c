/**
 * `openapi_source` end to end (SPEC §3): a service that serves no document at `openapi` is
 * discovered from the file next to targets.yaml, or from an absolute URL; `docs.openapi` keeps
 * judging what the service serves. Read-only targets of the reference API, one run.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadSchemas } from '../src/spec/schemas.ts';
import type { Summary } from '../src/spec/summary.ts';
import { runHarness, shippedTargets, tempDir, writeTargets } from './support/harness.ts';
import { startReference } from './support/reference.ts';

type Raw = Record<string, unknown>;

describe('openapi_source: the document discovery and the schema rules read', () => {
  let reference: Awaited<ReturnType<typeof startReference>>;
  let summary: Summary;
  let output = '';

  before(async () => {
    reference = await startReference();
    const platform = shippedTargets().targets['local-platform']!;
    const dir = tempDir('openapi-source');
    // The document as the target's own base path describes it (its `servers` name that path).
    const served = await fetch(`${reference.url}/_f/source-file/platform/openapi.json`);
    writeFileSync(join(dir, 'platform-openapi.json'), await served.text());
    const target = (name: string, source: string): Raw => ({
      base_url: String(platform.base_url).replace(/\/platform$/, `/_f/${name}/platform`),
      profile: 'platform',
      auth: platform.auth,
      openapi: '/not-served.json',
      openapi_source: source,
    });
    const targets = {
      'source-file': target('source-file', './platform-openapi.json'),
      'source-url': target('source-url', '${CONFORMANCE_REFERENCE_URL}/_f/source-url/platform/openapi.json'),
    };
    const file = writeTargets(dir, { version: 1, targets });
    const run = await runHarness({
      targetsFile: file,
      env: { CONFORMANCE_REFERENCE_URL: reference.url },
      args: ['--workers', '1', '--grep', '(docs|status|versioning)\\.'],
    });
    output = `${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`;
    assert.ok(run.summary, `the run wrote no summary:\n${output}`);
    summary = run.summary;
  });

  after(async () => {
    await reference?.close();
  });

  for (const name of ['source-file', 'source-url']) {
    it(`${name}: discovered from openapi_source although the service serves no document; docs.openapi judges what is served`, () => {
      const t = summary.targets.find((x) => x.name === name)!;
      const rule = (id: string) => t.rules.find((r) => r.id === id)!;
      assert.ok(t.discovery, `no discovery in ${JSON.stringify(t).slice(0, 1500)}\n${output}`);
      assert.match(
        t.discovery.source,
        name === 'source-file' ? /platform-openapi\.json$/ : /^http:\/\/127\.0\.0\.1:\d+\/_f\/source-url\/platform\/openapi\.json$/,
      );
      assert.equal(t.discovery.problem, undefined);
      assert.deepEqual(
        t.discovery.resources.map((r) => [r.name, r.item]),
        [['documents', '/v2/documents/{id}']],
      );
      assert.equal(t.discovery.resources[0]!.discovered, true, 'labelled as discovered');
      assert.match(t.discovery.resources[0]!.made_up_ids, /path parameter's schema \(type string, format uuid\)/);
      assert.match(t.discovery.read_only ?? '', /^read-only: the target is read-only/);
      assert.deepEqual(loadSchemas().validate('summary', summary), [], 'summary.json matches its schema');
      assert.equal(rule('status.read-200').status, 'passed', 'resource rules ran on the discovered resource');
      assert.equal(rule('status.not-found-404').status, 'passed');
      assert.equal(rule('docs.response-schema').status, 'passed', 'schema rules read the declared document');
      const prefix = rule('versioning.prefix');
      assert.equal(prefix.status, 'passed', prefix.message);
      assert.doesNotMatch(prefix.message, /no OpenAPI document served/);
      const docs = rule('docs.openapi');
      assert.equal(docs.status, 'failed', 'the served document is judged, and none is served');
      assert.match(JSON.stringify(docs), /not-served\.json/);
    });
  }
});
