/**
 * Component schemas of the reference's OpenAPI 3.1 documents (JSON Schema 2020-12), one set
 * per profile. They describe exactly what `resources.ts`, `uploads.ts`, `streams.ts` and
 * `respond.ts` send: every property described, request bodies with examples (both guidelines:
 * 'Documentation by Example', 'API Documentation').
 */
import { DOCUMENT_TYPES, UPLOADS } from './uploads.ts';
import type { Profile } from '../src/spec/vocabulary.ts';

type Schema = Record<string, unknown>;
export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

/** How the served document bends under the reference's faults (see openapi.ts). */
export interface SchemaVariant {
  /** docs.descriptions fault: a property without description. */
  readonly undescribed: boolean;
  /** docs.examples fault: request bodies without examples. */
  readonly noExamples: boolean;
  /** docs.response-schema fault: the item schema requires a property responses never carry. */
  readonly phantomRequired: boolean;
  /** errors.validation-details fault: 422 `detail` is a plain string. */
  readonly validationDetailString: boolean;
  /** errors.code-format fault: error codes are not UPPER_SNAKE_CASE. */
  readonly lowerCaseCodes: boolean;
  /** errors.shape fault: 404 bodies are a bare `{message}`. */
  readonly bareNotFound: boolean;
}

const EXAMPLE_ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const EXAMPLE_TIME = '2024-01-15T10:30:00Z';

const timestamps = (what: string): Schema => ({
  created_at: {
    type: 'string',
    format: 'date-time',
    readOnly: true,
    description: `When the ${what} was created (RFC 3339, UTC).`,
    examples: [EXAMPLE_TIME],
  },
  updated_at: {
    type: 'string',
    format: 'date-time',
    readOnly: true,
    description: `When the ${what} was last changed (RFC 3339, UTC).`,
    examples: [EXAMPLE_TIME],
  },
});

function writeBody(what: string, title: string, example: Record<string, unknown>, v: SchemaVariant, purpose: string): Schema {
  const ex = (values: unknown[]): Schema => (v.noExamples ? {} : { examples: values });
  return {
    type: 'object',
    description: `${purpose} ${title}.`,
    required: ['name'],
    properties: {
      name: {
        type: 'string',
        minLength: 1,
        maxLength: 255,
        description: `Human-readable ${what} name, 1 to 255 characters.`,
        ...ex([example.name]),
      },
      metadata: {
        type: 'object',
        additionalProperties: true,
        default: {},
        description: "Free-form metadata kept with the item; its keys are the client's own.",
        ...ex([example.metadata]),
      },
      priority: {
        type: 'integer',
        minimum: 0,
        maximum: 10,
        default: 0,
        description: `Relative priority of the ${what}, 0 (lowest) to 10 (highest).`,
        ...ex([5]),
      },
      visibility: {
        type: 'string',
        enum: ['private', 'organisation'],
        default: 'private',
        description: `Who may see the ${what}: its creator only, or the whole organisation.`,
        ...ex(['organisation']),
      },
    },
    ...ex([example]),
  };
}

