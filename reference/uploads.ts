/**
 * File uploads (multipart/form-data), read as a stream and never buffered whole: the file
 * part is counted, not kept. Oversized and disallowed files are refused as soon as that is
 * known (from Content-Length, the part's headers, or the bytes counted), the way a careful
 * server does, and the connection is then closed so the client stops sending.
 *   platform: POST /docs/documents (guideline 'File Handling › File Uploads'): 100 MB, document types
 *   backend:  POST /v1/sessions/{session_id}/recording (guideline 'File Uploads'): 10 MB, application/json
 */
import { authenticate, type Identity } from './auth.ts';
import { headerOf, type Ctx } from './context.ts';
import { methodNotAllowed, send, sendError } from './respond.ts';
import { single } from './resources.ts';
import type { Profile } from '../src/spec/vocabulary.ts';

export interface UploadSpec {
  readonly field: string;
  readonly maxBytes: number;
  readonly allowedTypes: readonly string[];
}

/** Document types of the platform guideline ('File Handling › Supported File Types'). */
export const DOCUMENT_TYPES = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'text/plain',
  'text/html',
  'text/csv',
] as const;

export const UPLOADS: Record<Profile, UploadSpec & { readonly path: string }> = {
  platform: { path: '/docs/documents', field: 'file', maxBytes: 100_000_000, allowedTypes: DOCUMENT_TYPES },
  backend: { path: '/v1/sessions/{session_id}/recording', field: 'file', maxBytes: 10_000_000, allowedTypes: ['application/json'] },
};

/**
 * Room for the multipart framing and small form fields: a Content-Length beyond the limit plus
 * this is refused unread. (A file of limit+1 bytes is not: only counting its bytes shows it.)
 */
const FRAMING_SLACK = 64 * 1024;
const MAX_PART_HEADERS = 16 * 1024;
const MAX_TEXT_FIELD = 64 * 1024;

export interface UploadedFile {
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
}

type ReadResult =
  | { kind: 'ok'; file?: UploadedFile; fields: Record<string, string> }
  | { kind: 'too-large' }
  | { kind: 'bad-type'; type: string }
  | { kind: 'malformed'; why: string };

/**
 * Reads a multipart body part by part. Returns as soon as the answer is known; the caller
 * answers and closes the connection without reading the rest.
 */
