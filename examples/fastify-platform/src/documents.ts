/**
 * /v2/documents: CRUD with the `{data, metadata}` envelope for single resources and cursor
 * pagination for lists ("Request/Response Format", "Pagination"). Registered once per
 * version prefix; the deprecated /v1 serves the same routes with Deprecation headers.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { READ, WRITE } from './auth.ts';
import { Problem } from './problem.ts';
import { DocumentInput, DocumentPatch, IdParams, ListQuery } from './schemas.ts';

export interface StoredDocument {
  id: string;
  org_id: string;
  name: string;
  metadata: Record<string, unknown>;
  is_archived: boolean;
  created_at: string;
  updated_at: string;
}

type Position = Pick<StoredDocument, 'created_at' | 'id'>;
const byPosition = (a: Position, b: Position): number =>
  a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** In-memory documents per organisation; lists are keyset-ordered by (created_at, id). */
export class DocumentStore {
  private readonly byOrg = new Map<string, Map<string, StoredDocument>>();

  private org(orgId: string): Map<string, StoredDocument> {
    let docs = this.byOrg.get(orgId);
    if (!docs) this.byOrg.set(orgId, (docs = new Map()));
    return docs;
  }

  create(orgId: string, input: { name: string; metadata?: Record<string, unknown>; is_archived?: boolean }): StoredDocument {
    const now = new Date().toISOString();
    const doc: StoredDocument = {
      id: randomUUID(),
      org_id: orgId,
      name: input.name,
      metadata: input.metadata ?? {},
      is_archived: input.is_archived ?? false,
      created_at: now,
      updated_at: now,
    };
    this.org(orgId).set(doc.id, doc);
    return doc;
  }

  get(orgId: string, id: string): StoredDocument | undefined {
    return this.org(orgId).get(id);
  }

  update(
    orgId: string,
    id: string,
    changes: Partial<Pick<StoredDocument, 'name' | 'metadata' | 'is_archived'>>,
  ): StoredDocument | undefined {
    const doc = this.get(orgId, id);
    if (!doc) return undefined;
    Object.assign(doc, changes, { updated_at: new Date().toISOString() });
    return doc;
  }

  delete(orgId: string, id: string): boolean {
    return this.org(orgId).delete(id);
  }

  /** Up to `limit` documents after `after`, and whether more follow. Writes during a walk never shift it. */
  page(orgId: string, after: Position | undefined, limit: number): { items: StoredDocument[]; hasMore: boolean; total: number } {
    const all = [...this.org(orgId).values()].sort(byPosition);
    const rest = after ? all.filter((d) => byPosition(d, after) > 0) : all;
    return { items: rest.slice(0, limit), hasMore: rest.length > limit, total: all.length };
  }
}

// "Cursor: opaque pagination token (base64-encoded JSON)".
export function encodeCursor(doc: Position): string {
  return Buffer.from(JSON.stringify({ id: doc.id, created_at: doc.created_at })).toString('base64url');
}

export function decodeCursor(cursor: string): Position | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(cursor)) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as Partial<Position> | null;
    if (typeof value?.id !== 'string' || typeof value.created_at !== 'string' || Number.isNaN(Date.parse(value.created_at)))
      return undefined;
    return { id: value.id, created_at: value.created_at };
  } catch {
    return undefined;
  }
}

export function requireScope(scope: string) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!request.principal?.scopes.has(scope)) {
      throw new Problem(403, `This credential lacks the ${scope} permission`, { context: { required_scope: scope } });
    }
  };
}

/** Single resources: `{data, metadata: {request_id, timestamp, processing_time_ms}}`. */
export function envelope(
  request: FastifyRequest,
  reply: FastifyReply,
  data: unknown,
): { data: unknown; metadata: Record<string, unknown> } {
  return {
    data,
    metadata: { request_id: request.id, timestamp: new Date().toISOString(), processing_time_ms: Math.round(reply.elapsedTime) },
  };
}

const notFound = (id: string): Problem =>
  new Problem(404, `Document ${id} not found`, { context: { resource_type: 'document', resource_id: id } });

export const documentRoutes: FastifyPluginAsync<{ store: DocumentStore }> = async (app, { store }) => {
  const read = { onRequest: requireScope(READ) };
  const write = { onRequest: requireScope(WRITE) };
  const org = (request: FastifyRequest): string => request.principal!.orgId;

  app.get<{ Querystring: { cursor?: string; limit: number } }>(
    '/documents',
    { ...read, schema: { querystring: ListQuery } },
    async (request) => {
      const { cursor, limit } = request.query;
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      if (cursor !== undefined && !after) {
        throw new Problem(400, 'The cursor is not valid: pass pagination.cursor from a previous page unchanged, or omit it', {
          context: { parameter: 'cursor' },
        });
      }
      const page = store.page(org(request), after, limit);
      const last = page.items.at(-1);
      return {
        items: page.items,
        pagination: { cursor: page.hasMore && last ? encodeCursor(last) : null, has_more: page.hasMore, limit },
        metadata: { total_count: page.total },
      };
    },
  );

  app.post<{ Body: { name: string; metadata?: Record<string, unknown>; is_archived?: boolean } }>(
    '/documents',
    { ...write, schema: { body: DocumentInput } },
    async (request, reply) => {
      const doc = store.create(org(request), request.body);
      reply.code(201).header('location', `${request.url.split('?')[0]}/${doc.id}`);
      return envelope(request, reply, doc);
    },
  );

  app.get<{ Params: { id: string } }>('/documents/:id', { ...read, schema: { params: IdParams } }, async (request, reply) => {
    const doc = store.get(org(request), request.params.id);
    if (!doc) throw notFound(request.params.id);
    return envelope(request, reply, doc);
  });

  app.put<{ Params: { id: string }; Body: { name: string; metadata?: Record<string, unknown>; is_archived?: boolean } }>(
    '/documents/:id',
    { ...write, schema: { params: IdParams, body: DocumentInput } },
    async (request, reply) => {
      const { name, metadata = {}, is_archived = false } = request.body;
      const doc = store.update(org(request), request.params.id, { name, metadata, is_archived });
      if (!doc) throw notFound(request.params.id);
      return envelope(request, reply, doc);
    },
  );

  app.patch<{ Params: { id: string }; Body: { name?: string; metadata?: Record<string, unknown>; is_archived?: boolean } }>(
    '/documents/:id',
    { ...write, schema: { params: IdParams, body: DocumentPatch } },
    async (request, reply) => {
      const doc = store.update(org(request), request.params.id, request.body);
      if (!doc) throw notFound(request.params.id);
      return envelope(request, reply, doc);
    },
  );

  app.delete<{ Params: { id: string } }>('/documents/:id', { ...write, schema: { params: IdParams } }, async (request, reply) => {
    if (!store.delete(org(request), request.params.id)) throw notFound(request.params.id);
    return reply.code(204).send();
  });
};
