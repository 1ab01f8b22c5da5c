/**
 * Server-sent events (platform guideline 'Streaming Responses › Server-Sent Events'):
 * GET /agents/multi-doc-chat/{document_id}/stream answers a chat message about one document as
 * message_start → content_delta… → message_end, written in small pieces over a few
 * milliseconds. It uses what a real stream uses: a comment, `retry`, `id`, a typed `event`,
 * a keep-alive event of another type and one `data` value spread over two lines.
 */
import { authenticate, type Identity } from './auth.ts';
import type { Ctx } from './context.ts';
import { methodNotAllowed, sendError } from './respond.ts';

export const STREAM_PREFIX = '/agents/multi-doc-chat/';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function chatStream(ctx: Ctx, identity: Identity, documentId: string): Promise<void> {
  const doc = UUID.test(documentId) ? ctx.tenant.store.get(identity.org, documentId) : undefined;
  if (!doc) {
    const shown = documentId.length > 64 ? `${documentId.slice(0, 64)}…` : documentId;
    return sendError(ctx, 404, 'Not Found', 'RESOURCE_NOT_FOUND', `Document ${shown} not found`, undefined, undefined, {
      resource_id: shown,
    });
  }
  const name = typeof doc.fields.name === 'string' ? doc.fields.name : 'the document';
  const deltas = ['Summary of ', `"${name}"`, ': it has ', 'no pages yet', '.'];
  // The fault: the closing message loses the last delta.
  const end = (ctx.faults.has('streaming.sse') ? deltas.slice(0, -1) : deltas).join('');
  ctx.res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'x-accel-buffering': 'no' });
  const frames = [
    ': reference chat stream\nretry: 3000\n\n',
    `id: 1\nevent: message\ndata: ${JSON.stringify({ type: 'message_start', content: '' })}\n\n`,
    ...deltas.map((content, i) =>
      i === 1
        ? // One value over two `data:` lines: the receiver joins them with a newline.
          `id: ${i + 2}\ndata: {"type": "content_delta",\ndata:  "content": ${JSON.stringify(content)}}\n\n`
        : `id: ${i + 2}\ndata: ${JSON.stringify({ type: 'content_delta', content })}\n\n`,
    ),
    `data: ${JSON.stringify({ type: 'ping' })}\r\n\r\n`,
    `id: ${deltas.length + 2}\ndata: ${JSON.stringify({ type: 'message_end', content: end })}\n\n`,
  ];
  for (const frame of frames) {
    if (ctx.res.destroyed) return;
    ctx.res.write(frame);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  ctx.res.end();
}

/** GET on a chat stream of the platform profile; false when the path is not one. */
export async function streamRoute(ctx: Ctx): Promise<boolean> {
  if (ctx.profile !== 'platform' || !ctx.path.startsWith(STREAM_PREFIX)) return false;
  const match = /^([^/]+)\/stream$/.exec(ctx.path.slice(STREAM_PREFIX.length));
  if (!match) return false;
  if (ctx.req.method !== 'GET') {
    methodNotAllowed(ctx, ['GET']);
    return true;
  }
  const identity = authenticate(ctx);
  if (!identity) return true;
  await chatStream(ctx, identity, decodeURIComponent(match[1]!));
  return true;
}
