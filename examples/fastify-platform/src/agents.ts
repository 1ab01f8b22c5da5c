/**
 * /agents/multi-doc-chat/{id}/stream: an AI answer about a document as server-sent events
 * ("Streaming Responses"): message_start, content_delta…, message_end whose content is the
 * deltas joined. The "model" here is a canned sentence; the event contract is the point.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { READ } from './auth.ts';
import { requireScope, type DocumentStore } from './documents.ts';
import { Problem } from './problem.ts';
import { IdParams } from './schemas.ts';

async function* answer(words: readonly string[], delayMs: number): AsyncGenerator<string> {
  const event = (type: string, content: string): string => `data: ${JSON.stringify({ type, content })}\n\n`;
  yield event('message_start', '');
  let content = '';
  for (const [i, word] of words.entries()) {
    const delta = i === 0 ? word : ` ${word}`;
    content += delta;
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    yield event('content_delta', delta);
  }
  yield event('message_end', content);
}

export const agentRoutes: FastifyPluginAsync<{ store: DocumentStore; delayMs?: number }> = async (app, { store, delayMs = 5 }) => {
  app.get<{ Params: { id: string } }>(
    '/agents/multi-doc-chat/:id/stream',
    { onRequest: requireScope(READ), schema: { params: IdParams } },
    async (request, reply) => {
      const doc = store.get(request.principal!.orgId, request.params.id);
      if (!doc)
        throw new Problem(404, `Document ${request.params.id} not found`, {
          context: { resource_type: 'document', resource_id: request.params.id },
        });
      const words = `"${doc.name}" was created on ${doc.created_at.slice(0, 10)} and is ${doc.is_archived ? '' : 'not '}archived.`.split(
        ' ',
      );
      return reply
        .type('text/event-stream; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(Readable.from(answer(words, delayMs)));
    },
  );
};
