/**
 * The OpenAPI 3.1 document at /openapi.json and a plain docs page at /docs ("Documentation
 * by Example"), built from the same schemas Fastify validates with (schemas.ts).
 * (@fastify/swagger would generate much of this from route schemas; written out, the
 * example needs no plugin and shows every status the API really answers.)
 */
import * as S from './schemas.ts';

const json = (schema: object, example?: unknown) => ({ 'application/json': { schema, ...(example === undefined ? {} : { example }) } });
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const ERRORS = {
  401: problem('Missing, invalid or expired credential (WWW-Authenticate: Bearer)'),
  403: problem('The credential lacks the permission this operation needs'),
  429: problem('Rate limit exceeded: see Retry-After and `retry_after`'),
};
const RATE_HEADERS = Object.fromEntries(
  ['Limit', 'Remaining', 'Reset', 'Window'].map((h) => [
    `X-RateLimit-${h}`,
    {
      description: {
        Limit: 'Requests allowed per window',
        Remaining: 'Requests left in the window',
        Reset: 'Epoch seconds when a request slot frees',
        Window: 'Window length in seconds',
      }[h],
      schema: { type: 'integer' },
    },
  ]),
);
const ok = (description: string, content: object) => ({ description, headers: RATE_HEADERS, content });
const single = (description: string) => ok(description, json(ref('DocumentResponse')));
const idParam = { name: 'id', in: 'path', required: true, description: 'Document id', schema: S.IdParams.properties.id };

function documentPaths(prefix: string, deprecated: boolean): Record<string, object> {
  const op = (name: string, o: object) => ({
    operationId: `${name}${deprecated ? 'V1' : ''}`,
    tags: ['documents'],
    ...(deprecated ? { deprecated: true } : {}),
    ...o,
  });
  const body = (schema: string, example: unknown) => ({ required: true, content: json(ref(schema), example) });
  return {
    [`${prefix}/documents`]: {
      get: op('listDocuments', {
        summary: 'List documents',
        description: "Documents of the caller's organisation, oldest first. Follow `pagination.cursor` while `has_more` is true.",
        parameters: Object.entries(S.ListQuery.properties).map(([name, schema]) => ({
          name,
          in: 'query',
          required: false,
          description: schema.description,
          schema,
        })),
        responses: {
          200: ok('A page of documents', json(ref('DocumentList'))),
          400: problem('The cursor is not valid'),
          422: problem('`limit` is not an integer from 1 to 100'),
          ...ERRORS,
        },
      }),
      post: op('createDocument', {
        summary: 'Create a document',
        description: 'Members the server owns (id, org_id, timestamps) are ignored.',
        requestBody: body('DocumentInput', S.DocumentInput.examples[0]),
        responses: {
          201: single('The created document'),
          400: problem('The body is not valid JSON'),
          413: problem('The body is over 1 MiB'),
          415: problem('The body is not application/json'),
          422: problem('Validation failed; `detail` lists the fields'),
          ...ERRORS,
        },
      }),
    },
    [`${prefix}/documents/{id}`]: {
      parameters: [idParam],
      get: op('getDocument', {
        summary: 'Read a document',
        description: "Another organisation's documents answer 404.",
        responses: { 200: single('The document'), 404: problem('No such document'), 422: problem('The id is not a UUID'), ...ERRORS },
      }),
      put: op('replaceDocument', {
        summary: 'Replace a document',
        description: 'Full update; idempotent.',
        requestBody: body('DocumentInput', S.DocumentInput.examples[0]),
        responses: {
          200: single('The replaced document'),
          400: problem('The body is not valid JSON'),
          404: problem('No such document'),
          413: problem('The body is over 1 MiB'),
          415: problem('The body is not application/json'),
          422: problem('Validation failed'),
          ...ERRORS,
        },
      }),
      patch: op('updateDocument', {
        summary: 'Update a document',
        description: 'Partial update: only the members sent change.',
        requestBody: body('DocumentPatch', S.DocumentPatch.examples[0]),
        responses: {
          200: single('The updated document'),
          400: problem('The body is not valid JSON'),
          404: problem('No such document'),
          413: problem('The body is over 1 MiB'),
          415: problem('The body is not application/json'),
          422: problem('Validation failed'),
          ...ERRORS,
        },
      }),
      delete: op('deleteDocument', {
        summary: 'Delete a document',
        description: 'Deleting it again answers 404.',
        responses: { 204: { description: 'Deleted' }, 404: problem('No such document'), 422: problem('The id is not a UUID'), ...ERRORS },
      }),
    },
  };
}

