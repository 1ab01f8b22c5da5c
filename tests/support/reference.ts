/** Starts the reference API in-process on a free loopback port, for tests. */
import type { AddressInfo } from 'node:net';
import { createReferenceServer, type ReferenceOptions, type RequestLogEntry } from '../../reference/app.ts';

export async function startReference(options: ReferenceOptions = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createReferenceServer(options);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A reference server that records every request it answered. */
export async function startLoggedReference(options: ReferenceOptions = {}): Promise<{ url: string; log: RequestLogEntry[]; close: () => Promise<void> }> {
  const log: RequestLogEntry[] = [];
  const ref = await startReference({ ...options, log: (e) => log.push(e) });
  return { ...ref, log };
}
