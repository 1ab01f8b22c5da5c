/**
 * The probe client's streamed uploads against servers that misbehave the ways real ones do:
 * answering 413 after reading 20 MB and closing at once, closing without any answer, and
 * reading everything. The body comes from a generator; nothing is buffered whole.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { parseTargets } from '../src/config/load.ts';
import { ProbeClient } from '../src/http/client.ts';
import { multipartBody } from '../src/http/multipart.ts';

let server: Server;
let base: string;
let lastLength: string | undefined;

function handler(req: IncomingMessage, res: ServerResponse): void {
  lastLength = req.headers['content-length'];
  let seen = 0;
  if (req.url === '/all') {
    req.on('data', (c: Buffer) => {
      seen += c.length;
    });
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ seen }));
    });
    return;
  }
  req.on('data', (c: Buffer) => {
    seen += c.length;
    if (seen < 20_000_000 || res.headersSent || req.socket.destroyed) return;
    if (req.url === '/silent') {
      req.socket.destroy();
      return;
    }
    // Answer, then close at once: the rest of the upload meets a reset connection.
    res.writeHead(413, { 'content-type': 'application/problem+json', connection: 'close' });
    res.end(JSON.stringify({ status: 413, title: 'Content Too Large' }), () => req.socket.destroy());
  });
}

const client = (): ProbeClient =>
  new ProbeClient(
    parseTargets(`version: 1\ntargets:\n  t:\n    base_url: ${base}\n    profile: backend\n    timeout_ms: 20000\n`, 'inline.yaml', {})[0]!,
  );

const upload = (c: ProbeClient, path: string, bytes: number) => {
  const body = multipartBody({ field: 'file', filename: 'big.json', contentType: 'application/json', bytes });
  return c.send({
    probe: 'uploads:too-large',
    purpose: 'big upload',
    method: 'POST',
    path,
    credential: 'none',
    headers: { 'content-type': body.contentType },
    stream: body,
  });
};

describe('streamed uploads', () => {
  before(async () => {
    server = createServer(handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );

  it('records the answer of a service that answers early and closes mid-upload', async () => {
    const c = client();
    for (let i = 0; i < 5; i++) {
      const e = await upload(c, '/early', 50_000_000);
      assert.equal(e.response?.status, 413, `attempt ${i}: ${e.error?.code} ${e.error?.message}`);
      assert.match(e.response!.body, /Content Too Large/);
    }
    await c.close();
  });

  it('reports a transport error when the service closes without answering', async () => {
    const c = client();
    const e = await upload(c, '/silent', 50_000_000);
    assert.equal(e.response, undefined);
    assert.ok(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'].includes(e.error!.code), e.error!.code);
    await c.close();
  });

  it('sends exactly Content-Length bytes, and records a description and a curl -F line, not the body', async () => {
    const c = client();
    const e = await upload(c, '/all', 3_000_001);
    const body = JSON.parse(e.response!.body) as { seen: number };
    assert.equal(String(body.seen), lastLength);
    assert.equal(e.request.bodyBytes, body.seen);
    assert.match(e.request.body!, /streamed: field "file", file "big.json" of 3000001 bytes/);
    assert.match(e.curl, /-F 'file=@big.json;type=application\/json'/);
    assert.doesNotMatch(e.curl, /content-length|boundary/i);
    await c.close();
  });
});
