/**
 * The OpenAPI 3.1 document the reference serves at /openapi.json, per profile, and the docs
 * UI at /docs. It describes exactly what the reference serves: every operation with each
 * status it really answers, schemas for items, lists and errors (problem+json on platform,
 * the error envelope on backend), uploads and the event stream, with descriptions and
 * examples — so the docs.* rules pass and discovery finds the resources.
 *
 * Under a fault the document describes the faulty service (a fault changes one behaviour,
 * and the document follows, so that only the fault's own rule fails): see `variantOf`.
 */
import { componentSchemas, DOCUMENT_TYPE_LIST, ref, type SchemaVariant } from './openapi-schemas.ts';
import { RESOURCE } from './resources.ts';
import { STREAM_PREFIX } from './streams.ts';
import { UPLOADS } from './uploads.ts';
import type { Profile } from '../src/spec/vocabulary.ts';

type Obj = Record<string, unknown>;

/**
 * Faults whose effect on responses the document reflects exactly. Under any other fault the
 * document keeps its operations and statuses but pins response bodies loosely ('2XX', 'default',
 * schemas `{}`), so that a fault of another area does not also fail docs.response-schema.
 * A fault that wants the strict document lists itself here and bends `variantOf`.
 */
const DOCUMENTED_FAULTS: ReadonlySet<string> = new Set([
  'status.create-201',
  'status.read-200',
  'status.update-200',
  'status.delete-204',
  'status.not-found-404',
  'status.unknown-route-404',
  'status.validation-422',
  'status.malformed-body-400',
  'status.method-not-allowed-405',
  'status.no-server-errors',
  'errors.shape',
  'errors.status-matches',
  'errors.problem-members',
  'errors.content-type',
  'errors.validation-details',
  'errors.code-format',
  'errors.no-internal-leak',
  'docs.openapi',
  'docs.descriptions',
  'docs.examples',
  'docs.response-schema',
  'docs.error-statuses',
  'uploads.too-large',
  'uploads.content-type',
  'streaming.sse',
]);

interface Variant extends SchemaVariant {
  readonly profile: Profile;
  readonly status: {
    readonly create: number;
    readonly read: number;
    readonly update: number;
    readonly validation: number;
    readonly malformed: number;
  };
  readonly deleteWithBody: boolean;
  readonly notFoundAlso400: boolean;
  /** Media type of error bodies. */
  readonly errorMedia: string;
  /** docs.openapi fault: the document is not valid OpenAPI. */
  readonly invalid: boolean;
  /** docs.descriptions fault: an operation without summary or description. */
  readonly undescribedOperation: boolean;
  /** docs.error-statuses fault: reading an item does not document its 404. */
  readonly undocumented404: boolean;
  readonly lenient: boolean;
}

function variantOf(profile: Profile, faults: ReadonlySet<string>): Variant {
  const f = (rule: string): boolean => faults.has(rule);
  return {
    profile,
    status: {
      create: f('status.create-201') ? 200 : 201,
      read: f('status.read-200') ? 203 : 200,
      update: f('status.update-200') ? 202 : 200,
      validation: f('status.validation-422') ? 400 : 422,
      malformed: f('status.malformed-body-400') ? 415 : 400,
    },
    deleteWithBody: f('status.delete-204'),
    notFoundAlso400: f('status.not-found-404'),
    errorMedia: f('errors.content-type') ? 'text/plain' : profile === 'platform' ? 'application/problem+json' : 'application/json',
    bareNotFound: f('errors.shape'),
    validationDetailString: f('errors.validation-details'),
    lowerCaseCodes: f('errors.code-format'),
    invalid: f('docs.openapi'),
    undescribed: f('docs.descriptions'),
    undescribedOperation: f('docs.descriptions'),
    noExamples: f('docs.examples'),
    phantomRequired: f('docs.response-schema'),
    undocumented404: f('docs.error-statuses'),
    lenient: [...faults].some((fault) => !DOCUMENTED_FAULTS.has(fault)),
  };
}

const headers = (...names: string[]): Obj => Object.fromEntries(names.map((n) => [n, { $ref: `#/components/headers/${n}` }]));
const RATE_HEADERS = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'X-RateLimit-Window'];
const DEPRECATION_HEADERS = ['Deprecation', 'Sunset', 'Link'];

