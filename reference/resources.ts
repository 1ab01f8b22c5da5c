/** The resource endpoints: list (cursor or page), create, read, replace, delete, with validation. */
import { forbidWrite, type Identity } from './auth.ts';
import type { Ctx } from './context.ts';
import { methodNotAllowed, send, sendError, type Problem } from './respond.ts';
import type { Item } from './store.ts';
import { massAssign, withRepresentationFaults } from './representation-faults.ts';
import type { Profile } from '../src/spec/vocabulary.ts';

export const RESOURCE: Record<Profile, { collection: string; deprecated?: string }> = {
  platform: { collection: '/v2/documents', deprecated: '/v1/documents' },
  // /v0 is the previous backend version, still served and deprecated (versioning.deprecation-header).
  backend: { collection: '/v1/sessions', deprecated: '/v0/sessions' },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_BODY = 1024 * 1024;

function representation(ctx: Ctx, item: Item): Record<string, unknown> {
  const base = { id: item.id, ...item.fields, org_id: item.org_id, created_at: item.created_at, updated_at: item.updated_at };
  return withRepresentationFaults(ctx, item, ctx.profile === 'platform' ? { is_archived: false, ...base } : { status: 'active', ...base });
}

export function single(ctx: Ctx, status: number, item: Item): void {
  const body = representation(ctx, item);
  const f = ctx.faults;
  const envelope = f.has('format.response-envelope') ? { data: body } : { data: body, metadata: metadata(ctx) };
  const type = f.has('format.json-content-type') && ctx.req.method === 'GET' ? 'text/plain; charset=utf-8' : 'application/json';
  send(ctx, status, ctx.profile === 'platform' ? envelope : body, type);
}

function metadata(ctx: Ctx): Record<string, unknown> {
  return {
    request_id: ctx.requestId,
    timestamp: new Date().toISOString(),
    processing_time_ms: Math.round(performance.now() - ctx.started),
  };
}

/**
 * Lists in creation order: keyset cursors (platform) or page numbers (backend). Each
 * pagination fault breaks one promise of the guideline the way real services get it wrong.
 */
export function list(ctx: Ctx, identity: Identity): void {
  const f = ctx.faults;
  const store = ctx.tenant.store;
  const sizeParam = ctx.profile === 'platform' ? 'limit' : 'page_size';
  const defaultSize = f.has('pagination.default-limit') ? 100 : ctx.profile === 'platform' ? 50 : 20;
  const maxSize = f.has('pagination.limit-bounds') ? 500 : 100;
  const rawSize = ctx.query.get(sizeParam);
  const size = rawSize === null ? defaultSize : Number(rawSize);
  if (!Number.isInteger(size) || size < 1 || size > maxSize || (rawSize !== null && !/^\d+$/.test(rawSize))) {
    return validationError(ctx, [{ loc: ['query', sizeParam], msg: 'must be an integer between 1 and 100', type: 'value_error.number' }]);
  }
  // Newest first with positions by offset: items created mid-walk shift every later page.
  const unstable = f.has('pagination.stable-under-writes');
  const all = store.list(identity.org);
  if (unstable) all.reverse();
  if (ctx.profile === 'platform') {
    const cursor = ctx.query.get('cursor');
    let start = 0;
    if (cursor !== null) {
      const decoded = decodeCursor(cursor, f);
      if (decoded === undefined && !f.has('pagination.invalid-cursor')) {
        return validationError(ctx, [{ loc: ['query', 'cursor'], msg: 'invalid cursor', type: 'value_error.cursor' }]);
      }
      if (decoded !== undefined)
        start = 'offset' in decoded ? Math.min(decoded.offset, all.length) : all.findIndex((i) => i.seq > decoded.after);
      if (start < 0) start = all.length;
    }
    const page = all.slice(start, start + size);
    const hasMore = start + size < all.length;
    const last = page.at(-1);
    // The walk fault points the cursor at the next page's first item, which "after" then skips.
    const mark = f.has('pagination.walk-complete') && hasMore ? all[start + size] : last;
    const next = unstable ? encodeOffset(start + size) : mark ? encodeCursor(mark, f) : null;
    const withCursor = hasMore || (f.has('pagination.terminal-page') && page.length > 0);
    const forever = f.has('pagination.terminal-page.has-more-forever');
    return send(ctx, 200, {
      items: page.map((i) => representation(ctx, i)),
      pagination: {
        cursor: withCursor ? next : null,
        has_more: hasMore || forever,
        limit: f.has('pagination.envelope') ? String(size) : size,
      },
      metadata: { total_count: f.has('pagination.total-consistent') ? page.length : all.length },
    });
  }
  const rawPage = ctx.query.get('page');
  let pageNo = rawPage === null ? 1 : Number(rawPage);
  if (f.has('pagination.page-bounds') && rawPage !== null && /^-?\d+$/.test(rawPage) && pageNo < 1) pageNo = 1;
  else if (!Number.isInteger(pageNo) || pageNo < 1 || (rawPage !== null && !/^\d+$/.test(rawPage))) {
    return validationError(ctx, [{ loc: ['query', 'page'], msg: 'must be an integer ≥ 1', type: 'value_error.number' }]);
  }
  // The walk fault starts each page one item early: every page repeats the previous one's last item.
  let start = Math.min((pageNo - 1) * size - (f.has('pagination.walk-complete') && pageNo > 1 ? 1 : 0), all.length);
  // The terminal fault serves the last page again for any page past the end.
  if (f.has('pagination.terminal-page') && start >= all.length && all.length) start = Math.floor((all.length - 1) / size) * size;
  const page = all.slice(start, start + size);
  send(ctx, 200, {
    items: page.map((i) => representation(ctx, i)),
    total: f.has('pagination.total-consistent') ? page.length : all.length,
    page: pageNo,
    page_size: f.has('pagination.envelope') ? String(size) : size,
    has_more: start + size < all.length || f.has('pagination.terminal-page.has-more-forever'),
  });
}

type CursorPosition = { after: number } | { offset: number };

function encodeCursor(item: Item, faults: ReadonlySet<string>): string {
  if (faults.has('pagination.cursor-opaque')) return `after:${item.seq}`;
  return Buffer.from(JSON.stringify({ id: item.id, seq: item.seq })).toString('base64url');
}

function encodeOffset(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decodeCursor(cursor: string, faults: ReadonlySet<string>): CursorPosition | undefined {
  if (faults.has('pagination.cursor-opaque')) {
    const m = /^after:(\d+)$/.exec(cursor);
    return m ? { after: Number(m[1]) } : undefined;
  }
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(cursor)) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { seq?: unknown; id?: unknown; offset?: unknown };
    if (faults.has('pagination.stable-under-writes')) {
      return typeof value.offset === 'number' && Number.isSafeInteger(value.offset) && value.offset >= 0
        ? { offset: value.offset }
        : undefined;
    }
    return typeof value.seq === 'number' && Number.isSafeInteger(value.seq) && value.seq >= 0 && typeof value.id === 'string'
      ? { after: value.seq }
      : undefined;
  } catch {
    return undefined;
  }
}

