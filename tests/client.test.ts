import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ProbeClient, retryAfterSeconds } from '../src/http/client.ts';
import { Pacer } from '../src/http/pacer.ts';
import { BODY_CAP } from '../src/http/exchange.ts';
import { target } from './support/exchanges.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('probe client', () => {
  let server: Server;
  let base: string;
  const seen: { url: string; headers: IncomingMessage['headers'] }[] = [];
  const routes = new Map<string, Handler>();
  let attempts = 0;

  before(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      const handler = routes.get((req.url ?? '').split('?')[0]!);
      if (handler) handler(req, res);
      else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    routes.set('/redirect', (_q, res) => {
      res.writeHead(302, { location: `${base}/elsewhere` });
      res.end();
    });
    routes.set('/big', (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(Buffer.alloc(BODY_CAP + 5000, 97));
    });
    routes.set('/hang', () => undefined);
    routes.set('/drip', (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('x'), 50);
      res.on('close', () => clearInterval(timer));
    });
    routes.set('/limited', (_q, res) => {
      attempts++;
      if (attempts === 1) {
        res.writeHead(429, { 'retry-after': '1' });
        res.end('{}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    routes.set('/flaky', (_q, res) => {
      attempts++;
      res.writeHead(attempts % 2 === 1 ? 503 : 200);
      res.end();
    });
    routes.set('/echo', (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ auth: req.headers.authorization }));
    });
  });
  after(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );

  const mk = () =>
    new ProbeClient(target('platform', '    timeout_ms: 500\n    auth:\n      bearer: secret-token-abcdef\n', base), {
      sleep: async () => undefined,
    });

  it('follows no redirect', async () => {
    const e = await mk().send({ probe: 't', purpose: 'p', method: 'GET', path: '/redirect' });
    assert.equal(e.response?.status, 302);
    assert.ok(!seen.some((s) => s.url === '/elsewhere'));
  });

  it('keeps the first 1 MiB of a body and says how much was dropped', async () => {
    const e = await mk().send({ probe: 't', purpose: 'p', method: 'GET', path: '/big' });
    assert.equal(Buffer.byteLength(e.response!.body), BODY_CAP);
    assert.equal(e.response!.droppedBytes, 5000);
  });

  it('bounds a request that never answers and one that drips forever', async () => {
    const c = mk();
    const started = Date.now();
    const hang = await c.send({ probe: 't', purpose: 'p', method: 'GET', path: '/hang' });
    assert.equal(hang.error?.code, 'TIMEOUT');
    const drip = await c.send({ probe: 't', purpose: 'p', method: 'GET', path: '/drip' });
    assert.ok(drip.response?.incomplete, 'a drip past the deadline is recorded as incomplete');
    assert.ok(Date.now() - started < 3000);
  });

  it('stops waiting on a target after three timeouts in a row, and says why', async () => {
    const c = mk();
    for (let i = 0; i < 3; i++)
      assert.equal((await c.send({ probe: 't', purpose: 'p', method: 'GET', path: '/hang' })).error?.code, 'TIMEOUT');
    const started = Date.now();
    const next = await c.send({ probe: 't', purpose: 'p', method: 'GET', path: '/echo' });
    assert.equal(next.error?.code, 'GAVE_UP');
    assert.match(next.error!.message, /timed out 3 times in a row/);
    assert.ok(Date.now() - started < 100);
    assert.equal(c.sentByMethod.GET, 3, 'a request not sent is not counted as sent');
  });

  it('does not spend the budget on requests it does not send', async () => {
    // A budget of 3 per hour: after three timeouts a fourth *sent* request would wait an hour.
    const budgeted = target(
      'platform',
      '    timeout_ms: 300\n    rate_limit: { limit: 3, window_s: 3600, anonymous: { limit: 3, window_s: 3600 } }\n',
      base,
    );
    const c = new ProbeClient(budgeted, {
      pacer: new Pacer(1, Date.now, async (ms) => {
        throw new Error(`waited ${ms} ms for the budget`);
      }),
    });
    for (let i = 0; i < 3; i++) await c.send({ probe: 't', purpose: 'p', method: 'GET', path: '/hang', credential: 'none' });
    for (let i = 0; i < 20; i++)
      assert.equal((await c.send({ probe: 't', purpose: 'p', method: 'GET', path: '/echo', credential: 'none' })).error?.code, 'GAVE_UP');
  });

  it('does not sit out a spent hourly budget: past max_wait_s the request is not sent, and says why', async () => {
    const budgeted = target(
      'platform',
      '    rate_limit: { limit: 100, window_s: 60, anonymous: { limit: 2, window_s: 3600 }, max_wait_s: 5 }\n',
      base,
    );
    const c = new ProbeClient(budgeted, {
      pacer: new Pacer(1, Date.now, async (ms) => {
        throw new Error(`waited ${ms} ms`);
      }),
    });
    for (let i = 0; i < 2; i++)
      assert.equal((await c.send({ probe: 't', purpose: 'p', method: 'GET', path: '/echo', credential: 'none' })).response?.status, 200);
    const started = Date.now();
    const third = await c.send({ probe: 't', purpose: 'p', method: 'GET', path: '/echo', credential: 'none' });
    assert.equal(third.error?.code, 'BUDGET');
    assert.match(
      third.error!.message,
      /^not sent: the .* anonymous budget \(2 per 3600 s\) is spent; the next request could go in \d{4} s, longer than the harness waits \(max_wait_s 5 s, at least 60 s\)/,
    );
    assert.ok(Date.now() - started < 100, 'at once');
    assert.equal(c.sentByMethod.GET, 2, 'not counted as sent');
    assert.equal(
      (await c.send({ probe: 't', purpose: 'p', method: 'GET', path: '/echo' })).response?.status,
      200,
      "the credential's own budget still has room",
    );
  });

  it('maps a refused connection to a clear transport error', async () => {
    const c = mk();
    const e = await c.send({ probe: 't', purpose: 'p', method: 'GET', url: 'http://127.0.0.1:1/health' });
    assert.equal(e.error?.code, 'ECONNREFUSED');
    assert.match(e.error!.message, /connection refused/);
  });

  it('honours an unexpected 429 once and says so', async () => {
    attempts = 0;
    const e = await mk().send({ probe: 't', purpose: 'p', method: 'GET', path: '/limited' });
    assert.equal(e.response?.status, 200);
    assert.match(e.notes!.join(), /honoured Retry-After \(1 s\)/);
  });

  it('retries a 503 once', async () => {
    attempts = 0;
    const e = await mk().send({ probe: 't', purpose: 'p', method: 'GET', path: '/flaky' });
    assert.equal(e.response?.status, 200);
    assert.match(e.notes!.join(), /retried once/);
  });

  it('sends credentials only to the target origin and redacts them in evidence', async () => {
    const c = mk();
    const own = await c.send({ probe: 't', purpose: 'p', method: 'GET', path: '/echo' });
    assert.equal(seen.at(-1)!.headers.authorization, 'Bearer secret-token-abcdef');
    assert.ok(!JSON.stringify(own).includes('secret-token-abcdef'), 'the exchange (incl. echoed body and curl) holds no secret');
    assert.match(own.curl, /"\$CONFORMANCE_BEARER"/);
    const other = base.replace('127.0.0.1', 'localhost');
    await c.send({ probe: 't', purpose: 'p', method: 'GET', url: `${other}/echo` });
    assert.equal(seen.at(-1)!.headers.authorization, undefined);
  });

  it('reads Retry-After as delta-seconds or an HTTP date', () => {
    assert.equal(retryAfterSeconds('30'), 30);
    assert.equal(retryAfterSeconds(new Date(Date.now() + 10_000).toUTCString(), Date.now()), 10);
    assert.equal(retryAfterSeconds('soon'), undefined);
  });
});