function success(description: string, schema: Obj, extraHeaders: readonly string[] = []): Obj {
  return {
    description,
    headers: headers('X-Request-ID', ...RATE_HEADERS, ...extraHeaders),
    content: { 'application/json': { schema } },
  };
}

const errorRef = (name: string): Obj => ({ $ref: `#/components/responses/${name}` });

/** Error responses shared by operations (components.responses). */
function errorResponses(v: Variant): Record<string, Obj> {
  const platform = v.profile === 'platform';
  const body = (status: number, title: string, code: string, message: string, extra: Obj = {}): Obj =>
    platform
      ? { type: 'about:blank', title, status, detail: message, instance: '/platform/v2/documents', ...extra }
      : { error: { code, message, details: {}, ...extra } };
  const content = (schema: string, example: Obj): Obj => {
    if (v.errorMedia === 'text/plain') return { 'text/plain': { schema: { type: 'string', description: 'The error, as text.' } } };
    return { [v.errorMedia]: { schema: ref(platform ? schema : 'ErrorEnvelope'), example } };
  };
  const issue = { loc: ['body', 'name'], msg: 'field required', type: 'value_error.missing' };
  const validationExample = platform
    ? { type: 'about:blank', title: 'Unprocessable Entity', status: 422, detail: [issue], instance: '/platform/v2/documents' }
    : { error: { code: 'VALIDATION_FAILED', message: 'Request validation failed', details: { fields: [issue] } } };
  return {
    Unauthorized: {
      description: 'Credentials are missing, malformed, expired or not valid.',
      headers: headers('X-Request-ID', 'WWW-Authenticate'),
      content: content('Problem', body(401, 'Unauthorized', 'INVALID_TOKEN', 'Invalid credentials: token expired')),
    },
    Forbidden: {
      description: 'The credential is valid but may not write.',
      headers: headers('X-Request-ID'),
      content: content('Problem', body(403, 'Forbidden', 'INSUFFICIENT_SCOPE', 'This credential may not write')),
    },
    NotFound: {
      description: "No item with this id exists for the caller's organisation.",
      headers: headers('X-Request-ID'),
      content: v.bareNotFound
        ? { 'application/json': { schema: ref('NotFoundMessage'), example: { message: 'Item 123 not found' } } }
        : content(
            'Problem',
            body(404, 'Not Found', 'RESOURCE_NOT_FOUND', 'Item 123 not found', platform ? { context: { resource_id: '123' } } : {}),
          ),
    },
    MalformedBody: {
      description: 'The body is not valid JSON.',
      headers: headers('X-Request-ID'),
      content: content('Problem', body(400, 'Bad Request', 'MALFORMED_JSON', 'Request body is not valid JSON')),
    },
    ValidationFailed: {
      description: 'A field or query parameter failed validation; the body names each offending field.',
      headers: headers('X-Request-ID'),
      content: content('ValidationProblem', validationExample),
    },
    TooManyRequests: {
      description: 'The rate limit of the window is spent; retry after Retry-After seconds.',
      headers: headers('X-Request-ID', 'Retry-After', ...RATE_HEADERS),
      content: content(
        'RateLimitProblem',
        body(429, 'Too Many Requests', 'RATE_LIMITED', 'Rate limit exceeded. Try again in 30 seconds.', { retry_after: 30 }),
      ),
    },
    TooLarge: {
      description: 'The file is larger than the limit; answered as soon as that is known, then the connection closes.',
      headers: headers('X-Request-ID'),
      content: content('Problem', body(413, 'Content Too Large', 'FILE_TOO_LARGE', 'The file is larger than the limit')),
    },
    UnsupportedType: {
      description: "The body is not multipart/form-data, or the file's type is not accepted.",
      headers: headers('X-Request-ID'),
      content: content(
        'Problem',
        body(415, 'Unsupported Media Type', 'UNSUPPORTED_FILE_TYPE', 'Files of type text/x-shellscript are not accepted'),
      ),
    },
    MalformedMultipart: {
      description: 'The multipart body could not be read.',
      headers: headers('X-Request-ID'),
      content: content('Problem', body(400, 'Bad Request', 'MALFORMED_MULTIPART', 'The multipart body could not be read')),
    },
    ...(v.notFoundAlso400
      ? {
          UnknownId: {
            description: 'No item with this id was ever known (the status.not-found-404 fault).',
            headers: headers('X-Request-ID'),
            content: content('Problem', body(400, 'Bad Request', 'BAD_REQUEST', 'Unknown item')),
          },
        }
      : {}),
    ...(v.profile === 'backend'
      ? {
          NotReady: {
            description: 'A dependency does not answer.',
            headers: headers('X-Request-ID'),
            content: content('Problem', body(503, 'Service Unavailable', 'NOT_READY', 'Not ready')),
          },
        }
      : {}),
  };
}

