/** Starts the reference API in-process on a free loopback port, for tests. */
import type { AddressInfo } from 'node:net';
import { createReferenceServer } from '../../reference/app.ts';

export async function startReference(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createReferenceServer();
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
