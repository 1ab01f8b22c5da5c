/** docs.* checks over in-memory recordings: pass, fail (with pointers and instance paths), not applicable. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openApiDocument } from '../reference/openapi.ts';
import type { Exchange } from '../src/http/exchange.ts';
import { validateDocument } from '../src/openapi/validate.ts';
import { ruleById } from '../src/rules/registry.ts';
import type { Outcome } from '../src/rules/types.ts';
import { context, exchange, recording } from './support/exchanges.ts';

const ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const TIME = '2024-01-15T10:30:00Z';
const item = { id: ID, name: 'n', metadata: {}, org_id: 'org-a', is_archived: false, created_at: TIME, updated_at: TIME };
const single = { data: item, metadata: { request_id: 'r', timestamp: TIME, processing_time_ms: 1 } };
const problem = (status: number): Record<string, unknown> => ({ type: 'about:blank', title: 'x', status, detail: 'd' });
const problemHeaders = { 'content-type': 'application/problem+json' };

function docExchange(faults: string[] = [], profile: 'platform' | 'backend' = 'platform'): Exchange {
  return exchange({
    probe: 'openapi:document',
    method: 'GET',
    path: '/openapi.json',
    body: openApiDocument(profile, new Set(faults), '/base'),
    scope: 'docs',
  });
}

async function docOutputs(doc: Exchange): Promise<Record<string, unknown>> {
  return { 'openapi:document': { exchange: doc.id, validation: await validateDocument(JSON.parse(doc.response!.body)) } };
}

function check(id: string, exchanges: Exchange[], outputs: Record<string, unknown>, profile: 'platform' | 'backend' = 'platform'): Outcome {
  return ruleById(id)!.behaviour!.check(recording(exchanges, outputs), context(profile));
}

describe('docs.openapi', () => {
  it('passes on a valid 3.1 document and an HTML docs UI', async () => {
    const doc = docExchange();
    const ui = exchange({
      probe: 'docs:ui',
      path: '/docs',
      body: '<html></html>',
      headers: { 'content-type': 'text/html; charset=utf-8' },
      scope: 'docs',
    });
    const out = check('docs.openapi', [doc, ui], { ...(await docOutputs(doc)), 'docs:ui': ui.id });
    assert.equal(out.status, 'passed', JSON.stringify(out));
  });

  it('fails with the JSON pointer of each fault, and when the UI is missing', async () => {
    const doc = docExchange(['docs.openapi']);
    const ui = exchange({ probe: 'docs:ui', path: '/docs', status: 404, body: problem(404), headers: problemHeaders, scope: 'docs' });
    const out = check('docs.openapi', [doc, ui], { ...(await docOutputs(doc)), 'docs:ui': ui.id });
    assert.equal(out.status, 'failed');
    const findings = out.status === 'failed' ? out.findings : [];
    assert.ok(
      findings.some((f) => f.at === '/' && /info/.test(f.message)),
      JSON.stringify(findings),
    );
    assert.ok(findings.some((f) => /docs UI answered 404/.test(f.message)));
  });

  it('fails on a document that is not served, or is Swagger 2.0', () => {
    const missing = exchange({
      probe: 'openapi:document',
      path: '/openapi.json',
      status: 404,
      body: problem(404),
      headers: problemHeaders,
      scope: 'docs',
    });
    const ui = exchange({
      probe: 'docs:ui',
      path: '/docs',
      body: '<html></html>',
      headers: { 'content-type': 'text/html' },
      scope: 'docs',
    });
    const out = check('docs.openapi', [missing, ui], { 'openapi:document': { exchange: missing.id }, 'docs:ui': ui.id });
    assert.equal(out.status, 'failed');
    const swagger = exchange({
      probe: 'openapi:document',
      path: '/openapi.json',
      body: { swagger: '2.0', info: { title: 't', version: '1' }, paths: {} },
      scope: 'docs',
    });
    const out2 = check('docs.openapi', [swagger, ui], { 'openapi:document': { exchange: swagger.id }, 'docs:ui': ui.id });
    assert.equal(out2.status, 'failed');
    assert.match(out2.status === 'failed' ? out2.findings[0]!.message : '', /Swagger 2.0; expected OpenAPI 3.x/);
  });

  it('reads YAML documents', async () => {
    const yaml = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths: {}\n';
    const doc = exchange({
      probe: 'openapi:document',
      path: '/openapi.yaml',
      body: yaml,
      headers: { 'content-type': 'application/yaml' },
      scope: 'docs',
    });
    const ui = exchange({
      probe: 'docs:ui',
      path: '/docs',
      body: '<html></html>',
      headers: { 'content-type': 'text/html' },
      scope: 'docs',
    });
    const out = check('docs.openapi', [doc, ui], {
      'openapi:document': {
        exchange: doc.id,
        validation: await validateDocument({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {} }),
      },
      'docs:ui': ui.id,
    });
    assert.equal(out.status, 'passed', JSON.stringify(out));
  });

  it('could not judge when the document could not be fetched', () => {
    const doc = exchange({ probe: 'openapi:document', path: '/openapi.json', error: 'connection refused', scope: 'docs' });
    assert.equal(check('docs.openapi', [doc], { 'openapi:document': { exchange: doc.id } }).status, 'unanswered');
  });

  it('a document cut short is not judged as malformed: error, reason truncated, with the bytes kept and declared', () => {
    const full = docExchange();
    const text = full.response!.body;
    const cut: Exchange = {
      ...full,
      response: {
        ...full.response!,
        body: text.slice(0, 1000),
        bodyBytes: 4000,
        droppedBytes: 0,
        incomplete: 'no complete response within 1500 ms (timeout_ms)',
        truncated: { keptBytes: 1000, declaredBytes: Buffer.byteLength(text) },
      },
    };
    const ui = exchange({ probe: 'docs:ui', path: '/docs', headers: { 'content-type': 'text/html' }, body: '<html></html>' });
    const outcome = check('docs.openapi', [cut, ui], { 'openapi:document': { exchange: cut.id }, 'docs:ui': ui.id });
    assert.equal(outcome.status, 'error');
    assert.equal(outcome.status === 'error' && outcome.reason, 'truncated');
    assert.match(outcome.message, new RegExp(`cut at 4000 bytes \\(of ${Buffer.byteLength(text)} declared\\), 1000 kept`));
    assert.doesNotMatch(outcome.message, /not valid JSON/);
  });

  it('a body that is neither JSON nor YAML-shaped is never handed to the YAML parser', () => {
    const endless = exchange({ probe: 'openapi:document', path: '/openapi.json', body: '1,'.repeat(500_000), scope: 'docs' });
    const started = performance.now();
    const outcome = check('docs.openapi', [endless], { 'openapi:document': { exchange: endless.id } });
    assert.ok(performance.now() - started < 1000, 'judged at once');
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.status === 'failed' ? outcome.findings[0]!.message : '', /neither JSON nor a YAML OpenAPI document/);
  });
});

describe('docs.descriptions and docs.examples', () => {
  it('pass on the reference document', async () => {
    const doc = docExchange();
    const outputs = await docOutputs(doc);
    assert.equal(check('docs.descriptions', [doc], outputs).status, 'passed');
    assert.equal(check('docs.examples', [doc], outputs).status, 'passed');
  });

  it('fail naming each operation, property and request body by its pointer', async () => {
    const doc = docExchange(['docs.descriptions', 'docs.examples']);
    const outputs = await docOutputs(doc);
    const d = check('docs.descriptions', [doc], outputs);
    assert.equal(d.status, 'failed');
    assert.deepEqual(d.status === 'failed' && d.findings.map((f) => f.at), [
      '/paths/~1v2~1documents/get',
      '/components/schemas/Document/properties/name',
    ]);
    const e = check('docs.examples', [doc], outputs);
    assert.equal(e.status, 'failed');
    assert.ok(
      e.status === 'failed' && e.findings.some((f) => f.at === '/paths/~1v2~1documents/post/requestBody/content/application~1json'),
    );
  });

  it('docs.examples: examples on every required property count (FastAPI Field(example=…)); a required one without fails', async () => {
    const documentWith = (priceExample: boolean) => ({
      openapi: '3.0.2',
      info: { title: 'items', version: '1' },
      paths: {
        '/items': {
          post: {
            requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/ItemIn' } } } },
            responses: { '201': { description: 'created' } },
          },
        },
      },
      components: {
        schemas: {
          ItemIn: {
            type: 'object',
            required: ['name', 'price'],
            properties: {
              name: { type: 'string', example: 'hammer' },
              price: { type: 'number', ...(priceExample ? { example: 9.5 } : {}) },
              description: { type: 'string' },
            },
          },
        },
      },
    });
    for (const [withExample, status] of [
      [true, 'passed'],
      [false, 'failed'],
    ] as const) {
      const doc = exchange({
        probe: 'openapi:document',
        path: '/openapi.json',
        body: JSON.stringify(documentWith(withExample)),
        scope: 'docs',
      });
      assert.equal(check('docs.examples', [doc], await docOutputs(doc)).status, status);
    }
  });

  it('are skipped with the reason when no document is served', () => {
    const missing = exchange({
      probe: 'openapi:document',
      path: '/openapi.json',
      status: 404,
      body: problem(404),
      headers: problemHeaders,
      scope: 'docs',
    });
    const out = check('docs.descriptions', [missing], { 'openapi:document': { exchange: missing.id } });
    assert.equal(out.status, 'skipped');
    assert.equal(out.status === 'skipped' && out.reason, 'missing-prerequisite');
  });
});

describe('docs.response-schema', () => {
  it('passes when every response of documented operations matches (health included)', async () => {
    const doc = docExchange();
    const traffic = [
      exchange({
        method: 'GET',
        path: '/v2/documents',
        body: { items: [item], pagination: { cursor: null, has_more: false, limit: 50 }, metadata: { total_count: 1 } },
      }),
      exchange({ method: 'GET', path: `/v2/documents/${ID}`, body: single }),
      exchange({ method: 'GET', path: '/v2/documents/not-a-uuid', status: 404, body: problem(404), headers: problemHeaders }),
      exchange({
        method: 'POST',
        path: '/v2/documents',
        status: 422,
        body: { status: 422, detail: [{ loc: ['body', 'name'], msg: 'required', type: 'missing' }] },
        headers: problemHeaders,
      }),
      exchange({ method: 'DELETE', path: `/v2/documents/${ID}`, status: 204, body: '' }),
      exchange({ method: 'GET', path: '/health', body: { status: 'healthy', timestamp: TIME }, scope: 'health' }),
      exchange({ method: 'GET', path: '/v99/unknown', status: 404, body: problem(404), headers: problemHeaders }),
      exchange({ method: 'OPTIONS', path: '/v2/documents', status: 204, body: '', scope: 'cors' }),
    ];
    const out = check('docs.response-schema', [doc, ...traffic], await docOutputs(doc));
    assert.equal(out.status, 'passed', JSON.stringify(out));
    assert.match(out.status === 'passed' ? out.message : '', /^6 responses to 5 documented operations/);
  });

  it('fails on a body off its schema, naming the instance path and schema location', async () => {
    const doc = docExchange();
    const bad = exchange({
      method: 'GET',
      path: `/v2/documents/${ID}`,
      body: { data: { ...item, is_archived: 'no', created_at: 'yesterday' }, metadata: single.metadata },
    });
    const out = check('docs.response-schema', [doc, bad], await docOutputs(doc));
    assert.equal(out.status, 'failed');
    const findings = out.status === 'failed' ? out.findings : [];
    assert.deepEqual(findings.map((f) => f.at).sort(), ['/data/created_at', '/data/is_archived']);
    assert.ok(findings.every((f) => f.exchanges.includes(bad.id)));
    assert.match(findings[0]!.message, /GET \/v2\/documents\/\{document_id\} → 200: .*schema \/components\/schemas\/Document/);
  });

  it('fails on an undocumented 2xx, an undocumented content type and a body where none is documented', async () => {
    const doc = docExchange();
    const traffic = [
      exchange({ method: 'POST', path: '/v2/documents', status: 200, body: single }),
      exchange({ method: 'GET', path: `/v2/documents/${ID}`, status: 404, body: 'not found', headers: { 'content-type': 'text/plain' } }),
      exchange({ method: 'DELETE', path: `/v2/documents/${ID}`, status: 204, body: 'gone' }),
    ];
    const out = check('docs.response-schema', [doc, ...traffic], await docOutputs(doc));
    assert.equal(out.status, 'failed');
    const messages = out.status === 'failed' ? out.findings.map((f) => f.message).join('\n') : '';
    assert.match(messages, /POST \/v2\/documents answered 200, which it does not document \(documented: 201/);
    assert.match(messages, /content type text\/plain is not documented/);
    assert.match(messages, /describes no body/);
  });

  it('leaves undocumented 4xx to docs.error-statuses, and is skipped without documented traffic', async () => {
    const doc = docExchange(['docs.error-statuses']);
    const notFound = exchange({ method: 'GET', path: `/v2/documents/${ID}`, status: 404, body: problem(404), headers: problemHeaders });
    const outputs = await docOutputs(doc);
    assert.equal(check('docs.response-schema', [doc, notFound], outputs).status, 'skipped');
    const es = check('docs.error-statuses', [doc, notFound], outputs);
    assert.equal(es.status, 'failed');
    assert.match(
      es.status === 'failed' ? es.findings[0]!.message : '',
      /GET \/v2\/documents\/\{document_id\} answered 404, which it does not document/,
    );
  });

  it('validates backend envelopes (3.1) and passes documented 4xx', async () => {
    const doc = docExchange([], 'backend');
    const err = exchange({
      method: 'GET',
      path: `/v1/sessions/${ID}`,
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'm', details: {} } },
    });
    const lower = exchange({
      method: 'GET',
      path: `/v1/sessions/${ID}`,
      status: 404,
      body: { error: { code: 'not_found', message: 'm', details: {} } },
    });
    const outputs = await docOutputs(doc);
    assert.equal(check('docs.response-schema', [doc, err], outputs, 'backend').status, 'passed');
    const out = check('docs.response-schema', [doc, lower], outputs, 'backend');
    assert.equal(out.status, 'failed');
    assert.equal(out.status === 'failed' && out.findings[0]!.at, '/error/code');
    assert.equal(check('docs.error-statuses', [doc, err], outputs, 'backend').status, 'passed');
  });
});