async function readJson(ctx: Ctx): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) break;
    chunks.push(chunk);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

const VISIBILITY = ['private', 'organisation'];

function validateFields(body: unknown, faults: ReadonlySet<string>): { fields: Record<string, unknown> } | { problems: Problem[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { problems: [{ loc: ['body'], msg: 'must be a JSON object', type: 'type_error.dict' }] };
  }
  const b = body as Record<string, unknown>;
  const problems: Problem[] = [];
  if (!('name' in b)) problems.push({ loc: ['body', 'name'], msg: 'field required', type: 'value_error.missing' });
  else if (typeof b.name !== 'string') problems.push({ loc: ['body', 'name'], msg: 'must be a string', type: 'type_error.str' });
  // Lengths in code points, as JSON Schema counts them (an emoji is one character).
  else if ([...b.name].length < 1 || [...b.name].length > 255)
    problems.push({ loc: ['body', 'name'], msg: 'must be 1 to 255 characters', type: 'value_error.any_str.length' });
  if ('metadata' in b && (typeof b.metadata !== 'object' || b.metadata === null || Array.isArray(b.metadata))) {
    problems.push({ loc: ['body', 'metadata'], msg: 'must be an object', type: 'type_error.dict' });
  }
  if ('priority' in b) {
    if (typeof b.priority !== 'number' || !Number.isInteger(b.priority) || b.priority < 0 || b.priority > 10) {
      problems.push({ loc: ['body', 'priority'], msg: 'must be an integer from 0 to 10', type: 'value_error.number' });
    } else if (faults.has('inputs.no-server-errors') && b.priority === 10) {
      // The fault: the top priority overflows a lookup table (a 5xx only generated inputs reach).
      throw new Error('priority index out of range');
    }
  }
  // The inputs.invalid-rejected fault: visibility is not checked against its enum.
  if (
    'visibility' in b &&
    !(faults.has('inputs.invalid-rejected') && typeof b.visibility === 'string') &&
    !VISIBILITY.includes(b.visibility as string)
  ) {
    problems.push({ loc: ['body', 'visibility'], msg: `must be one of ${VISIBILITY.join(', ')}`, type: 'value_error.enum' });
  }
  // The inputs.valid-accepted fault: the optional visibility is demanded whenever a priority is given.
  if (faults.has('inputs.valid-accepted') && 'priority' in b && !('visibility' in b)) {
    problems.push({ loc: ['body', 'visibility'], msg: 'field required', type: 'value_error.missing' });
  }
  if (problems.length) return { problems };
  // Read-only fields (id, org_id, timestamps) are ignored: never mass-assigned.
  return { fields: { name: b.name, metadata: (b.metadata as Record<string, unknown> | undefined) ?? {} } };
}