/** Statuses an operation answers → response objects; merges two statuses that coincide under a fault. */
function responses(entries: readonly [number | string, Obj][]): Obj {
  const out: Obj = {};
  for (const [status, response] of entries) out[String(status)] ??= response;
  return out;
}

function requestBody(schema: string, description: string, example: Obj | undefined): Obj {
  return {
    required: true,
    description,
    content: { 'application/json': { schema: ref(schema), ...(example ? { example } : {}) } },
  };
}

function resourcePaths(v: Variant, collection: string, deprecated: boolean): Obj {
  const platform = v.profile === 'platform';
  const noun = platform ? 'document' : 'session';
  const Noun = platform ? 'Document' : 'Session';
  const param = `${noun}_id`;
  const single = platform ? ref('DocumentResponse') : ref('Session');
  const page = ref(platform ? 'DocumentList' : 'SessionPage');
  const extra = deprecated ? DEPRECATION_HEADERS : [];
  const suffix = deprecated ? '_v1' : '';
  const tag = platform ? 'documents' : 'sessions';
  const old = deprecated ? { deprecated: true } : {};
  const oldNote = deprecated ? ` Deprecated: use ${RESOURCE[v.profile].collection} (answers carry Deprecation and Sunset).` : '';
  const err = (name: string): Obj => errorRef(name);
  const createExample = v.noExamples
    ? undefined
    : platform
      ? { name: 'Q3 board memo', metadata: { source: 'upload' } }
      : { name: 'nginx-deployment', metadata: { team: 'platform' } };
  const updateExample = v.noExamples
    ? undefined
    : platform
      ? { name: 'Q3 board memo (final)', metadata: {} }
      : { name: 'nginx-deployment-v2', metadata: {} };
  const listParams = platform
    ? [
        {
          name: 'cursor',
          in: 'query',
          required: false,
          description: 'Cursor of the page to read, from `pagination.cursor` of the previous page.',
          schema: { type: 'string' },
        },
        {
          name: 'limit',
          in: 'query',
          required: false,
          description: 'Page size, 1 to 100.',
          schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
        },
      ]
    : [
        {
          name: 'page',
          in: 'query',
          required: false,
          description: 'Page number, from 1.',
          schema: { type: 'integer', minimum: 1, default: 1 },
        },
        {
          name: 'page_size',
          in: 'query',
          required: false,
          description: 'Page size, 1 to 100.',
          schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
        },
      ];
  const notFound400: [number, Obj][] = v.notFoundAlso400 ? [[400, err('UnknownId')]] : [];
  const itemOk = (description: string, status: number): [number, Obj] => [status, success(description, single, extra)];
  const describeOp = (summary: string, description: string): Obj =>
    v.undescribedOperation && !deprecated && summary.startsWith('List') ? {} : { summary, description: description + oldNote };
  const update = (method: 'put' | 'patch'): Obj => ({
    ...describeOp(
      method === 'put' ? `Replace a ${noun}` : `Update a ${noun}`,
      method === 'put'
        ? `Replaces the ${noun}'s name and metadata; read-only fields sent are ignored.`
        : `Same as PUT: the body carries every writable field.`,
    ),
    operationId: `${method === 'put' ? 'replace' : 'update'}_${noun}${suffix}`,
    tags: [tag],
    ...old,
    requestBody: requestBody(`${Noun}Update`, `The new ${noun}.`, updateExample),
    responses: responses([
      itemOk(`The ${noun} as stored.`, v.status.update),
      [v.status.malformed, err('MalformedBody')],
      [401, err('Unauthorized')],
      [403, err('Forbidden')],
      [404, err('NotFound')],
      [v.status.validation, err('ValidationFailed')],
      [429, err('TooManyRequests')],
      ...notFound400,
    ]),
  });
  return {
    [collection]: {
      get: {
        ...describeOp(`List ${noun}s`, `Reads one page of the caller's ${noun}s, oldest first.`),
        operationId: `list_${noun}s${suffix}`,
        tags: [tag],
        ...old,
        parameters: listParams,
        responses: responses([
          [200, success(`A page of ${noun}s.`, page, extra)],
          [401, err('Unauthorized')],
          [v.status.validation, err('ValidationFailed')],
          [429, err('TooManyRequests')],
        ]),
      },
      post: {
        ...describeOp(`Create a ${noun}`, `Creates a ${noun} in the caller's organisation; read-only fields sent are ignored.`),
        operationId: `create_${noun}${suffix}`,
        tags: [tag],
        ...old,
        requestBody: requestBody(`${Noun}Create`, `The new ${noun}.`, createExample),
        responses: responses([
          [
            v.status.create,
            { ...success(`The created ${noun}.`, single, extra), headers: headers('X-Request-ID', 'Location', ...RATE_HEADERS, ...extra) },
          ],
          [v.status.malformed, err('MalformedBody')],
          [401, err('Unauthorized')],
          [403, err('Forbidden')],
          [v.status.validation, err('ValidationFailed')],
          [429, err('TooManyRequests')],
        ]),
      },
    },
    [`${collection}/{${param}}`]: {
      parameters: [
        {
          name: param,
          in: 'path',
          required: true,
          description: `Id of the ${noun} (a UUID; other ids answer 404).`,
          schema: { type: 'string', format: 'uuid' },
        },
      ],
      get: {
        ...describeOp(`Read a ${noun}`, `Reads one ${noun} of the caller's organisation.`),
        operationId: `get_${noun}${suffix}`,
        tags: [tag],
        ...old,
        responses: responses([
          itemOk(`The ${noun}.`, v.status.read),
          [401, err('Unauthorized')],
          ...(v.undocumented404 ? [] : [[404, err('NotFound')] as [number, Obj]]),
          [429, err('TooManyRequests')],
          ...notFound400,
        ]),
      },
      put: update('put'),
      patch: update('patch'),
      delete: {
        ...describeOp(`Delete a ${noun}`, `Deletes the ${noun}; reading it afterwards answers 404.`),
        operationId: `delete_${noun}${suffix}`,
        tags: [tag],
        ...old,
        responses: responses([
          v.deleteWithBody
            ? itemOk(`The deleted ${noun}.`, 200)
            : [204, { description: 'Deleted; no body.', headers: headers('X-Request-ID', ...RATE_HEADERS, ...extra) }],
          [401, err('Unauthorized')],
          [403, err('Forbidden')],
          [404, err('NotFound')],
          [429, err('TooManyRequests')],
          ...notFound400,
        ]),
      },
    },
  };
}