async function readMultipart(ctx: Ctx, boundary: string, spec: UploadSpec): Promise<ReadResult> {
  const dashBoundary = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const headerEnd = Buffer.from('\r\n\r\n');
  const f = ctx.faults;
  type State = 'preamble' | 'after-boundary' | 'headers' | 'body' | 'done';
  let state = 'preamble' as State;
  let buf: Buffer = Buffer.alloc(0);
  let part: { name: string; filename?: string; type: string; size: number; text: Buffer[] } | undefined;
  let file: UploadedFile | undefined;
  const fields: Record<string, string> = {};

  const finishPart = (): void => {
    if (!part) return;
    if (part.filename !== undefined && part.name === spec.field)
      file = { filename: part.filename, contentType: part.type, size: part.size };
    else if (part.filename === undefined) fields[part.name] = Buffer.concat(part.text).toString('utf8');
    part = undefined;
  };

  // Processes what is buffered; returns a result when one is known, undefined to read on.
  const step = (): ReadResult | undefined => {
    for (;;) {
      if (state === 'preamble') {
        const i = buf.indexOf(dashBoundary);
        if (i < 0) {
          if (buf.length > MAX_PART_HEADERS) return { kind: 'malformed', why: 'no multipart boundary found' };
          return undefined;
        }
        buf = buf.subarray(i + dashBoundary.length);
        state = 'after-boundary';
      }
      if (state === 'after-boundary') {
        if (buf.length < 2) return undefined;
        const two = buf.subarray(0, 2).toString('latin1');
        if (two === '--') {
          state = 'done';
          return { kind: 'ok', ...(file ? { file } : {}), fields };
        }
        if (two !== '\r\n') return { kind: 'malformed', why: 'boundary not followed by CRLF' };
        buf = buf.subarray(2);
        state = 'headers';
      }
      if (state === 'headers') {
        const i = buf.indexOf(headerEnd);
        if (i < 0) return buf.length > MAX_PART_HEADERS ? { kind: 'malformed', why: 'part headers too long' } : undefined;
        const headers = parsePartHeaders(buf.subarray(0, i).toString('utf8'));
        buf = buf.subarray(i + headerEnd.length);
        const disposition = parseDisposition(headers['content-disposition'] ?? '');
        if (!disposition.name) return { kind: 'malformed', why: 'a part has no name' };
        const type = (headers['content-type'] ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
        part = {
          name: disposition.name,
          ...(disposition.filename !== undefined ? { filename: disposition.filename } : {}),
          type,
          size: 0,
          text: [],
        };
        // The type is known before a byte of the file is read: refuse it now.
        if (
          part.filename !== undefined &&
          part.name === spec.field &&
          !f.has('uploads.content-type') &&
          !spec.allowedTypes.includes(type)
        ) {
          return { kind: 'bad-type', type };
        }
        state = 'body';
      }
      if (state === 'body') {
        const i = buf.indexOf(delimiter);
        const usable = i >= 0 ? i : Math.max(0, buf.length - (delimiter.length - 1));
        const content = buf.subarray(0, usable);
        part!.size += content.length;
        if (part!.filename === undefined) {
          if (part!.size > MAX_TEXT_FIELD) return { kind: 'malformed', why: `form field ${part!.name} is too long` };
          part!.text.push(Buffer.from(content));
        } else if (part!.name === spec.field && part!.size > spec.maxBytes && !f.has('uploads.too-large')) {
          return { kind: 'too-large' };
        }
        if (i < 0) {
          buf = buf.subarray(usable);
          return undefined;
        }
        buf = buf.subarray(i + delimiter.length);
        finishPart();
        state = 'after-boundary';
      }
      if (state === 'done') return { kind: 'ok', ...(file ? { file } : {}), fields };
    }
  };

  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    const result = step();
    if (result) return result;
  }
  return state === 'done'
    ? { kind: 'ok', ...(file ? { file } : {}), fields }
    : { kind: 'malformed', why: 'the body ended before the closing boundary' };
}

function parsePartHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

function parseDisposition(value: string): { name?: string; filename?: string } {
  const param = (key: string): string | undefined => {
    const m = new RegExp(`(?:^|;)\\s*${key}="([^"]*)"`, 'i').exec(value) ?? new RegExp(`(?:^|;)\\s*${key}=([^;\\s]*)`, 'i').exec(value);
    return m?.[1];
  };
  const name = param('name');
  const filename = param('filename');
  return { ...(name !== undefined ? { name } : {}), ...(filename !== undefined ? { filename } : {}) };
}

/**
 * Answers before the body was read to its end, and closes the connection once the answer is
 * out (`Connection: close`), so the client stops sending: what the guideline's 400/413 looks
 * like from a server that streams. The harness must hear the answer although its upload is
 * cut off (src/http/client.ts yields between chunks for this).
 */
function answerEarly(ctx: Ctx, answer: () => void): void {
  ctx.res.setHeader('connection', 'close');
  answer();
  ctx.req.resume();
}

