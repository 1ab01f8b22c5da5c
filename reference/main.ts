/**
 * Starts the reference API: `node --import tsx reference/main.ts --port 4010 [--host 127.0.0.1]
 * [--log requests.jsonl] [--delay-ms 50]`.
 * `--tokens` prints the shell exports of the credentials the shipped targets.yaml expects.
 */
import { appendFileSync } from 'node:fs';
import { createReferenceServer } from './app.ts';
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
const server = createReferenceServer({
  ...(delayMs ? { delayMs } : {}),
  // One JSON line per request, for audits of what a run sent.
  ...(logFile ? { log: (entry) => appendFileSync(logFile, `${JSON.stringify(entry)}\n`) } : {}),
});
server.listen(port, host, () => {
  console.log(`reference API listening on http://${host}:${port} (profiles: /platform, /backend; faults: /_f/<rule>/<profile>)`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