function uploadPath(v: Variant): Obj {
  const spec = UPLOADS[v.profile];
  const platform = v.profile === 'platform';
  return {
    [spec.path]: {
      ...(platform
        ? {}
        : {
            parameters: [
              {
                name: 'session_id',
                in: 'path',
                required: true,
                description: 'Id of the session the recording belongs to.',
                schema: { type: 'string', format: 'uuid' },
              },
            ],
          }),
      post: {
        summary: platform ? 'Upload a document' : 'Upload a session recording',
        description: platform
          ? `Creates a document from a file of at most ${spec.maxBytes / 1_000_000} MB. Oversized files and other types are refused as soon as that is known.`
          : `Stores the session's recording: a JSON file of at most ${spec.maxBytes / 1_000_000} MB. Oversized files and other types are refused as soon as that is known.`,
        operationId: platform ? 'upload_document' : 'upload_recording',
        tags: [platform ? 'documents' : 'sessions'],
        requestBody: {
          required: true,
          description: platform ? 'The file and its optional attributes.' : 'The recording file.',
          content: {
            'multipart/form-data': {
              schema: ref(platform ? 'DocumentUpload' : 'RecordingUpload'),
              encoding: { [spec.field]: { contentType: platform ? DOCUMENT_TYPE_LIST : spec.allowedTypes.join(', ') } },
            },
          },
        },
        responses: responses([
          [
            201,
            success(platform ? 'The created document.' : 'The stored recording.', platform ? ref('DocumentResponse') : ref('Recording')),
          ],
          [400, errorRef('MalformedMultipart')],
          [401, errorRef('Unauthorized')],
          [403, errorRef('Forbidden')],
          ...(platform ? [] : [[404, errorRef('NotFound')] as [number, Obj]]),
          [413, errorRef('TooLarge')],
          [415, errorRef('UnsupportedType')],
          [v.status.validation, errorRef('ValidationFailed')],
          [429, errorRef('TooManyRequests')],
        ]),
      },
    },
  };
}

