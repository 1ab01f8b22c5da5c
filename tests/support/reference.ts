/** Starts the reference API in-process on free loopback ports, for tests (with https when asked and openssl is there). */
import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { join } from 'node:path';
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

export interface InProcessReference extends RunningReference {
  /** Forgets every collection and rate window (a fresh start, same address). */
  reset(): void;
}

const listen = async (server: Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

export async function startReference(options: ReferenceOptions & { https?: boolean } = {}): Promise<InProcessReference> {
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
    reset: () => handler.reset(),
    close: async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}

/** A reference server that records every request it answered. */
export async function startLoggedReference(options: ReferenceOptions = {}): Promise<InProcessReference & { log: RequestLogEntry[] }> {
  const log: RequestLogEntry[] = [];
  const ref = await startReference({ ...options, log: (e) => log.push(e) });
  return { ...ref, log };
}

/**
 * The reference API in a child process (its own core), for tests that also probe in-process:
 * a harness and the server it probes sharing one event loop would measure each other.
 */
export async function spawnReference(options: { https?: boolean } = {}): Promise<RunningReference> {
  const httpsMissing = options.https ? opensslMissing() : undefined;
  const wantHttps = options.https && !httpsMissing;
  const args = [
    '--import',
    'tsx',
    join(import.meta.dirname, '../../reference/main.ts'),
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    ...(wantHttps ? ['--https-port', '0', '--redirect-port', '0'] : []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const lines = wantHttps ? 3 : 1;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the reference API did not start within 20 s:\n${output}`)), 20_000);
    const seen = (d: Buffer): void => {
      output += d.toString();
      if ((output.match(/listening on|redirects to https/g) ?? []).length >= lines) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the reference API exited with ${code}:\n${output}`));
    });
  });
  const url = (pattern: RegExp): string => pattern.exec(output)![1]!;
  return {
    url: url(/listening on (http:\/\/[\d.:]+)/),
    ...(wantHttps ? { httpsUrl: url(/listening on (https:\/\/[\d.:]+)/), redirectUrl: url(/front on (http:\/\/[\d.:]+)/) } : {}),
    ...(httpsMissing ? { httpsMissing } : {}),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