export function openApiDocument(options: { deprecatedPrefix: string; sunset: string }): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Documents API',
      version: '2.0.0',
      description:
        'Documents and multi-document chat. Bearer JWT or X-API-Key. Errors are RFC 9457 problem details. ' +
        `The ${options.deprecatedPrefix} prefix is deprecated (Sunset: ${options.sunset}); use /v2.`,
    },
    servers: [{ url: '/', description: 'This server' }],
    security: [{ bearer: [] }, { apiKey: [] }],
    tags: [
      { name: 'documents', description: 'Document storage' },
      { name: 'agents', description: 'AI chat over documents' },
      { name: 'health', description: 'For load balancers' },
    ],
    paths: {
      ...documentPaths('/v2', false),
      ...documentPaths(options.deprecatedPrefix, true),
      '/agents/multi-doc-chat/{id}/stream': {
        parameters: [idParam],
        get: {
          operationId: 'streamChat',
          tags: ['agents'],
          summary: 'Chat about a document (server-sent events)',
          description:
            'Each event is `data: {"type", "content"}`: message_start, content_delta…, message_end (content: the deltas joined).',
          responses: {
            200: {
              description: 'An event stream',
              content: { 'text/event-stream': { schema: { type: 'string', description: 'Server-sent events' } } },
            },
            404: problem('No such document'),
            422: problem('The id is not a UUID'),
            ...ERRORS,
          },
        },
      },
      '/health': {
        get: {
          operationId: 'health',
          tags: ['health'],
          summary: 'Health check',
          description: 'Status of the service and its dependencies; no credentials needed.',
          security: [],
          responses: { 200: { description: 'Healthy or degraded', content: json(ref('Health')) } },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'OAuth 2.0 JWT (user sessions)' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'Organisation API key (server to server)' },
      },
      schemas: {
        DocumentInput: S.DocumentInput,
        DocumentPatch: S.DocumentPatch,
        Document: S.Document,
        ResponseMetadata: S.ResponseMetadata,
        DocumentResponse: {
          type: 'object',
          description: 'A single document with response metadata.',
          required: ['data', 'metadata'],
          properties: {
            data: { ...ref('Document'), description: 'The document' },
            metadata: { ...ref('ResponseMetadata'), description: 'About this response' },
          },
        },
        DocumentList: {
          type: 'object',
          description: 'A page of documents.',
          required: ['items', 'pagination', 'metadata'],
          properties: {
            items: { type: 'array', items: ref('Document'), description: 'Documents on this page' },
            pagination: {
              type: 'object',
              description: 'Where the next page starts',
              required: ['cursor', 'has_more', 'limit'],
              properties: {
                cursor: { type: ['string', 'null'], description: 'Cursor of the next page; null on the last page' },
                has_more: { type: 'boolean', description: 'Whether another page follows' },
                limit: { type: 'integer', description: 'Page size used' },
              },
            },
            metadata: {
              type: 'object',
              description: 'About the whole list',
              required: ['total_count'],
              properties: { total_count: { type: 'integer', description: 'Documents in the collection' } },
            },
          },
        },
        Health: {
          type: 'object',
          description: 'Service health.',
          required: ['status', 'timestamp'],
          properties: {
            status: { type: 'string', enum: ['healthy', 'degraded', 'unhealthy'], description: 'Overall status' },
            timestamp: { type: 'string', format: 'date-time', description: 'Server time (RFC 3339)' },
            services: {
              type: 'object',
              description: 'Dependencies by name',
              additionalProperties: {
                type: 'object',
                required: ['status'],
                properties: {
                  status: { type: 'string', enum: ['healthy', 'degraded', 'unhealthy'], description: 'Dependency status' },
                  response_time_ms: { type: 'integer', description: 'Time the check took' },
                },
              },
            },
          },
        },
        Problem: S.Problem,
        ValidationItem: S.ValidationItem,
      },
    },
  };
}

const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A self-contained page listing the operations (no scripts, so the strict CSP holds). */
export function docsPage(doc: Record<string, unknown>): string {
  const info = doc.info as { title: string; description: string };
  const rows = Object.entries(doc.paths as Record<string, Record<string, { summary?: string; deprecated?: boolean }>>).flatMap(
    ([path, item]) =>
      Object.entries(item)
        .filter(([m]) => m !== 'parameters')
        .map(
          ([method, op]) =>
            `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(op.summary ?? '')}${op.deprecated ? ' (deprecated)' : ''}</td></tr>`,
        ),
  );
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)}</title></head><body>` +
    `<h1>${escapeHtml(info.title)}</h1><p>${escapeHtml(info.description)}</p><p>Machine-readable: <a href="/openapi.json">openapi.json</a> (OpenAPI 3.1).</p>` +
    `<table><thead><tr><th>Method</th><th>Path</th><th>Operation</th></tr></thead><tbody>${rows.join('')}</tbody></table></body></html>`
  );
}