function streamPath(): Obj {
  const example = [
    'data: {"type": "message_start", "content": ""}',
    '',
    'data: {"type": "content_delta", "content": "Summary of "}',
    '',
    'data: {"type": "message_end", "content": "Summary of …"}',
    '',
  ].join('\n');
  return {
    [`${STREAM_PREFIX}{document_id}/stream`]: {
      parameters: [
        {
          name: 'document_id',
          in: 'path',
          required: true,
          description: 'Id of the document to chat about.',
          schema: { type: 'string', format: 'uuid' },
        },
      ],
      get: {
        summary: 'Chat about a document (server-sent events)',
        description:
          'Streams one answer as server-sent events. Each `data` is a JSON StreamEvent: message_start, then content_delta pieces, then message_end whose content is the pieces joined. Events of other types (ping) carry no text.',
        operationId: 'stream_multi_doc_chat',
        tags: ['agents'],
        responses: responses([
          [
            200,
            {
              description: 'The event stream.',
              headers: headers('X-Request-ID', ...RATE_HEADERS),
              content: {
                'text/event-stream': {
                  schema: { type: 'string', description: 'An event stream whose `data` values are StreamEvent JSON objects.' },
                  example,
                },
              },
            },
          ],
          [401, errorRef('Unauthorized')],
          [404, errorRef('NotFound')],
          [429, errorRef('TooManyRequests')],
        ]),
      },
    },
  };
}

function healthPaths(v: Variant): Obj {
  const platform = v.profile === 'platform';
  return {
    '/health': {
      get: {
        summary: 'Health check',
        description: 'Liveness for load balancers; needs no credentials.',
        operationId: 'health',
        tags: ['health'],
        security: [],
        responses: {
          200: {
            description: 'The service is up.',
            headers: headers('X-Request-ID'),
            content: { 'application/json': { schema: ref(platform ? 'HealthStatus' : 'Health') } },
          },
        },
      },
    },
    ...(platform
      ? {}
      : {
          '/ready': {
            get: {
              summary: 'Readiness check',
              description: 'Whether the dependencies answer; needs no credentials.',
              operationId: 'ready',
              tags: ['health'],
              security: [],
              responses: {
                200: {
                  description: 'Ready to serve.',
                  headers: headers('X-Request-ID'),
                  content: { 'application/json': { schema: ref('Readiness') } },
                },
                503: errorRef('NotReady'),
              },
            },
          },
        }),
  };
}

function componentHeaders(): Obj {
  const h = (description: string, schema: Obj): Obj => ({ description, schema });
  return {
    'X-Request-ID': h('Identifier of the request, for tracing (a UUID).', { type: 'string' }),
    'X-RateLimit-Limit': h('Requests allowed in the window.', { type: 'integer' }),
    'X-RateLimit-Remaining': h('Requests left in the window.', { type: 'integer' }),
    'X-RateLimit-Reset': h('When the window resets (epoch seconds).', { type: 'integer' }),
    'X-RateLimit-Window': h('Length of the window in seconds.', { type: 'integer' }),
    'Retry-After': h('Seconds to wait before retrying.', { type: 'integer' }),
    'WWW-Authenticate': h('The authentication scheme to use (Bearer).', { type: 'string' }),
    Location: h('URL of the created item.', { type: 'string' }),
    Deprecation: h('When this version was deprecated (RFC 9745).', { type: 'string' }),
    Sunset: h('When this version stops answering (RFC 8594).', { type: 'string' }),
    Link: h('The successor version.', { type: 'string' }),
  };
}