async function parseBody(ctx: Ctx): Promise<{ fields: Record<string, unknown>; raw: Record<string, unknown> } | undefined> {
  const body = await readJson(ctx);
  if (!body.ok) {
    if (ctx.faults.has('status.malformed-body-400')) {
      sendError(ctx, 415, 'Unsupported Media Type', 'UNSUPPORTED_MEDIA_TYPE', 'Body could not be read');
    } else if (ctx.faults.has('errors.no-internal-leak.html-encoded')) {
      // json-server's Express error page, as it leaks into a message (issue 12).
      sendError(
        ctx,
        400,
        'Bad Request',
        'MALFORMED_JSON',
        'SyntaxError: Unexpected token } in JSON at position 10<br> &nbsp; &nbsp;at JSON.parse (&lt;anonymous&gt;)<br> &nbsp; &nbsp;at parse (/srv/api/node_modules/body-parser/lib/types/json.js:96:19)',
      );
    } else sendError(ctx, 400, 'Bad Request', 'MALFORMED_JSON', 'Request body is not valid JSON');
    return undefined;
  }
  const checked = validateFields(body.value, ctx.faults);
  if ('problems' in checked) {
    validationError(ctx, checked.problems);
    return undefined;
  }
  return { fields: checked.fields, raw: body.value as Record<string, unknown> };
}

export async function create(ctx: Ctx, identity: Identity): Promise<void> {
  if (forbidWrite(ctx, identity)) return;
  const parsed = await parseBody(ctx);
  if (!parsed) return;
  const item = ctx.tenant.store.create(identity.org, parsed.fields);
  massAssign(ctx, item, parsed.raw);
  ctx.res.setHeader('location', `${ctx.base}${RESOURCE[ctx.profile].collection}/${item.id}`);
  single(ctx, ctx.faults.has('status.create-201') ? 200 : 201, item);
}

export async function item(ctx: Ctx, identity: Identity, id: string): Promise<void> {
  const method = ctx.req.method ?? 'GET';
  if (!['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'].includes(method)) {
    return methodNotAllowed(ctx, ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE']);
  }
  if (!UUID.test(id)) {
    if (ctx.faults.has('status.no-server-errors') && id.length > 1000) throw new Error('id too long for index');
    if (ctx.faults.has('errors.no-internal-leak')) {
      return sendError(
        ctx,
        404,
        'Not Found',
        'NOT_FOUND',
        `Traceback (most recent call last):\n  File "/app/api/routes/items.py", line 42, in get_item\n    uuid.UUID(item_id)\nValueError: badly formed hexadecimal UUID string`,
      );
    }
    return notFound(ctx, id);
  }
  const store = ctx.tenant.store;
  if (method === 'GET' || method === 'HEAD') {
    // Fault auth.cross-tenant: reads look the id up in every organisation.
    const found = store.get(identity.org, id) ?? (ctx.faults.has('auth.cross-tenant') ? store.findAnywhere(id) : undefined);
    if (!found) return notFound(ctx, id, identity.org);
    // Fault methods.get-safe: a read is recorded as a modification.
    if (ctx.faults.has('methods.get-safe')) found.updated_at = new Date().toISOString();
    return single(ctx, ctx.faults.has('status.read-200') ? 203 : 200, found);
  }
  if (forbidWrite(ctx, identity)) return;
  if (method === 'DELETE') {
    const found = store.get(identity.org, id);
    if (!found && ctx.faults.has('methods.delete-idempotent') && store.wasDeleted(identity.org, id)) {
      return sendError(ctx, 410, 'Gone', 'RESOURCE_GONE', `Item ${id} was deleted`);
    }
    if (!found || !store.delete(identity.org, id)) return notFound(ctx, id, identity.org);
    if (ctx.faults.has('status.delete-204')) return single(ctx, 200, found);
    ctx.res.writeHead(204);
    ctx.res.end();
    return;
  }
  if (!store.get(identity.org, id)) return notFound(ctx, id, identity.org);
  const parsed = await parseBody(ctx);
  if (!parsed) return;
  const updated = store.update(identity.org, id, parsed.fields)!;
  massAssign(ctx, updated, parsed.raw);
  single(ctx, ctx.faults.has('status.update-200') ? 202 : 200, updated);
}

function notFound(ctx: Ctx, id: string, org?: string): void {
  // The fault: ids that never existed answer 400; deleted ones still answer 404.
  if (ctx.faults.has('status.not-found-404') && !(org && ctx.tenant.store.wasDeleted(org, id))) {
    return sendError(ctx, 400, 'Bad Request', 'BAD_REQUEST', 'Unknown item');
  }
  const shown = id.length > 64 ? `${id.slice(0, 64)}…` : id;
  sendError(ctx, 404, 'Not Found', 'RESOURCE_NOT_FOUND', `Item ${shown} not found`, undefined, undefined, { resource_id: shown });
}

function validationError(ctx: Ctx, problems: Problem[]): void {
  // The status.validation-422 fault is about request bodies; query parameters keep their 422.
  const status = ctx.faults.has('status.validation-422') && problems.every((p) => p.loc[0] === 'body') ? 400 : 422;
  sendError(ctx, status, 'Unprocessable Entity', 'VALIDATION_FAILED', 'Request validation failed', problems);
}

/** Errors in the profile's format: RFC 9457 problem (platform) or the backend envelope. */
