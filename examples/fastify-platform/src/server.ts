/**
 * Starts the Documents API: `node --import tsx examples/fastify-platform/src/server.ts`.
 * HOST (default 127.0.0.1) and PORT (default 3000; 0 picks a free one) say where it listens;
 * the rest of the configuration is read by configFromEnv (see README).
 */
import { buildApp, configFromEnv } from './app.ts';

const app = buildApp(configFromEnv(process.env));
const address = await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 3000) });
console.log(`documents API listening on ${address}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