/** Under a fault the document does not know: bodies are not pinned down, any 2xx and error is documented. */
function loosen(doc: Obj): void {
  const loose = (r: Obj): void => {
    if (r.content) r.content = { '*/*': { schema: {} } };
  };
  for (const item of Object.values(doc.paths as Record<string, Obj>)) {
    for (const op of Object.values(item)) {
      const responses = (op as Obj).responses as Record<string, Obj> | undefined;
      if (!responses) continue;
      for (const r of Object.values(responses)) if (!r.$ref) loose(r);
      responses['2XX'] = { description: 'Success (not pinned down under this fault).', content: { '*/*': { schema: {} } } };
      responses.default = { description: 'Error (not pinned down under this fault).', content: { '*/*': { schema: {} } } };
    }
  }
  for (const r of Object.values((doc.components as Obj).responses as Record<string, Obj>)) loose(r);
}

export function openApiDocument(profile: Profile, faults: ReadonlySet<string>, base = `/${profile}`): Record<string, unknown> {
  const v = variantOf(profile, faults);
  const platform = profile === 'platform';
  const { collection, deprecated } = RESOURCE[profile];
  const paths: Obj = {
    ...healthPaths(v),
    ...resourcePaths(v, collection, false),
    ...(deprecated ? resourcePaths(v, deprecated, true) : {}),
    ...uploadPath(v),
    ...(platform ? streamPath() : {}),
  };
  if (faults.has('versioning.prefix')) {
    // The versioning.prefix fault: a route mounted without the version prefix.
    const unversioned = collection.replace(/^\/v\d+/, '');
    paths[unversioned] = {
      get: {
        summary: `List (unversioned alias of ${collection})`,
        operationId: 'list_unversioned',
        responses: { 200: { description: 'A page of items' } },
      },
    };
  }
  const doc: Obj = {
    openapi: '3.1.0',
    // The docs.openapi fault: without `info` the document is not valid OpenAPI.
    ...(v.invalid
      ? {}
      : {
          info: {
            title: `Reference API (${profile} profile)`,
            version: '1.0.0',
            description: platform
              ? 'Embedded reference API of the conformance harness, following the Hebbia Platform API Guidelines: documents, uploads and a chat stream. Errors are RFC 9457 problem details.'
              : 'Embedded reference API of the conformance harness, following the Backend API Conventions: sessions and their recordings. Errors use the `{"error": {code, message, details}}` envelope.',
          },
        }),
    servers: [{ url: base, description: 'This reference server' }],
    tags: platform
      ? [
          { name: 'documents', description: 'Document storage (Document Manager).' },
          { name: 'agents', description: 'AI chat agents.' },
          { name: 'health', description: 'Liveness.' },
        ]
      : [
          { name: 'sessions', description: 'Sessions and their recordings.' },
          { name: 'health', description: 'Liveness and readiness.' },
        ],
    security: platform ? [{ bearerAuth: [] }, { apiKeyAuth: [] }] : [{ bearerAuth: [] }],
    paths,
    components: {
      schemas: componentSchemas(profile, v),
      responses: errorResponses(v),
      headers: componentHeaders(),
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT in `Authorization: Bearer <token>`.' },
        ...(platform
          ? { apiKeyAuth: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An organisation API key (server to server).' } }
          : {}),
      },
    },
  };
  if (v.lenient) loosen(doc);
  return doc;
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function docsPage(profile: Profile): string {
  const doc = openApiDocument(profile, new Set());
  const rows: string[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Obj>)) {
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters') continue;
      const o = op as Obj;
      rows.push(
        `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(String(o.summary ?? ''))}${o.deprecated ? ' <em>(deprecated)</em>' : ''}</td></tr>`,
      );
    }
  }
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Reference API docs (${profile})</title></head>` +
    `<body><h1>Reference API (${profile})</h1><p>The OpenAPI document is at <a href="openapi.json">openapi.json</a>.</p>` +
    `<table><tr><th>method</th><th>path</th><th>summary</th></tr>${rows.join('')}</table></body></html>`
  );
}
