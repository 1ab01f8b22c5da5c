/**
 * A tiny OAuth 2.0 token endpoint for the token source's tests: it counts requests, records how
 * the client authenticated, and issues opaque tokens that live `ttlS` seconds.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenRequestSeen {
  readonly method: 'client_secret_post' | 'client_secret_basic' | 'none';
  readonly clientId?: string;
  readonly form: Record<string, string>;
}

export interface TokenServer {
  readonly url: string;
  readonly requests: TokenRequestSeen[];
  /** Tokens issued, with their expiry (epoch ms). */
  readonly issued: Map<string, number>;
  close(): Promise<void>;
}

export interface TokenServerOptions {
  readonly ttlS?: number;
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Answer every request with this (status, body). */
  readonly refuse?: { status: number; body: string };
  /** The body of a successful answer, instead of an opaque token with expires_in. */
  readonly success?: () => Record<string, unknown>;
  /** Wait before answering (to make concurrent requests overlap). */
  readonly delayMs?: number;
}

const formDecode = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));

export async function startTokenServer(options: TokenServerOptions = {}): Promise<TokenServer> {
  const requests: TokenRequestSeen[] = [];
  const issued = new Map<string, number>();
  let n = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString('utf8');
    });
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(raw));
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      let seen: TokenRequestSeen;
      let secret: string | undefined;
      if (basic) {
        const [id, pw] = Buffer.from(basic, 'base64').toString('utf8').split(':') as [string, string];
        seen = { method: 'client_secret_basic', clientId: formDecode(id), form };
        secret = formDecode(pw ?? '');
      } else {
        seen = {
          method: form.client_secret ? 'client_secret_post' : 'none',
          ...(form.client_id ? { clientId: form.client_id } : {}),
          form,
        };
        secret = form.client_secret;
      }
      requests.push(seen);
      const answer = (status: number, body: string): void => {
        setTimeout(() => {
          res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          res.end(body);
        }, options.delayMs ?? 0);
      };
      if (options.refuse) return answer(options.refuse.status, options.refuse.body);
      if (seen.clientId !== (options.clientId ?? 'client-1') || secret !== (options.clientSecret ?? 'client-secret-canary-8f3a')) {
        return answer(401, JSON.stringify({ error: 'invalid_client', error_description: 'unknown client' }));
      }
      const token = `tok-${++n}-${Math.random().toString(36).slice(2)}`;
      const ttlS = options.ttlS ?? 2;
      issued.set(token, Date.now() + ttlS * 1000);
      answer(200, JSON.stringify(options.success?.() ?? { access_token: token, token_type: 'Bearer', expires_in: ttlS }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/oauth/token`,
    requests,
    issued,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
