/**
 * A server that misbehaves on purpose, one way per base path (/<case>/…); health answers
 * normally so the harness gets past its reachability check and meets the misbehaviour in the
 * probes. A second "capture" origin records whether any credential ever reached it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';

export const HOSTILE_CASES = [
  'hang',
  'drip',
  'huge-body',
  'invalid-json',
  'html-errors',
  'redirect-loop',
  'redirect-away',
  'truncated-chunked',
  'reset',
  'bad-headers',
  'bad-gzip',
] as const;
export type HostileCase = (typeof HOSTILE_CASES)[number];

export interface Hostile {
  readonly url: string;
  readonly captureUrl: string;
  /** Requests that reached the capture origin, with their Authorization header (if any). */
  readonly captured: { url: string; authorization?: string; apiKey?: string }[];
  close(): Promise<void>;
}

function misbehave(kind: HostileCase, req: IncomingMessage, res: ServerResponse, captureUrl: string): void {
  const socket = req.socket as Socket;
  switch (kind) {
    case 'hang':
      return; // never answers
    case 'drip': {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 1000);
      res.on('close', () => clearInterval(timer));
      return;
    }
    case 'huge-body': {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < 50) {
          sent++;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end('{}');
      };
      pump();
      return;
    }
    case 'invalid-json':
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      return void res.end('{"items": [{"id": "1", "name": ');
    case 'html-errors':
      res.writeHead(500, { 'content-type': 'text/html' });
      return void res.end(
        '<html><head><title>Internal Server Error</title></head><body><h1>500</h1><pre>Traceback (most recent call last):\n  File "/app/main.py", line 1</pre></body></html>',
      );
    case 'redirect-loop':
      res.writeHead(302, { location: req.url ?? '/' });
      return void res.end();
    case 'redirect-away':
      res.writeHead(307, { location: `${captureUrl}${req.url ?? '/'}` });
      return void res.end();
    case 'truncated-chunked':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"items": [');
      return void setTimeout(() => socket.destroy(), 20);
    case 'reset':
      return void socket.resetAndDestroy();
    case 'bad-headers':
      socket.write(
        'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Type: text/html\r\nX-Broken Header: yes\r\nContent-Length: 2\r\n\r\n{}',
      );
      return void socket.destroy();
    case 'bad-gzip':
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      return void res.end(Buffer.concat([gzipSync('{"items":[]}').subarray(0, 12), Buffer.from('not gzip at all')]));
  }
}

export async function startHostile(): Promise<Hostile> {
  const captured: Hostile['captured'] = [];
  const capture = createServer((req, res) => {
    captured.push({
      url: req.url ?? '',
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      ...(req.headers['x-api-key'] ? { apiKey: String(req.headers['x-api-key']) } : {}),
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"healthy"}');
  });
  const sockets = new Set<Socket>();
  let captureUrl = '';
  const server: Server = createServer((req, res) => {
    const [, kind, ...rest] = (req.url ?? '/').split('/');
    const path = `/${rest.join('/')}`;
    if (path.startsWith('/health')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ status: 'healthy', timestamp: new Date().toISOString() }));
    }
    if (!(HOSTILE_CASES as readonly string[]).includes(kind ?? '')) {
      res.writeHead(404);
      return void res.end();
    }
    misbehave(kind as HostileCase, req, res, captureUrl);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // A different origin: "localhost" instead of 127.0.0.1 (credentials are per origin).
  await new Promise<void>((r) => capture.listen(0, '127.0.0.1', r));
  captureUrl = `http://localhost:${(capture.address() as AddressInfo).port}`;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    captureUrl,
    captured,
    close: async () => {
      for (const s of sockets) s.destroy();
      capture.closeAllConnections();
      await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => capture.close(r))]);
    },
  };
}
