/**
 * JSON Schemas of the API: Fastify validates requests with them, and the OpenAPI document
 * (openapi.ts) publishes them, so the documentation cannot drift from what is enforced.
 */

export const DocumentInput = {
  type: 'object',
  description: 'A document to create, or to replace entirely.',
  required: ['name'],
  // Unknown members (id, org_id, timestamps…) are dropped by Fastify's ajv (removeAdditional): never mass-assigned.
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 255, description: 'Human-readable document name', examples: ['Q3 board memo'] },
    metadata: { type: 'object', additionalProperties: true, description: 'Free-form JSON object', examples: [{ source: 'upload' }] },
    is_archived: { type: 'boolean', description: 'Archived documents are read-only in the product', examples: [false] },
  },
  examples: [{ name: 'Q3 board memo', metadata: { source: 'upload' } }],
} as const;

export const DocumentPatch = {
  type: 'object',
  description: 'Partial update: only the members sent change.',
  additionalProperties: false,
  minProperties: 1,
  properties: DocumentInput.properties,
  examples: [{ is_archived: true }],
} as const;

export const Document = {
  type: 'object',
  description: 'A document.',
  required: ['id', 'name', 'metadata', 'is_archived', 'org_id', 'created_at', 'updated_at'],
  properties: {
    id: { type: 'string', format: 'uuid', description: 'Document id' },
    name: { type: 'string', description: 'Human-readable document name' },
    metadata: { type: 'object', additionalProperties: true, description: 'Free-form JSON object' },
    is_archived: { type: 'boolean', description: 'Whether the document is archived' },
    org_id: { type: 'string', description: 'Organisation that owns the document (from the credential)' },
    created_at: { type: 'string', format: 'date-time', description: 'Creation time (RFC 3339)' },
    updated_at: { type: 'string', format: 'date-time', description: 'Last change (RFC 3339)' },
  },
} as const;

export const ResponseMetadata = {
  type: 'object',
  description: 'Per-response metadata ("Response Structure").',
  required: ['request_id', 'timestamp', 'processing_time_ms'],
  properties: {
    request_id: { type: 'string', description: 'Same as the X-Request-ID header' },
    timestamp: { type: 'string', format: 'date-time', description: 'When the response was made (RFC 3339)' },
    processing_time_ms: { type: 'integer', minimum: 0, description: 'Server time spent on the request, in ms' },
  },
} as const;

export const IdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid', description: 'Document id' } },
} as const;

export const ListQuery = {
  type: 'object',
  properties: {
    cursor: { type: 'string', minLength: 1, maxLength: 1024, description: 'Opaque cursor from `pagination.cursor` of the previous page' },
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 50, description: 'Items per page, 1–100' },
  },
} as const;

export const ValidationItem = {
  type: 'object',
  required: ['loc', 'msg', 'type'],
  properties: {
    loc: { type: 'array', items: { type: ['string', 'integer'] }, description: 'Where: ["body", "name"], ["query", "limit"]' },
    msg: { type: 'string', description: 'What is wrong' },
    type: { type: 'string', description: 'Machine-readable kind of error' },
  },
} as const;

export const Problem = {
  type: 'object',
  description: 'RFC 9457 problem details.',
  required: ['status'],
  properties: {
    type: { type: 'string', description: 'Problem type URI (about:blank: the status says it all)' },
    title: { type: 'string', description: 'Short summary of the problem type' },
    status: { type: 'integer', description: 'The HTTP status code' },
    detail: {
      description: 'What went wrong; for 422 a list of the offending fields',
      oneOf: [{ type: 'string' }, { type: 'array', items: { $ref: '#/components/schemas/ValidationItem' } }],
    },
    instance: { type: 'string', description: 'The request path' },
    context: { type: 'object', additionalProperties: true, description: 'Relevant context, e.g. the resource id' },
    retry_after: { type: 'integer', description: '429 only: seconds until a retry can succeed' },
  },
} as const;