/** Reads an upload of `spec`; answers the error itself and returns undefined when it is refused. */
export async function receiveUpload(
  ctx: Ctx,
  spec: UploadSpec,
): Promise<{ file: UploadedFile; fields: Record<string, string> } | undefined> {
  const type = headerOf(ctx.req, 'content-type') ?? '';
  const boundary = /^multipart\/form-data\s*;.*\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(type);
  if (!boundary) {
    answerEarly(ctx, () =>
      sendError(ctx, 415, 'Unsupported Media Type', 'UNSUPPORTED_MEDIA_TYPE', 'Uploads are multipart/form-data with a boundary'),
    );
    return undefined;
  }
  const tooLarge = (): void =>
    sendError(ctx, 413, 'Content Too Large', 'FILE_TOO_LARGE', `The file is larger than ${spec.maxBytes} bytes`, undefined, undefined, {
      max_bytes: spec.maxBytes,
    });
  const declared = Number(headerOf(ctx.req, 'content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > spec.maxBytes + FRAMING_SLACK && !ctx.faults.has('uploads.too-large')) {
    answerEarly(ctx, tooLarge);
    return undefined;
  }
  const result = await readMultipart(ctx, boundary[1] ?? boundary[2]!, spec);
  switch (result.kind) {
    case 'too-large':
      answerEarly(ctx, tooLarge);
      return undefined;
    case 'bad-type':
      answerEarly(ctx, () =>
        sendError(
          ctx,
          415,
          'Unsupported Media Type',
          'UNSUPPORTED_FILE_TYPE',
          `Files of type ${result.type} are not accepted`,
          undefined,
          undefined,
          { allowed_types: [...spec.allowedTypes] },
        ),
      );
      return undefined;
    case 'malformed':
      answerEarly(ctx, () =>
        sendError(ctx, 400, 'Bad Request', 'MALFORMED_MULTIPART', `The multipart body could not be read: ${result.why}`),
      );
      return undefined;
    case 'ok':
      if (!result.file) {
        sendError(ctx, 422, 'Unprocessable Entity', 'VALIDATION_FAILED', 'Request validation failed', [
          { loc: ['body', spec.field], msg: 'field required', type: 'value_error.missing' },
        ]);
        return undefined;
      }
      return { file: result.file, fields: result.fields };
  }
}

export function canWrite(ctx: Ctx, identity: Identity): boolean {
  if (identity.canWrite) return true;
  // Refusing before reading: close so the client does not stream a large body for nothing.
  answerEarly(ctx, () => sendError(ctx, 403, 'Forbidden', 'INSUFFICIENT_SCOPE', 'This credential may not write'));
  return false;
}

/** POST on the profile's upload path; false when the path is not an upload path. */
export async function uploadRoute(ctx: Ctx): Promise<boolean> {
  const spec = UPLOADS[ctx.profile];
  const match = new RegExp(`^${spec.path.replace(/\{[^}]+\}/, '([^/]+)')}$`).exec(ctx.path);
  if (!match) return false;
  if (ctx.req.method !== 'POST') {
    methodNotAllowed(ctx, ['POST']);
    return true;
  }
  const identity = authenticate(ctx);
  if (!identity || !canWrite(ctx, identity)) return true;
  const store = ctx.tenant.store;
  if (ctx.profile === 'backend') {
    const sessionId = decodeURIComponent(match[1]!);
    if (!UUID.test(sessionId) || !store.get(identity.org, sessionId)) {
      const shown = sessionId.length > 64 ? `${sessionId.slice(0, 64)}…` : sessionId;
      answerEarly(ctx, () =>
        sendError(ctx, 404, 'Not Found', 'RESOURCE_NOT_FOUND', `Session ${shown} not found`, undefined, undefined, { resource_id: shown }),
      );
      return true;
    }
    const upload = await receiveUpload(ctx, spec);
    if (!upload) return true;
    send(ctx, 201, {
      session_id: sessionId,
      filename: upload.file.filename,
      content_type: upload.file.contentType,
      size_bytes: upload.file.size,
      uploaded_at: new Date().toISOString(),
    });
    return true;
  }
  const upload = await receiveUpload(ctx, spec);
  if (!upload) return true;
  let title: string | undefined;
  try {
    const meta = JSON.parse(upload.fields.metadata ?? '{}') as { title?: unknown };
    if (typeof meta.title === 'string' && meta.title) title = meta.title.slice(0, 255);
  } catch {
    sendError(ctx, 422, 'Unprocessable Entity', 'VALIDATION_FAILED', 'Request validation failed', [
      { loc: ['body', 'metadata'], msg: 'must be a JSON object', type: 'type_error.dict' },
    ]);
    return true;
  }
  const item = store.create(identity.org, {
    name: (title ?? upload.file.filename).slice(0, 255) || 'untitled',
    metadata: {
      filename: upload.file.filename,
      content_type: upload.file.contentType,
      size_bytes: upload.file.size,
      ...(upload.fields.document_list_id ? { document_list_id: upload.fields.document_list_id } : {}),
    },
  });
  ctx.res.setHeader('location', `${ctx.base}/v2/documents/${item.id}`);
  single(ctx, 201, item);
  return true;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
