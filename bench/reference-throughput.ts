/** Requests per second the reference API serves for the burst's request (smallest page, bearer). */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { freeLoopbackPort } from '../src/runner/reference-env.ts';
import { referenceCredentials } from '../reference/tokens.ts';

const port = freeLoopbackPort();
const reference = spawn(
  process.execPath,
  ['--import', 'tsx', fileURLToPath(new URL('../reference/main.ts', import.meta.url)), '--port', String(port)],
  { stdio: 'ignore' },
);
const agent = new Agent({ connections: 8 });
const bearer = referenceCredentials().REFERENCE_BEARER;
try {
  for (let i = 0; ; i++) {
    try {
      await (await request(`http://127.0.0.1:${port}/platform/health`)).body.text();
      break;
    } catch {
      if (i > 100) throw new Error('no reference');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  for (let round = 1; round <= 3; round++) {
    const url = `http://127.0.0.1:${port}/_f/t${round}/platform/v2/documents?limit=1`;
    let n = 0;
    const t = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (n++ < 900) await (await request(url, { dispatcher: agent, headers: { authorization: `Bearer ${bearer}` } })).body.text();
      }),
    );
    const ms = performance.now() - t;
    console.log(`round ${round}: 900 requests in ${ms.toFixed(0)} ms (${((900 / ms) * 1000).toFixed(0)}/s)`);
  }
} finally {
  reference.kill();
  await agent.close();
}
