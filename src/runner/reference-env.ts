/**
 * The embedded reference API starts only for targets that use it: a targets file that names
 * ${CONFORMANCE_REFERENCE_URL}. The URL gets a free loopback port chosen once per run (in the
 * runner; workers inherit it), so two runs on one machine never clash over ports.
 *
 * `conformance run` serves it from its own process (startReference), which otherwise only waits
 * for Playwright: it is listening before Playwright starts, where a `webServer` would start a
 * process and poll it on the run's critical path. `npx playwright test` alone gets the webServer.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { referenceCredentials } from '../../reference/tokens.ts';

export const REFERENCE_VAR = 'CONFORMANCE_REFERENCE_URL';

export function usesReference(targetsFile: string): boolean {
  try {
    return readFileSync(targetsFile, 'utf8').includes(`\${${REFERENCE_VAR}`);
  } catch {
    return false;
  }
}

export function freeLoopbackPort(): number {
  const script =
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

/**
 * Prepares the environment for a run against the reference API. Returns the port to start it
 * on, or undefined when someone already runs it (CONFORMANCE_REFERENCE_URL was set).
 */
export function prepareReferenceEnv(env: NodeJS.ProcessEnv = process.env): { port?: number; url: string } {
  for (const [k, v] of Object.entries(referenceCredentials())) env[k] ??= v;
  if (env[REFERENCE_VAR]) return { url: env[REFERENCE_VAR]! };
  const port = freeLoopbackPort();
  env[REFERENCE_VAR] = `http://127.0.0.1:${port}`;
  env.CONFORMANCE_REFERENCE_STARTED = '1';
  return { port, url: env[REFERENCE_VAR]! };
}

/**
 * Starts the reference API in this process on a free loopback port and points `env` at it (the
 * credentials too). Resolves to what stops it.
 */
export async function startReference(env: NodeJS.ProcessEnv): Promise<() => Promise<void>> {
  const { createReferenceServer } = await import('../../reference/app.ts');
  const server = createReferenceServer();
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(0, '127.0.0.1', listening);
  });
  env[REFERENCE_VAR] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  delete env.CONFORMANCE_REFERENCE_STARTED;
  prepareReferenceEnv(env);
  return () =>
    new Promise<void>((closed) => {
      server.close(() => closed());
      server.closeAllConnections();
    });
}
