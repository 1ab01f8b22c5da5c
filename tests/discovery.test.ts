/**
 * Discovery end to end (issue: "a target with only base_url, profile and credentials against
 * the reference API discovers its resources and passes the same rules as the fully declared
 * target"). One harness run over pairs of targets that differ only in whether resources,
 * uploads and streams are declared or left to the OpenAPI document. Each target gets its own
 * reference state (an unknown name under /_f/ serves the clean profile with fresh state).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadSchemas } from '../src/spec/schemas.ts';
import { runHarness, shippedTargets, tempDir, writeTargets } from './support/harness.ts';
import { startReference } from './support/reference.ts';
import type { Summary } from '../src/spec/summary.ts';

type Raw = Record<string, unknown>;
const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'];

describe('discovery: resources from the OpenAPI document', () => {
  let reference: Awaited<ReturnType<typeof startReference>>;
  let summary: Summary;

  const isolated = (clean: Raw, name: string): string => String(clean.base_url).replace(/\/(platform|backend)$/, `/_f/${name}/$1`);
  const without = (t: Raw, ...keys: string[]): Raw => Object.fromEntries(Object.entries(t).filter(([k]) => !keys.includes(k)));

  before(async () => {
    reference = await startReference();
    const shipped = shippedTargets();
    const platform = shipped.targets['local-platform']!;
    const backend = shipped.targets['local-backend']!;
    const minimal = (t: Raw, name: string): Raw => ({ base_url: isolated(t, name), profile: t.profile, auth: t.auth });
    const targets: Record<string, Raw> = {
      // Read-only, the minimal target of the issue, and the same with its resources declared.
      'minimal-platform': minimal(platform, 'minimal-platform'),
      'declared-platform': { ...minimal(platform, 'declared-platform'), resources: platform.resources, streams: platform.streams },
      // Mutating: the shipped targets, and the same with nothing declared but discovery.mutate.
      'discovered-platform': {
        ...without(platform, 'resources', 'uploads', 'streams'),
        base_url: isolated(platform, 'discovered-platform'),
        discovery: { mutate: true },
      },
      'shipped-platform': { ...platform, base_url: isolated(platform, 'shipped-platform') },
      'discovered-backend': {
        ...without(backend, 'resources', 'uploads'),
        base_url: isolated(backend, 'discovered-backend'),
        discovery: { mutate: true },
      },
      'shipped-backend': { ...backend, base_url: isolated(backend, 'shipped-backend') },
      // Mutating mode but discovery.mutate unset: no write may reach a discovered resource.
      'no-mutate-backend': { ...without(backend, 'resources', 'uploads'), base_url: isolated(backend, 'no-mutate-backend') },
    };
    for (const t of Object.values(targets)) {
      // The burst, Chromium and the full set of generated inputs are the costliest probes and say
      // nothing about discovery (the same few inputs per operation still compare both kinds).
      if (t.rate_limit) t.rate_limit = { ...(t.rate_limit as Raw), burst: false };
      t.rules = { skip: ['cors.browser'] };
      t.inputs = { examples: 4, max_requests: 60 };
    }
    const file = writeTargets(tempDir('discovery'), { version: 1, defaults: shipped.defaults, targets });
    const run = await runHarness({ targetsFile: file, env: { CONFORMANCE_REFERENCE_URL: reference.url }, args: ['--workers', '2'] });
    assert.ok(run.summary, `the run wrote no summary:\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
    summary = run.summary;
  });

  after(async () => {
    await reference?.close();
  });

  const target = (name: string) => summary.targets.find((t) => t.name === name)!;
  const passedIds = (name: string): string[] =>
    target(name)
      .rules.filter((r) => r.status === 'passed')
      .map((r) => r.id)
      .sort();
  const bad = (name: string): string[] =>
    target(name)
      .rules.filter((r) => r.status === 'failed' || r.status === 'error')
      .map((r) => `${r.id}: ${r.message}`);

  for (const [discovered, declared] of [
    ['minimal-platform', 'declared-platform'],
    ['discovered-platform', 'shipped-platform'],
    ['discovered-backend', 'shipped-backend'],
  ] as const) {
    it(`${discovered} passes the same rules as ${declared}`, () => {
      assert.deepEqual(bad(discovered), []);
      assert.deepEqual(bad(declared), []);
      assert.deepEqual(passedIds(discovered), passedIds(declared));
      assert.ok(passedIds(discovered).includes('status.read-200'), 'resource rules ran on the discovered resource');
    });
  }

  it('the mutating discovered targets also upload and stream what the document describes', () => {
    for (const id of [
      'status.create-201',
      'status.delete-204',
      'status.validation-422',
      'uploads.too-large',
      'uploads.content-type',
      'streaming.sse',
    ]) {
      assert.equal(target('discovered-platform').rules.find((r) => r.id === id)!.status, 'passed', id);
    }
    assert.equal(target('discovered-backend').rules.find((r) => r.id === 'uploads.too-large')!.status, 'passed');
  });

  it('summary.json says what was discovered and what could not be probed, and why', () => {
    const d = target('minimal-platform').discovery!;
    assert.equal(d.source, '/openapi.json');
    assert.deepEqual(
      d.resources.map((r) => [r.name, r.collection, r.item, r.create_body]),
      [['documents', '/v2/documents', '/v2/documents/{id}', 'media example']],
    );
    assert.deepEqual(d.streams, [{ path: '/agents/multi-doc-chat/{id}/stream', resource: 'documents' }]);
    assert.equal(d.uploads[0]?.path, '/docs/documents');
    assert.ok(d.not_probed.some((o) => o.operation === 'GET /v1/documents' && /deprecated/.test(o.reason)));
    assert.equal(target('shipped-platform').discovery, undefined, 'declared resources win: no discovery');
    assert.deepEqual(loadSchemas().validate('summary', summary), [], 'summary.json with discovery matches its schema');
  });

  it('without discovery.mutate, nothing is written to discovered resources', () => {
    const t = target('no-mutate-backend');
    assert.deepEqual(
      WRITES.filter((m) => (t.requests.by_method[m] ?? 0) > 0),
      [],
    );
    const create = t.rules.find((r) => r.id === 'status.create-201')!;
    assert.equal(create.status, 'skipped');
    assert.equal(create.reason, 'read-only');
    assert.match(create.message, /discovery\.mutate/);
    assert.equal(t.rules.find((r) => r.id === 'status.read-200')!.status, 'passed', 'reads still go to the discovered resource');
  });
});