function problemSchemas(v: SchemaVariant): Record<string, Schema> {
  return {
    ValidationIssue: {
      type: 'object',
      description: 'One field that failed validation.',
      required: ['loc', 'msg', 'type'],
      properties: {
        loc: {
          type: 'array',
          items: { type: ['string', 'integer'] },
          description: 'Where the offending value is: `body`, `query` or `path`, then the field.',
          examples: [['body', 'name']],
        },
        msg: { type: 'string', description: 'What is wrong with the value.', examples: ['field required'] },
        type: { type: 'string', description: 'Machine-readable kind of the error.', examples: ['value_error.missing'] },
      },
    },
    Problem: {
      type: 'object',
      description: 'An RFC 9457 problem details object.',
      required: ['status'],
      properties: {
        type: {
          type: 'string',
          description: 'URI reference that identifies the problem type; `about:blank` when the status says it all.',
          examples: ['about:blank'],
        },
        title: { type: 'string', description: 'Short, human-readable summary of the problem type.', examples: ['Not Found'] },
        status: { type: 'integer', minimum: 400, maximum: 599, description: 'The HTTP status code of this response.', examples: [404] },
        detail: {
          description: 'Explanation of this occurrence; for validation errors, the list of offending fields.',
          oneOf: [
            { type: 'string', description: 'Human-readable explanation.' },
            { type: 'array', items: ref('ValidationIssue'), description: 'The offending fields.' },
          ],
        },
        instance: { type: 'string', description: 'URI reference of the request that failed.', examples: ['/platform/v2/documents/123'] },
        context: { type: 'object', additionalProperties: true, description: 'Details that help to act on the problem (free-form).' },
        retry_after: { type: 'integer', minimum: 0, description: 'Seconds to wait before retrying (429 only).', examples: [30] },
      },
    },
    ValidationProblem: {
      description: 'A problem whose `detail` lists the fields that failed validation.',
      allOf: [
        ref('Problem'),
        v.validationDetailString
          ? { type: 'object', properties: { detail: { type: 'string', description: 'Explanation of the validation failure.' } } }
          : {
              type: 'object',
              required: ['detail'],
              properties: { detail: { type: 'array', items: ref('ValidationIssue'), description: 'The offending fields.' } },
            },
      ],
    },
    RateLimitProblem: {
      description: 'The problem answered with 429: how long to wait.',
      allOf: [
        ref('Problem'),
        {
          type: 'object',
          required: ['retry_after'],
          properties: { retry_after: { type: 'integer', minimum: 0, description: 'Seconds until the window resets.' } },
        },
      ],
    },
  };
}

const NOT_FOUND_MESSAGE: Schema = {
  type: 'object',
  description: 'A bare message, which the errors.shape fault of the reference answers instead of its error format.',
  required: ['message'],
  properties: { message: { type: 'string', description: 'What was not found.' } },
};

function envelopeSchemas(v: SchemaVariant): Record<string, Schema> {
  return {
    ErrorEnvelope: {
      type: 'object',
      description: 'The standard error format of the backend conventions.',
      required: ['error'],
      properties: {
        error: {
          type: 'object',
          description: 'What went wrong.',
          required: ['code', 'message', 'details'],
          properties: {
            code: {
              type: 'string',
              description: 'Machine-readable error code in UPPER_SNAKE_CASE.',
              examples: ['SESSION_NOT_FOUND'],
              ...(v.lowerCaseCodes ? {} : { pattern: '^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$' }),
            },
            message: { type: 'string', minLength: 1, description: 'Human-readable explanation.', examples: ['Session abc-123 not found'] },
            details: {
              type: 'object',
              additionalProperties: true,
              description: 'Context of the error; for validation errors `fields` lists the offending fields.',
            },
            retry_after: { type: 'integer', minimum: 0, description: 'Seconds to wait before retrying (429 only).' },
          },
        },
      },
    },
  };
}

const healthSchema = (withServices: boolean): Schema => ({
  type: 'object',
  description: 'Liveness of the service, for load balancers.',
  required: ['status', 'timestamp'],
  properties: {
    status: { type: 'string', enum: ['healthy', 'degraded', 'unhealthy'], description: 'Overall health.', examples: ['healthy'] },
    timestamp: { type: 'string', format: 'date-time', description: 'When the check ran (RFC 3339).', examples: [EXAMPLE_TIME] },
    ...(withServices
      ? {
          services: {
            type: 'object',
            description: 'Health of each dependency, by name.',
            additionalProperties: {
              type: 'object',
              description: 'Health of one dependency.',
              required: ['status'],
              properties: {
                status: { type: 'string', enum: ['healthy', 'degraded', 'unhealthy'], description: 'Health of the dependency.' },
                response_time_ms: { type: 'integer', minimum: 0, description: 'How long the dependency took to answer.' },
              },
            },
          },
        }
      : {}),
  },
});

