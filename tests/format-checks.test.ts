import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBooleanPrefix as booleanPrefix } from '../src/rules/format/boolean-prefix.ts';
import { fieldsOf } from '../src/rules/format/fields.ts';
import { formatJsonContentType as jsonContentType } from '../src/rules/format/json-content-type.ts';
import { formatResponseEnvelope as responseEnvelope } from '../src/rules/format/response-envelope.ts';
import { formatSnakeCase as snakeCase } from '../src/rules/format/snake-case.ts';
import { isRfc3339, formatTimestamps as timestamps } from '../src/rules/format/timestamps.ts';
import { formatUuidIds as uuidIds } from '../src/rules/format/uuid-ids.ts';
import { openApiDocument } from '../src/rules/openapi-lookup.ts';
import type { Outcome } from '../src/rules/types.ts';
import { context, exchange, recording } from './support/exchanges.ts';

const RESOURCES = `    resources:\n      - name: documents\n        collection: /v2/documents\n        item: /v2/documents/{id}\n        create: { name: x }\n`;
const platform = context('platform', RESOURCES);
const backend = context('backend');
const findings = (o: Outcome) => (o.status === 'failed' ? o.findings : []);
const UUID1 = '550e8400-e29b-41d4-a716-446655440000';

describe('format checks', () => {
  it('snake-case: names the JSON path and collapses repeats of one field with a count', () => {
    const list = exchange({
      body: {
        items: [
          { id: UUID1, createdAt: 'x' },
          { id: UUID1, createdAt: 'y' },
          { id: UUID1, createdAt: 'z' },
          { id: UUID1, createdAt: 'w' },
        ],
      },
    });
    const one = exchange({ path: '/v2/documents/1', body: { data: { displayName: 'x', name: 'ok' } } });
    const out = snakeCase.check(recording([list, one]), platform);
    assert.equal(out.status, 'failed');
    const [first, second] = findings(out);
    assert.equal(first!.at, '$.items[0].createdAt');
    assert.equal(first!.count, 4);
    assert.match(first!.message, /`createdAt` is not snake_case/);
    assert.equal(second!.at, '$.data.displayName');
    assert.equal(
      snakeCase.check(recording([exchange({ body: { items: [{ created_at: 'x', has_more: true, id2: 1 }] } })]), platform).status,
      'passed',
    );
  });

  it('snake-case: skips the free-form maps of SPEC §8', () => {
    const bodies = [
      exchange({ body: { data: { name: 'x', metadata: { someKey: 1, Nested: { A: 1 } } } } }),
      exchange({ status: 404, body: { status: 404, context: { resourceType: 'doc' } } }),
      exchange({ status: 404, body: { error: { code: 'X', message: 'm', details: { sessionId: 'a' } } } }),
      exchange({
        status: 422,
        body: { status: 422, detail: [{ loc: ['body'], msg: 'm', type: 't', input: { userField: 1 }, ctx: { limitValue: 2 } }] },
      }),
      exchange({
        scope: 'health',
        path: '/health',
        body: {
          status: 'healthy',
          timestamp: '2024-01-01T00:00:00Z',
          services: { RedisCache: { status: 'healthy', response_time_ms: 1 } },
        },
      }),
    ];
    assert.equal(snakeCase.check(recording(bodies), platform).status, 'passed');
    const inner = exchange({ scope: 'health', path: '/health', body: { status: 'healthy', services: { db: { responseTime: 1 } } } });
    const out = snakeCase.check(recording([inner]), platform);
    assert.equal(findings(out)[0]!.at, '$.services.db.responseTime', 'service names are data, their members are fields');
  });

  it('snake-case: an object the OpenAPI document declares with only additionalProperties is free-form', () => {
    const doc = exchange({
      scope: 'docs',
      path: '/openapi.json',
      body: {
        openapi: '3.1.0',
        paths: {
          '/v2/documents/{id}': {
            get: { responses: { 200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Doc' } } } } } },
          },
        },
        components: {
          schemas: {
            Doc: {
              type: 'object',
              properties: {
                labels: { type: 'object', additionalProperties: { type: 'string' } },
                attrs: { anyOf: [{ type: 'object', additionalProperties: true }, { type: 'null' }] },
              },
            },
          },
        },
      },
    });
    const body = exchange({
      path: '/v2/documents/abc',
      body: { labels: { CamelLabel: 'v' }, attrs: { AnyThing: { deep: 1 } }, badName: 1 },
    });
    const rec = recording([doc, body], { 'openapi:document': { exchange: doc.id } });
    const out = snakeCase.check(rec, platform);
    assert.deepEqual(
      findings(out).map((f) => f.at),
      ['$.badName'],
    );
    assert.deepEqual(
      fieldsOf(body, openApiDocument(rec, platform.target)).map((f) => f.generic),
      ['$.labels', '$.attrs', '$.badName'],
    );
  });

  it('timestamps: *_at and the health timestamp must be RFC 3339 with an offset; null is allowed', () => {
    assert.ok(
      isRfc3339('2024-01-15T10:30:00Z') &&
        isRfc3339('2024-01-15T10:30:00.123+05:30') &&
        !isRfc3339('2024-02-30T10:30:00Z') &&
        !isRfc3339('2024-01-15 10:30:00Z'),
    );
    const ok = exchange({ body: { created_at: '2024-01-15T10:30:00Z', deleted_at: null, metadata: { seen_at: 'whenever' } } });
    assert.equal(timestamps.check(recording([ok]), platform).status, 'passed');
    const naive = exchange({ body: { items: [{ updated_at: '2024-01-15T10:30:00.123' }, { updated_at: '2024-01-15T10:30:00' }] } });
    const health = exchange({ scope: 'health', path: '/health', body: { status: 'healthy', timestamp: 1700000000 } });
    const out = timestamps.check(recording([naive, health]), backend);
    assert.deepEqual(
      findings(out).map((f) => [f.at, f.count]),
      [
        ['$.items[0].updated_at', 2],
        ['$.timestamp', undefined],
      ],
    );
    assert.match(findings(out)[0]!.message, /without a time-zone offset/);
    assert.equal(timestamps.check(recording([exchange({ body: { name: 'x' } })]), platform).status, 'skipped');
  });

  it('boolean-prefix: booleans need is_/has_', () => {
    assert.equal(
      booleanPrefix.check(recording([exchange({ body: { is_archived: false, has_more: true, count: 1 } })]), platform).status,
      'passed',
    );
    const out = booleanPrefix.check(recording([exchange({ body: { data: { archived: true } } })]), platform);
    assert.equal(findings(out)[0]!.at, '$.data.archived');
  });

  it('uuid-ids: fields named id hold UUIDs', () => {
    assert.equal(uuidIds.check(recording([exchange({ body: { id: UUID1.toUpperCase(), org_id: 'org-a' } })]), backend).status, 'passed');
    const out = uuidIds.check(recording([exchange({ body: { id: 42, organization: { id: 'org-a' } } })]), backend);
    assert.deepEqual(
      findings(out).map((f) => f.at),
      ['$.id', '$.organization.id'],
    );
  });

  it("json-content-type: 2xx JSON must say JSON; error bodies are errors.content-type's", () => {
    const good = exchange({ body: { a: 1 }, headers: { 'content-type': 'application/json; charset=utf-8' } });
    const vendor = exchange({ body: { a: 1 }, headers: { 'content-type': 'application/vnd.api+json' } });
    const errorText = exchange({ status: 404, body: '{"status":404}', headers: { 'content-type': 'text/plain' } });
    assert.equal(jsonContentType.check(recording([good, vendor, errorText]), platform).status, 'passed');
    const text = exchange({ body: '{"a":1}', headers: { 'content-type': 'text/plain' } });
    const lying = exchange({ body: 'not json', headers: { 'content-type': 'application/json' } });
    const out = jsonContentType.check(recording([good, text, lying]), platform);
    assert.deepEqual(
      findings(out).map((f) => f.at),
      ['Content-Type', 'body'],
    );
    assert.equal(jsonContentType.check(recording([errorText]), platform).status, 'skipped');
  });

  it('response-envelope: item and create bodies need {data, metadata{…}}; lists and errors are not judged', () => {
    const meta = { request_id: 'r', timestamp: '2024-01-01T00:00:00Z', processing_time_ms: 3 };
    const created = exchange({ method: 'POST', status: 201, body: { data: { id: 'a' }, metadata: meta } });
    const read = exchange({ path: '/v2/documents/a', body: { data: { id: 'a' }, metadata: meta } });
    const list = exchange({ body: { items: [] } });
    const error = exchange({ path: '/v2/documents/b', status: 404, body: { status: 404 } });
    assert.equal(responseEnvelope.check(recording([created, read, list, error]), platform).status, 'passed');
    const bare = exchange({ path: '/v2/documents/a', method: 'PUT', body: { data: { id: 'a' }, metadata: { request_id: 'r' } } });
    const out = responseEnvelope.check(recording([bare]), platform);
    assert.deepEqual(
      findings(out)
        .map((f) => f.at)
        .sort(),
      ['$.metadata', '$.metadata'],
    );
    assert.equal(responseEnvelope.check(recording([list]), platform).status, 'skipped');
  });
});
