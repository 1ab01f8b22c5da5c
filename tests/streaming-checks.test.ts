/** streaming.sse over in-memory recordings: the message contract, SSE framing, not applicable. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Exchange } from '../src/http/exchange.ts';
import { ruleById } from '../src/rules/registry.ts';
import type { Outcome } from '../src/rules/types.ts';
import { context, exchange, recording } from './support/exchanges.ts';

const sseHeaders = { 'content-type': 'text/event-stream; charset=utf-8' };
const stream = (body: string, status = 200, headers: Record<string, string> = sseHeaders): Exchange =>
  exchange({ probe: 'streams:sse', path: '/agents/multi-doc-chat/1/stream', status, body, headers });
const data = (v: unknown): string => `data: ${typeof v === 'string' ? v : JSON.stringify(v)}\n\n`;
const judge = (e: Exchange | undefined): Outcome =>
  ruleById('streaming.sse')!.behaviour!.check(
    recording(e ? [e] : [], {
      'streams:sse': e ? [{ stream: '/s', exchange: e.id }] : [{ stream: '/s', skipped: 'no documents item to stream' }],
    }),
    context('platform'),
  );

const good = [
  ': hello\n\n',
  data({ type: 'message_start', content: '' }),
  'event: message\nid: 2\ndata: {"type": "content_delta",\ndata: "content": "Hello"}\n\n',
  data({ type: 'ping' }),
  data({ type: 'content_delta', content: ' world' }),
  data({ type: 'message_end', content: 'Hello world' }),
].join('');

describe('streaming.sse', () => {
  it('passes on the guideline contract (comments, multi-line data, other types ignored)', () => {
    const out = judge(stream(good));
    assert.equal(out.status, 'passed', JSON.stringify(out));
    assert.match(out.status === 'passed' ? out.message : '', /1 message\(s\), 2 delta\(s\)/);
  });
  it('fails when the end content is not the deltas joined', () => {
    const out = judge(stream(good.replace('"Hello world"', '"Hello"')));
    assert.equal(out.status, 'failed');
    const f = out.status === 'failed' ? out.findings[0]! : undefined;
    assert.equal(f?.at, 'event[4].data.content');
    assert.equal(f?.expected, '"Hello world"');
  });
  it('fails on order violations, non-JSON data and a stream that never ends its message', () => {
    const delta = data({ type: 'content_delta', content: 'x' });
    const early = judge(stream(delta + good));
    assert.match(early.status === 'failed' ? early.findings[0]!.message : '', /content_delta outside a message/);
    const done = judge(stream(`${good}data: [DONE]\n\n`));
    assert.match(done.status === 'failed' ? done.findings[0]!.message : '', /data is not JSON/);
    const open = judge(stream(data({ type: 'message_start', content: '' }) + delta));
    assert.match(open.status === 'failed' ? open.findings[0]!.message : '', /ended without a message_end/);
    const none = judge(stream(': only comments\n\n'));
    assert.match(none.status === 'failed' ? none.findings[0]!.message : '', /carried no message/);
  });
  it('fails on a wrong status or content type', () => {
    assert.equal(judge(stream(good, 200, { 'content-type': 'application/json' })).status, 'failed');
    assert.equal(judge(stream('{"status":404}', 404, { 'content-type': 'application/problem+json' })).status, 'failed');
  });
  it('is skipped with the reason when no stream was read', () => {
    const out = judge(undefined);
    assert.equal(out.status, 'skipped');
    assert.match(out.status === 'skipped' ? out.message : '', /no documents item to stream/);
  });
});
