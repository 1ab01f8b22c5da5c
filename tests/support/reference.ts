/** Starts the reference API in-process on free loopback ports, for tests (with https when asked and openssl is there). */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReferenceHandler, createReferenceServer, type ReferenceOptions, type RequestLogEntry } from '../../reference/app.ts';
import { createHttpsRedirector, createReferenceHttpsServer, opensslMissing } from '../../reference/tls.ts';

export interface RunningReference {
  readonly url: string;
  /** The same API over https (self-signed certificate), unless `httpsMissing` says why not. */
  readonly httpsUrl?: string;
  /** Plain-http front that redirects to `httpsUrl` (an https target's http_url). */
  readonly redirectUrl?: string;
  readonly httpsMissing?: string;
  close(): Promise<void>;
}

const listen = async (server: Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

export async function startReference(options: ReferenceOptions & { https?: boolean } = {}): Promise<RunningReference> {
  const { https: wantHttps, ...referenceOptions } = options;
  const handler = createReferenceHandler(referenceOptions);
  const servers: Server[] = [createReferenceServer({}, handler)];
  const port = await listen(servers[0]!);
  let https: Pick<RunningReference, 'httpsUrl' | 'redirectUrl' | 'httpsMissing'> = {};
  if (wantHttps) {
    const missing = opensslMissing();
    if (missing) https = { httpsMissing: missing };
    else {
      const tls = createReferenceHttpsServer(handler);
      const httpsUrl = `https://127.0.0.1:${await listen(tls)}`;
      const redirector = createHttpsRedirector(() => httpsUrl, handler);
      servers.push(tls, redirector);
      https = { httpsUrl, redirectUrl: `http://127.0.0.1:${await listen(redirector)}` };
    }
  }
  return {
    url: `http://127.0.0.1:${port}`,
    ...https,
    close: async () => {
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })));
    },
  };
}

/** A reference server that records every request it answered. */
export async function startLoggedReference(options: ReferenceOptions = {}): Promise<RunningReference & { log: RequestLogEntry[] }> {
  const log: RequestLogEntry[] = [];
  const ref = await startReference({ ...options, log: (e) => log.push(e) });
  return { ...ref, log };
}
