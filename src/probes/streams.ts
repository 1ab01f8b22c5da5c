/**
 * Event streams (SPEC §6 streaming.sse): GET each declared stream of an item (one the harness
 * created, else the first listed) and read it incrementally, stopping at the first
 * message_end or when the time budget runs out.
 */
import { jsonBody } from '../http/exchange.ts';
import { SseParser } from '../http/sse.ts';
import { createdItem, credentialFor, resourcesCreateProbe, resourcesListProbe } from './resources.ts';
import { tally } from './support.ts';
import { defineProbe, type ProbeDef } from './types.ts';

export interface StreamProbeOutput {
  readonly stream: string;
  readonly exchange?: number;
  readonly skipped?: string;
  /** Whether reading stopped at a message_end (else the stream closed or the budget ran out). */
  readonly sawMessageEnd?: boolean;
}

/** Streams of AI answers take longer than one request: a budget of its own. */
export const STREAM_BUDGET_FLOOR_MS = 15_000;

function isMessageEnd(data: string): boolean {
  try {
    const v = JSON.parse(data) as { type?: unknown };
    return typeof v === 'object' && v !== null && v.type === 'message_end';
  } catch {
    return false;
  }
}

export const streamsSseProbe = defineProbe({
  name: 'streams:sse',
  needs: [resourcesCreateProbe, resourcesListProbe],
  // None for a stream of an item when no item was created or listed.
  estimate: (t) =>
    tally(
      t.streams.map((s) => {
        const resource = s.resource ? t.resources.find((r) => r.name === s.resource) : t.resources[0];
        return [credentialFor(t, resource), s.path.includes('{id}') && !resource ? 0 : 1];
      }),
    ),
  run: async (ctx) => {
    const out: StreamProbeOutput[] = [];
    for (const stream of ctx.target.streams) {
      const resource = stream.resource ? ctx.target.resources.find((r) => r.name === stream.resource) : ctx.target.resources[0];
      let path = stream.path;
      if (path.includes('{id}')) {
        let itemId = resource ? createdItem(ctx, resource)?.itemId : undefined;
        if (!itemId && resource) {
          const listId = ctx.output(resourcesListProbe)?.[resource.name];
          const list = ctx.client.exchanges.find((e) => e.id === listId);
          const items = list ? (jsonBody(list) as { items?: { id?: unknown }[] } | undefined)?.items : undefined;
          const first = Array.isArray(items) ? items[0]?.id : undefined;
          if (typeof first === 'string' || typeof first === 'number') itemId = String(first);
        }
        if (!itemId) {
          out.push({ stream: stream.path, skipped: `no ${resource?.name ?? 'resource'} item to stream (none created, none listed)` });
          continue;
        }
        path = path.replace('{id}', encodeURIComponent(itemId));
      }
      const parser = new SseParser();
      let sawMessageEnd = false;
      const exchange = await ctx.send({
        purpose: 'read the event stream until message_end',
        method: 'GET',
        path,
        credential: credentialFor(ctx.target, resource),
        headers: { accept: 'text/event-stream' },
        timeoutMs: Math.max(ctx.target.timeoutMs * 3, STREAM_BUDGET_FLOOR_MS),
        onData: (chunk) => {
          if (parser.push(chunk).some((e) => isMessageEnd(e.data))) sawMessageEnd = true;
          return sawMessageEnd;
        },
      });
      out.push({ stream: stream.path, exchange: exchange.id, sawMessageEnd });
    }
    return out;
  },
});

export const STREAM_PROBES: readonly ProbeDef[] = [streamsSseProbe];
