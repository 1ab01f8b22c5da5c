/**
 * One "worker process" for the cross-process token test: asks a TokenSource for a token and
 * prints it. argv: token_url cache_dir.
 */
import { TokenSource } from '../../src/http/oauth.ts';

const [tokenUrl, cacheDir] = process.argv.slice(2) as [string, string];
const source = new TokenSource({
  credential: 'child.bearer',
  config: { token_url: tokenUrl, client_id: 'client-1', client_secret: 'client-secret-canary-8f3a' },
  cacheDir,
});
process.stdout.write(`${await source.token()}\n`);
