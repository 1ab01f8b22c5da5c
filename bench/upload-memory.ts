/**
 * Peak memory of the harness while it uploads a file of 2× a 100 MB limit (issue 7: "an upload
 * of 2× a 100 MB limit keeps the harness's peak RSS near its baseline").
 *
 *   node --import tsx bench/upload-memory.ts [--mb 200] [--runs 3] [--buffered]
 *
 * A sink server in a child process reads and discards the body (the worst case for the
 * client: nobody stops the upload early). This process sends it through the probe client
 * (ProbeClient + multipart generator) and samples its RSS every 5 ms. `--buffered` adds, for
 * contrast, the same upload from one Buffer held whole in memory.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { parseTargets } from '../src/config/load.ts';
import { ProbeClient } from '../src/http/client.ts';
import { multipartBody } from '../src/http/multipart.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const FILE_BYTES = option('mb', 200) * 1_000_000;
const RUNS = option('runs', 3);
const MB = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`;

const SINK = `
const s = require('http').createServer((req, res) => {
  let n = 0;
  req.on('data', (c) => { n += c.length; });
  req.on('end', () => { res.writeHead(201, { 'content-type': 'application/json' }); res.end(JSON.stringify({ received: n })); });
});
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
process.on('SIGTERM', () => process.exit(0));
`;

async function sample<T>(fn: () => Promise<T>): Promise<{ result: T; peak: number; ms: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const started = performance.now();
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, peak, ms: performance.now() - started };
  } finally {
    clearInterval(timer);
  }
}

async function main(): Promise<void> {
  const sink = spawn(process.execPath, ['-e', SINK], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(sink.stdout!, 'data')) as [Buffer];
  const base = `http://127.0.0.1:${line.toString().trim()}`;
  const target = parseTargets(
    `version: 1\ntargets:\n  bench:\n    base_url: ${base}\n    profile: platform\n    timeout_ms: 120000\n`,
    'bench.yaml',
    {},
  )[0]!;
  const client = new ProbeClient(target);
  try {
    // Warm up: client, undici pool, JIT; then settle.
    await client.send({ probe: 'bench', purpose: 'warm up', method: 'GET', path: '/', credential: 'none' });
    global.gc?.();
    await new Promise((r) => setTimeout(r, 200));
    const baseline = process.memoryUsage.rss();
    console.log(`upload of ${FILE_BYTES / 1_000_000} MB (2× a ${FILE_BYTES / 2_000_000} MB limit) to a sink that reads everything`);
    console.log(`baseline RSS ${MB(baseline)}`);
    for (let run = 1; run <= RUNS; run++) {
      const body = multipartBody({
        field: 'file',
        filename: 'bench.pdf',
        contentType: 'application/pdf',
        bytes: FILE_BYTES,
        head: '%PDF-1.7\n%',
        tail: '\n%%EOF\n',
      });
      const { result, peak, ms } = await sample(() =>
        client.send({
          probe: 'bench',
          purpose: 'streamed upload',
          method: 'POST',
          path: '/upload',
          credential: 'none',
          headers: { 'content-type': body.contentType },
          stream: body,
        }),
      );
      const received = JSON.parse(result.response?.body ?? '{}') as { received?: number };
      console.log(
        `streamed  run ${run}: ${result.response?.status ?? result.error?.code} received ${received.received} bytes in ${(ms / 1000).toFixed(2)} s (${(FILE_BYTES / 1e6 / (ms / 1000)).toFixed(0)} MB/s); peak RSS ${MB(peak)} = baseline + ${MB(peak - baseline)}`,
      );
    }
    if (args.includes('--buffered')) {
      const whole = Buffer.alloc(FILE_BYTES, 0x78);
      const { peak, ms } = await sample(() =>
        client.send({
          probe: 'bench',
          purpose: 'buffered upload',
          method: 'POST',
          path: '/upload',
          credential: 'none',
          headers: { 'content-type': 'application/octet-stream' },
          stream: {
            body: (async function* () {
              yield whole;
            })(),
            bytes: whole.length,
            description: 'one Buffer',
          },
        }),
      );
      console.log(`buffered (contrast): ${(ms / 1000).toFixed(2)} s; peak RSS ${MB(peak)} = baseline + ${MB(peak - baseline)}`);
    }
  } finally {
    await client.close();
    sink.kill('SIGTERM');
  }
}

await main();
