/**
 * Starts the reference API: `node --import tsx reference/main.ts --port 4010 [--host 127.0.0.1]`.
 * `--tokens` prints the shell exports of the credentials the shipped targets.yaml expects.
 */
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
const server = createReferenceServer();
server.listen(port, host, () => {
  console.log(`reference API listening on http://${host}:${port} (profiles: /platform, /backend; faults: /_f/<rule>/<profile>)`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
