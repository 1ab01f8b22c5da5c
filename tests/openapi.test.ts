/** The OpenAPI model (matching, refs, 3.0 dialect), bodies, discovery, lint; SSE parser; multipart generator. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openApiDocument } from '../reference/openapi.ts';
import { Ledger, ledgerFile } from '../src/harness/ledger.ts';
import { discover } from '../src/openapi/discover.ts';
import { OpenApiModel } from '../src/openapi/document.ts';
import { missingDescriptions, missingExamples } from '../src/openapi/lint.ts';
import { buildBody } from '../src/openapi/sample.ts';
import { convert30Schema } from '../src/openapi/schema.ts';
import { validateDocument } from '../src/openapi/validate.ts';
import { multipartBody } from '../src/http/multipart.ts';
import { parseSse, SseParser } from '../src/http/sse.ts';
import { target } from './support/exchanges.ts';
import { tempDir } from './support/harness.ts';

let n = 0;
const model = (doc: Record<string, unknown>): OpenApiModel => new OpenApiModel(doc, `test-${n++}`);
const reference = (profile: 'platform' | 'backend', faults: string[] = []): OpenApiModel =>
  model(openApiDocument(profile, new Set(faults), `/${profile}`));

describe('OpenAPI model', () => {
  it('matches method + path template; concrete segments win over templated ones', () => {
    const m = model({
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {
        '/v1/items/{id}': { get: { responses: { 200: { description: 'x' } } } },
        '/v1/items/search': { get: { responses: { 200: { description: 'x' } } } },
        '/v1/items/export': { post: { responses: { 200: { description: 'x' } } } },
        '/v1/items/{id}/files/{name}.json': { get: { responses: { 200: { description: 'x' } } } },
      },
    });
    assert.equal(m.match('GET', '/v1/items/search')?.path, '/v1/items/search');
    assert.equal(m.match('GET', '/v1/items/123')?.path, '/v1/items/{id}');
    assert.equal(m.match('get', '/v1/items/%C3%BC')?.path, '/v1/items/{id}');
    assert.equal(m.match('GET', '/v1/items/1/files/a.json')?.path, '/v1/items/{id}/files/{name}.json');
    assert.equal(m.match('DELETE', '/v1/items/123'), undefined, 'an undocumented method is no operation');
    assert.equal(m.match('GET', '/v1/items/export')?.path, '/v1/items/{id}', 'a concrete path without the method gives way');
    assert.equal(m.match('GET', '/v1/items/a/b'), undefined, 'a parameter spans one segment');
  });

  it('matches paths relative to a server URL path too', () => {
    const m = model({
      openapi: '3.1.0',
      servers: [{ url: 'https://api.example.com/api' }],
      paths: { '/things': { get: { responses: {} } } },
    });
    assert.equal(m.match('GET', '/api/things', '/api/things')?.path, '/things');
  });

  it('finds the documented response: exact status, then range, then default; follows $refs', () => {
    const doc = reference('platform');
    const get = doc.match('GET', '/v2/documents/3fa85f64-5717-4562-b3fc-2c963f66afa6')!;
    assert.equal(doc.response(get, 404)?.pointer, '/components/responses/NotFound');
    assert.equal(doc.response(get, 418), undefined);
    const m = model({
      openapi: '3.1.0',
      paths: {
        '/x': { get: { responses: { 200: { description: 'ok' }, '4XX': { description: 'client' }, default: { description: 'other' } } } },
      },
    });
    const op = m.match('GET', '/x')!;
    assert.equal(m.response(op, 404)?.key, '4XX');
    assert.equal(m.response(op, 503)?.key, 'default');
  });

  it('validates 3.1 responses with $refs and oneOf, reporting instance paths', () => {
    const m = reference('platform');
    const list = m.match('GET', '/v2/documents')!;
    const pointer = `${m.response(list, 200)!.pointer}/content/application~1json/schema`;
    const ok = { items: [], pagination: { cursor: null, has_more: false, limit: 50 }, metadata: { total_count: 0 } };
    assert.deepEqual(m.validate(pointer, ok), { ok: true, errors: [] });
    const bad = m.validate(pointer, { items: [{ id: 'nope' }], pagination: { cursor: 3, has_more: 'no', limit: 50 } });
    assert.ok(bad.ok);
    const paths = bad.errors.map((e) => e.instancePath);
    assert.ok(paths.includes('/items/0/id'), `uuid format: ${paths}`);
    assert.ok(paths.includes('/pagination/cursor'));
    assert.ok(paths.includes('/pagination/has_more'));
    const problem = m.validate('/components/schemas/Problem', { status: 422, detail: [{ loc: ['body', 'name'], msg: 'm', type: 't' }] });
    assert.deepEqual(problem.ok && problem.errors, []);
    const wrong = m.validate('/components/schemas/Problem', { status: 422, detail: 42 });
    assert.ok(wrong.ok && wrong.errors.some((e) => e.instancePath === '/detail'));
  });

  it('translates the OpenAPI 3.0 dialect: nullable, boolean exclusive bounds, $ref siblings', () => {
    assert.deepEqual(convert30Schema({ type: 'string', nullable: true, enum: ['a'] }), { type: ['string', 'null'], enum: ['a', null] });
    assert.deepEqual(convert30Schema({ type: 'integer', minimum: 0, exclusiveMinimum: true }), { type: 'integer', exclusiveMinimum: 0 });
    assert.deepEqual(convert30Schema({ $ref: '#/components/schemas/A', description: 'ignored' }), { $ref: '#/components/schemas/A' });
    assert.deepEqual(convert30Schema({ $ref: '#/components/schemas/A', nullable: true }), {
      anyOf: [{ $ref: '#/components/schemas/A' }, { type: 'null' }],
    });
    const m = model({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {
        '/a': {
          get: {
            responses: { 200: { description: 'x', content: { 'application/json': { schema: { $ref: '#/components/schemas/A' } } } } },
          },
        },
      },
      components: {
        schemas: {
          A: {
            type: 'object',
            required: ['n'],
            properties: {
              n: { type: 'integer', nullable: true, minimum: 0, exclusiveMinimum: true },
              c: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
            },
          },
        },
      },
    });
    const pointer = '/components/schemas/A';
    assert.deepEqual(m.validate(pointer, { n: null }), { ok: true, errors: [] });
    assert.deepEqual(m.validate(pointer, { n: 1, c: 'x' }), { ok: true, errors: [] });
    const bad = m.validate(pointer, { n: 0, c: true });
    assert.ok(bad.ok && bad.errors.some((e) => e.instancePath === '/n' && e.keyword === 'exclusiveMinimum'));
    assert.ok(bad.ok && bad.errors.some((e) => e.instancePath === '/c'));
  });

  it('reports a schema that does not compile instead of throwing', () => {
    const m = model({ openapi: '3.1.0', paths: {}, components: { schemas: { A: { type: 'string', pattern: '([' } } } });
    const r = m.validate('/components/schemas/A', 'x');
    assert.equal(r.ok, false);
  });
});

describe('request bodies from the document', () => {
  it('prefers the media example, else builds the smallest valid instance', () => {
    const m = reference('platform');
    const create = m.match('POST', '/v2/documents')!;
    const body = m.jsonRequestBody(create)!;
    const built = buildBody(m, body.media, body.pointer);
    assert.ok('body' in built);
    assert.equal(built.source, 'media example');
    const bare = reference('platform', ['docs.examples']);
    const b2 = bare.jsonRequestBody(bare.match('POST', '/v2/documents')!)!;
    const smallest = buildBody(bare, b2.media, b2.pointer);
    assert.ok('body' in smallest);
    assert.equal(smallest.source, 'smallest valid instance');
    assert.deepEqual(Object.keys(smallest.body), ['name']);
    assert.equal(typeof smallest.body.name, 'string');
  });

  it('skips an example that does not satisfy its own schema', () => {
    const m = model({
      openapi: '3.1.0',
      paths: {
        '/x': {
          post: {
            requestBody: {
              content: {
                'application/json': {
                  example: { name: '' },
                  schema: {
                    type: 'object',
                    required: ['name', 'size'],
                    properties: { name: { type: 'string', minLength: 3 }, size: { type: 'integer', minimum: 5, multipleOf: 5 } },
                  },
                },
              },
            },
            responses: {},
          },
        },
      },
    });
    const body = m.jsonRequestBody(m.match('POST', '/x')!)!;
    const built = buildBody(m, body.media, body.pointer);
    assert.ok('body' in built, JSON.stringify(built));
    assert.equal(built.source, 'smallest valid instance');
    assert.equal(built.body.size, 5);
  });
});

describe('discovery', () => {
  it('finds the platform documents resource, its upload and stream; lists what it does not probe', () => {
    const report = discover(reference('platform'), target('platform'), '/openapi.json');
    assert.deepEqual(
      report.resources.map((r) => [r.name, r.collection, r.item, r.requiresAuth]),
      [['documents', '/v2/documents', '/v2/documents/{id}', true]],
    );
    const r = report.resources[0]!;
    assert.ok(r.create && r.update && r.invalid);
    assert.equal(r.invalid!.name, '');
    assert.deepEqual(
      report.uploads.map((u) => [u.path, u.field, u.maxBytes, u.allowedTypes.length]),
      [['/docs/documents', 'file', 100_000_000, 7]],
    );
    assert.deepEqual(report.streams, [{ path: '/agents/multi-doc-chat/{id}/stream', resource: 'documents' }]);
    const notProbed = Object.fromEntries(report.notProbed.map((o) => [o.operation, o.reason]));
    assert.match(notProbed['GET /v1/documents']!, /deprecated/);
    assert.match(notProbed['PATCH /v2/documents/{document_id}']!, /PUT/);
    assert.equal(notProbed['GET /health'], undefined, 'health is probed by its own key');
  });

  it('finds the backend sessions resource and the recording upload', () => {
    const report = discover(reference('backend'), target('backend'), '/openapi.json');
    assert.deepEqual(
      report.resources.map((r) => r.name),
      ['sessions'],
    );
    assert.deepEqual(report.uploads, [
      {
        path: '/v1/sessions/{id}/recording',
        resource: 'sessions',
        field: 'file',
        maxBytes: 10_000_000,
        allowedTypes: ['application/json'],
      },
    ]);
  });

  it('says why an upload without a stated limit and a nested collection are not probed', () => {
    const m = model({
      openapi: '3.1.0',
      paths: {
        '/v1/things': {
          get: { responses: {} },
          post: { requestBody: { content: { 'application/json': { schema: { type: 'object' } } } }, responses: {} },
        },
        '/v1/things/{id}': { get: { responses: {} } },
        '/v1/things/{id}/parts': { get: { responses: {} }, post: { responses: {} } },
        '/v1/things/{id}/file': {
          post: {
            requestBody: {
              content: {
                'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } },
              },
            },
            responses: {},
          },
        },
      },
    });
    const report = discover(m, target('backend'), '/openapi.json');
    assert.deepEqual(
      report.resources.map((r) => r.name),
      ['things'],
    );
    assert.equal(report.resources[0]!.requiresAuth, false, 'no security requirement: public');
    const reasons = Object.fromEntries(report.notProbed.map((o) => [o.operation, o.reason]));
    assert.match(reasons['POST /v1/things/{id}/file']!, /limit/);
    assert.match(reasons['GET /v1/things/{id}/parts']!, /below an item/);
  });
});

describe('cleanup of discovered resources', () => {
  it("a dead worker's ledger of a discovered resource reloads without targets.yaml knowing the resource", () => {
    const [resource] = discover(reference('backend'), target('backend'), '/openapi.json').resources;
    const file = ledgerFile(tempDir('ledger'), 't');
    new Ledger(file).created(resource!, 'abc');
    const reloaded = Ledger.load(file, target('backend')).items();
    assert.deepEqual(
      reloaded.map((i) => [i.resource.name, i.resource.item, i.id]),
      [['sessions', '/v1/sessions/{id}', 'abc']],
    );
  });
});

describe('document lint', () => {
  it('the reference documents are valid OpenAPI 3.1, described, with examples', async () => {
    for (const profile of ['platform', 'backend'] as const) {
      const doc = openApiDocument(profile, new Set(), `/${profile}`);
      const v = await validateDocument(doc);
      assert.deepEqual(v.errors, [], profile);
      assert.equal(v.version, '3.1');
      const m = model(doc);
      assert.deepEqual(missingDescriptions(m), [], profile);
      assert.deepEqual(missingExamples(m).gaps, [], profile);
    }
  });

  it('names each gap by its JSON pointer', () => {
    const m = reference('backend', ['docs.descriptions', 'docs.examples']);
    assert.deepEqual(
      missingDescriptions(m).map((g) => g.pointer),
      ['/paths/~1v1~1sessions/get', '/components/schemas/Session/properties/name'],
    );
    assert.deepEqual(
      missingExamples(m).gaps.map((g) => g.pointer),
      [
        '/paths/~1v1~1sessions/post/requestBody/content/application~1json',
        '/paths/~1v1~1sessions~1{session_id}/put/requestBody/content/application~1json',
        '/paths/~1v1~1sessions~1{session_id}/patch/requestBody/content/application~1json',
        // The deprecated /v0 serves the same operations, and lacks the same examples.
        '/paths/~1v0~1sessions/post/requestBody/content/application~1json',
        '/paths/~1v0~1sessions~1{session_id}/put/requestBody/content/application~1json',
        '/paths/~1v0~1sessions~1{session_id}/patch/requestBody/content/application~1json',
      ],
    );
  });

  it('the validator reports where an invalid document is wrong, and unresolvable refs', async () => {
    const missingInfo = await validateDocument({ openapi: '3.1.0', paths: {} });
    assert.equal(missingInfo.valid, false);
    assert.ok(missingInfo.errors.some((e) => e.instancePath === '' && /info/.test(e.message)));
    const badRef = await validateDocument({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: { '/x': { get: { responses: { 200: { $ref: '#/components/responses/Nope' } } } } },
    });
    assert.equal(badRef.valid, false);
    const swagger = await validateDocument({ swagger: '2.0', info: { title: 't', version: '1' }, paths: {} });
    assert.equal(swagger.version, '2.0');
  });
});

describe('SSE parser', () => {
  const stream = ': comment\r\nretry: 2500\r\nid: 7\r\nevent: note\r\ndata: {"a":\r\ndata: 1}\r\n\r\ndata\n\ndata:x\rid: a\0b\r\r';
  it('parses fields, comments, multi-line data and all three line ends', () => {
    const events = parseSse(`\ufeff${stream}`);
    assert.deepEqual(
      events.map((e) => [e.type, e.data, e.lastEventId]),
      [
        ['note', '{"a":\n1}', '7'],
        ['message', '', '7'],
        ['message', 'x', '7'],
      ],
    );
  });
  it('gives the same events whatever the chunking (CRLF split across chunks)', () => {
    const whole = parseSse(stream);
    for (let size = 1; size < 8; size++) {
      const parser = new SseParser();
      const events = [];
      const bytes = Buffer.from(stream);
      for (let i = 0; i < bytes.length; i += size) events.push(...parser.push(bytes.subarray(i, i + size)));
      events.push(...parser.end());
      assert.deepEqual(events, whole, `chunks of ${size}`);
      assert.equal(parser.retryMs, 2500);
      assert.equal(parser.comments, 1);
    }
  });
  it('drops an event that no blank line ends', () => {
    assert.deepEqual(parseSse('data: a\n\ndata: b'), [{ index: 0, type: 'message', data: 'a', lastEventId: '' }]);
  });
});

describe('multipart generator', () => {
  it('produces exactly the announced bytes, in bounded chunks, with head and tail', async () => {
    const body = multipartBody({
      field: 'file',
      filename: 'f.json',
      contentType: 'application/json',
      bytes: 200_001,
      head: '{"p":"',
      tail: '"}',
    });
    const chunks: Uint8Array[] = [];
    for await (const c of body.body) chunks.push(c);
    const all = Buffer.concat(chunks);
    assert.equal(all.length, body.bytes);
    assert.ok(Math.max(...chunks.map((c) => c.length)) <= 64 * 1024);
    const text = all.toString('latin1');
    const boundary = /boundary=(.+)$/.exec(body.contentType)![1]!;
    assert.ok(
      text.startsWith(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f.json"\r\nContent-Type: application/json\r\n\r\n{"p":"xxx`,
      ),
    );
    assert.ok(text.endsWith(`xx"}\r\n--${boundary}--\r\n`));
    const content = text.slice(text.indexOf('\r\n\r\n') + 4, text.lastIndexOf(`\r\n--${boundary}--`));
    assert.equal(content.length, 200_001);
  });
});
