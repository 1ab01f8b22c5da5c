/**
 * Starts the reference API: `node --import tsx reference/main.ts --port 4010 [--host 127.0.0.1]
 * [--log requests.jsonl] [--delay-ms 50] [--https-port 4443 [--redirect-port 4080]]`.
 * With --https-port it also serves https with a self-signed certificate made at start (probe it
 * with tls_verify: false), and with --redirect-port a plain-http front that redirects to it (the
 * https target's http_url).
 * `--tokens` prints the shell exports of the credentials the shipped targets.yaml expects.
 */
import { appendFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReferenceHandler, createReferenceServer } from './app.ts';
import { createHttpsRedirector, createReferenceHttpsServer } from './tls.ts';
import { referenceCredentials } from './tokens.ts';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

if (args.includes('--tokens')) {
  for (const [k, v] of Object.entries(referenceCredentials())) console.log(`export ${k}='${v}'`);
  process.exit(0);
}

const port = Number(option('port') ?? process.env.PORT ?? 4010);
const host = option('host') ?? '127.0.0.1';
const logFile = option('log');
const delayMs = Number(option('delay-ms') ?? 0);
const handler = createReferenceHandler({
  ...(delayMs ? { delayMs } : {}),
  // One JSON line per request, for audits of what a run sent.
  ...(logFile ? { log: (entry) => appendFileSync(logFile, `${JSON.stringify(entry)}\n`) } : {}),
});
const servers: Server[] = [createReferenceServer({}, handler)];
// Ports may be 0 (any free one): what is printed is what was bound, for whoever started it.
const bound = (server: Server): number => (server.address() as AddressInfo).port;
servers[0]!.listen(port, host, () => {
  console.log(
    `reference API listening on http://${host}:${bound(servers[0]!)} (profiles: /platform, /backend; faults: /_f/<rule>/<profile>)`,
  );
});
const httpsPort = option('https-port');
if (httpsPort) {
  const https = createReferenceHttpsServer(handler);
  servers.push(https);
  https.listen(Number(httpsPort), host, () => {
    console.log(`reference API listening on https://${host}:${bound(https)} (self-signed: tls_verify: false)`);
    const redirectPort = option('redirect-port');
    if (redirectPort) {
      const redirector = createHttpsRedirector(() => `https://${host}:${bound(https)}`, handler);
      servers.push(redirector);
      redirector.listen(Number(redirectPort), host, () =>
        console.log(`plain-http front on http://${host}:${bound(redirector)} redirects to https (http_url)`),
      );
    }
  });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    let open = servers.length;
    for (const s of servers) s.close(() => --open === 0 && process.exit(0));
  });
}