export function componentSchemas(profile: Profile, v: SchemaVariant): Record<string, Schema> {
  const describe = (text: string): Schema => (v.undescribed ? {} : { description: text });
  if (profile === 'platform') {
    const example = { name: 'Q3 board memo', metadata: { source: 'upload' } };
    return {
      Document: {
        type: 'object',
        description: 'A document kept by the Document Manager.',
        required: ['id', 'name', 'metadata', 'org_id', 'is_archived', 'created_at', 'updated_at', ...(v.phantomRequired ? ['title'] : [])],
        properties: {
          id: { type: 'string', format: 'uuid', readOnly: true, description: 'Unique identifier of the document.', examples: [EXAMPLE_ID] },
          name: { type: 'string', minLength: 1, maxLength: 255, ...describe('Human-readable document name.'), examples: [example.name] },
          metadata: { type: 'object', additionalProperties: true, description: 'Free-form metadata supplied by the client.' },
          org_id: { type: 'string', readOnly: true, description: 'Organisation that owns the document.', examples: ['org-a'] },
          is_archived: { type: 'boolean', description: 'Whether the document is archived.', examples: [false] },
          ...timestamps('document'),
          ...(v.phantomRequired ? { title: { type: 'string', description: 'Display title of the document.' } } : {}),
        },
      },
      DocumentCreate: writeBody('document', 'document', example, v, 'The fields of a new'),
      DocumentUpdate: writeBody(
        'document',
        'document',
        { name: 'Q3 board memo (final)', metadata: { source: 'upload' } },
        v,
        'The full replacement of a',
      ),
      ResponseMetadata: {
        type: 'object',
        description: 'Per-response information for tracing.',
        required: ['request_id', 'timestamp', 'processing_time_ms'],
        properties: {
          request_id: {
            type: 'string',
            description: 'Identifier of this request (also in X-Request-ID).',
            examples: ['550e8400-e29b-41d4-a716-446655440000'],
          },
          timestamp: {
            type: 'string',
            format: 'date-time',
            description: 'When the response was made (RFC 3339).',
            examples: [EXAMPLE_TIME],
          },
          processing_time_ms: { type: 'integer', minimum: 0, description: 'Time the service spent on the request.', examples: [3] },
        },
      },
      DocumentResponse: {
        type: 'object',
        description: 'One document in the platform response envelope.',
        required: ['data', 'metadata'],
        properties: { data: ref('Document'), metadata: ref('ResponseMetadata') },
      },
      DocumentList: {
        type: 'object',
        description: 'One page of documents (cursor pagination).',
        required: ['items', 'pagination'],
        properties: {
          items: { type: 'array', items: ref('Document'), description: 'The documents of this page, oldest first.' },
          pagination: {
            type: 'object',
            description: 'Where the next page starts.',
            required: ['cursor', 'has_more', 'limit'],
            properties: {
              cursor: {
                type: ['string', 'null'],
                description: 'Opaque cursor of the next page (base64 JSON); null on the last page.',
                examples: ['eyJpZCI6MTIzfQ'],
              },
              has_more: { type: 'boolean', description: 'Whether another page follows.', examples: [true] },
              limit: { type: 'integer', minimum: 1, maximum: 100, description: 'Page size in force.', examples: [50] },
            },
          },
          metadata: {
            type: 'object',
            description: 'Facts about the whole collection.',
            properties: {
              total_count: { type: 'integer', minimum: 0, description: 'Number of documents in the collection.', examples: [1250] },
            },
          },
        },
      },
      DocumentUpload: {
        type: 'object',
        description: 'A document file and its optional attributes (multipart/form-data).',
        required: ['file'],
        properties: {
          file: {
            type: 'string',
            format: 'binary',
            contentMediaType: 'application/octet-stream',
            maxLength: UPLOADS.platform.maxBytes,
            description: `The file, at most ${UPLOADS.platform.maxBytes / 1_000_000} MB: PDF, DOCX, XLSX, PPTX, TXT, HTML or CSV.`,
          },
          document_list_id: { type: 'string', format: 'uuid', description: 'Document list the document joins.' },
          metadata: {
            type: 'string',
            contentMediaType: 'application/json',
            description: 'JSON object of attributes; `title` names the document (default: the file name).',
          },
        },
      },
      StreamEvent: {
        type: 'object',
        description: 'The JSON `data` of one server-sent event of a chat stream.',
        required: ['type'],
        properties: {
          type: {
            type: 'string',
            description: 'message_start, content_delta, message_end; other types (ping) are to be ignored.',
            examples: ['content_delta'],
          },
          content: {
            type: 'string',
            description: 'Text: empty at message_start, a piece of the answer in a delta, the whole answer at message_end.',
          },
        },
      },
      HealthStatus: healthSchema(true),
      ...problemSchemas(v),
      ...(v.bareNotFound ? { NotFoundMessage: NOT_FOUND_MESSAGE } : {}),
    };
  }
  const example = { name: 'nginx-deployment', metadata: { team: 'platform' } };
  return {
    Session: {
      type: 'object',
      description: 'A session (backend conventions, SessionResponse).',
      required: ['id', 'name', 'status', 'metadata', 'org_id', 'created_at', 'updated_at', ...(v.phantomRequired ? ['title'] : [])],
      properties: {
        id: { type: 'string', format: 'uuid', readOnly: true, description: 'Unique identifier of the session.', examples: [EXAMPLE_ID] },
        name: { type: 'string', minLength: 1, maxLength: 255, ...describe('Human-readable session name.'), examples: [example.name] },
        status: { type: 'string', enum: ['active'], description: 'Lifecycle state of the session.', examples: ['active'] },
        metadata: { type: 'object', additionalProperties: true, description: 'Free-form metadata supplied by the client.' },
        org_id: { type: 'string', readOnly: true, description: 'Organisation that owns the session.', examples: ['org-a'] },
        ...timestamps('session'),
        ...(v.phantomRequired ? { title: { type: 'string', description: 'Display title of the session.' } } : {}),
      },
    },
    SessionCreate: writeBody('session', 'session', example, v, 'The fields of a new'),
    SessionUpdate: writeBody(
      'session',
      'session',
      { name: 'nginx-deployment-v2', metadata: { team: 'platform' } },
      v,
      'The full replacement of a',
    ),
    SessionPage: {
      type: 'object',
      description: 'One page of sessions (page pagination, PaginatedResponse).',
      required: ['items', 'total', 'page', 'page_size', 'has_more'],
      properties: {
        items: { type: 'array', items: ref('Session'), description: 'The sessions of this page, oldest first.' },
        total: { type: 'integer', minimum: 0, description: 'Number of sessions in the collection.', examples: [42] },
        page: { type: 'integer', minimum: 1, description: "This page's number, from 1.", examples: [1] },
        page_size: { type: 'integer', minimum: 1, maximum: 100, description: 'Page size in force.', examples: [20] },
        has_more: { type: 'boolean', description: 'Whether another page follows.', examples: [true] },
      },
    },
    RecordingUpload: {
      type: 'object',
      description: 'A session recording (multipart/form-data).',
      required: ['file'],
      properties: {
        file: {
          type: 'string',
          format: 'binary',
          contentMediaType: 'application/json',
          maxLength: UPLOADS.backend.maxBytes,
          description: `The recording as a JSON file, at most ${UPLOADS.backend.maxBytes / 1_000_000} MB.`,
        },
      },
    },
    Recording: {
      type: 'object',
      description: 'The recording stored for a session.',
      required: ['session_id', 'filename', 'content_type', 'size_bytes', 'uploaded_at'],
      properties: {
        session_id: { type: 'string', format: 'uuid', description: 'Session the recording belongs to.', examples: [EXAMPLE_ID] },
        filename: { type: 'string', description: 'File name the client sent.', examples: ['recording.json'] },
        content_type: { type: 'string', description: 'Media type of the file.', examples: ['application/json'] },
        size_bytes: { type: 'integer', minimum: 0, description: 'Size of the file.', examples: [1048576] },
        uploaded_at: {
          type: 'string',
          format: 'date-time',
          description: 'When the recording was stored (RFC 3339).',
          examples: [EXAMPLE_TIME],
        },
      },
    },
    Health: healthSchema(false),
    Readiness: {
      type: 'object',
      description: 'Readiness of the service: its dependencies answer.',
      required: ['status'],
      properties: { status: { type: 'string', enum: ['ready'], description: 'Always `ready` with 200; 503 otherwise.' } },
    },
    ...envelopeSchemas(v),
    ...(v.bareNotFound ? { NotFoundMessage: NOT_FOUND_MESSAGE } : {}),
  };
}

/** The media types a document upload accepts, as an OpenAPI encoding `contentType` list. */
export const DOCUMENT_TYPE_LIST = DOCUMENT_TYPES.join(', ');
