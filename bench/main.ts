/**
 * `npm run bench`: what the harness costs next to the HTTP it sends. Writes bench/results.md.
 *  (a) overhead: the full run against the reference API next to a bare undici replay of exactly
 *      the requests the reference logged (same count, methods, paths, credentials, concurrency);
 *  (b) latency-bound: the reference with 50 ms added per response, workers 1/2/4, next to the
 *      critical path (each target's probes run in sequence: its request count × 50 ms);
 *  (c) scale: 1, 5, 20 targets — wall time and peak RSS of the whole process tree;
 *  (d) the pagination walk and the 429 burst: time and requests per probe (bench/walk-and-burst.ts);
 *  (a') floor: `npm run conformance` next to Playwright running one empty test per rule, and
 *  (e) an all-failing target next to the clean one (bench/runner-cost.ts), medians of 5 (3 with --quick);
 *  (f) a 13 MB OpenAPI description: fetch, parse, validate, discover; time and peak memory (bench/document-cost.ts).
 * Everything listens on 127.0.0.1; every load is bounded by the targets' declared budgets.
 */
import { cpus, totalmem } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Pool } from 'undici';
import { parse } from 'yaml';
import { createReferenceServer, type RequestLogEntry } from '../reference/app.ts';
import { measureHarness } from './measure.ts';
import { walkAndBurst, type WalkAndBurstRow } from './walk-and-burst.ts';
import { documentCost } from './document-cost.ts';
import { failingLines, failingRow, floorLines, floorRow } from './runner-cost.ts';
import type { AddressInfo } from 'node:net';
import type { Summary } from '../src/spec/summary.ts';

const ROOT = resolve(import.meta.dirname, '..');
const QUICK = process.argv.includes('--quick');

async function reference(delayMs = 0): Promise<{ url: string; log: RequestLogEntry[]; close(): Promise<void> }> {
  const log: RequestLogEntry[] = [];
  const server = createReferenceServer({ log: (e) => log.push(e), ...(delayMs ? { delayMs } : {}) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function shipped(): { version: 1; targets: Record<string, Record<string, unknown>> } {
  return parse(readFileSync(join(ROOT, 'targets.yaml'), 'utf8'));
}

/** Replays logged requests with bare undici: per target in sequence, targets concurrently. */
async function replay(url: string, log: readonly RequestLogEntry[]): Promise<number> {
  const pool = new Pool(url, { connections: 8 });
  const byTarget = new Map<string, RequestLogEntry[]>();
  for (const e of log) {
    const key = /^(?:\/_f\/[^/]+)?\/(platform|backend)/.exec(e.url)?.[0] ?? 'other';
    byTarget.set(key, [...(byTarget.get(key) ?? []), e]);
  }
  const started = performance.now();
  await Promise.all(
    [...byTarget.values()].map(async (entries) => {
      for (const e of entries) {
        const headers: Record<string, string> = {};
        if (e.authorization) headers.authorization = e.authorization;
        if (e.apiKey) headers['x-api-key'] = e.apiKey;
        const write = ['POST', 'PUT', 'PATCH'].includes(e.method);
        if (write) headers['content-type'] = 'application/json';
        const res = await pool.request({ path: e.url, method: e.method as 'GET', headers, ...(write ? { body: '{}' } : {}) });
        await res.body.dump();
      }
    }),
  );
  const wall = performance.now() - started;
  await pool.close();
  return wall;
}

const judged = (s: Summary): number => s.targets.flatMap((t) => t.rules).filter((r) => r.reason !== 'not-selected').length;
const requests = (s: Summary): number => s.targets.reduce((a, t) => a + t.requests.total, 0);
const fmt = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const lines: string[] = [];
  const cpu = cpus();
  lines.push(
    '# Benchmark results',
    '',
    `Measured ${new Date().toISOString().slice(0, 16)}Z on ${cpu.length} × ${cpu[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. Loopback only.`,
    '',
  );

  // (a) overhead
  {
    const ref = await reference();
    const run = await measureHarness(shipped().targets, ref.url, 2);
    const logged = [...ref.log];
    const replayMs = await replay(ref.url, logged);
    const rules = judged(run.summary);
    lines.push(
      '## (a) Harness overhead next to the HTTP it sends',
      '',
      '| | wall | requests |',
      '|---|---|---|',
      `| full run (\`playwright test\`, 2 targets, 2 workers) | ${fmt(run.wallMs)} | ${logged.length} |`,
      `| bare undici replay of the same requests | ${fmt(replayMs)} | ${logged.length} |`,
      '',
      `Ratio ${(run.wallMs / replayMs).toFixed(1)}×; the harness's own time is ${((run.wallMs - replayMs) / rules).toFixed(1)} ms per judged rule (${rules} rules judged), most of it Playwright's fixed start-up (~2 s) and worker start (~1 s per target), peak memory of the process tree ${run.peakMemoryMb} MB (PSS).`,
      '',
    );
    await ref.close();
  }

  // (a') the runner floor and (e) an all-failing target, each side by side in one run
  {
    const runs = QUICK ? 3 : 5;
    lines.push(...floorLines(await floorRow(runs), runs));
    lines.push(...failingLines(await failingRow(() => reference(), runs), runs));
  }

  // (b) latency-bound
  {
    const rows: string[] = [];
    // Without the burst: it sends with a bounded concurrency (measured in (d)); every other probe
    // of a target runs in sequence, so a target's request count × 50 ms is its critical path.
    const calm = Object.fromEntries(
      Object.entries(shipped().targets).map(([name, t]) => [name, { ...t, rate_limit: { ...(t.rate_limit as object), burst: false } }]),
    );
    for (const workers of QUICK ? [2] : [1, 2, 4]) {
      const ref = await reference(50);
      const run = await measureHarness(calm, ref.url, workers);
      const perTarget = run.summary.targets.map((t) => t.requests.total);
      const criticalMs = Math.max(...perTarget) * 50;
      rows.push(`| ${workers} | ${fmt(run.wallMs)} | ${requests(run.summary)} | ${fmt(criticalMs)} |`);
      await ref.close();
    }
    lines.push(
      '## (b) Latency-bound: 50 ms added to every response (shipped targets, no burst)',
      '',
      "| workers | wall | requests | critical path (longest target's requests × 50 ms) |",
      '|---|---|---|---|',
      ...rows,
      '',
    );
  }

  // (c) scale
  {
    const rows: string[] = [];
    const base = shipped().targets['local-backend']!;
    for (const n of QUICK ? [1, 5] : [1, 5, 20]) {
      const ref = await reference();
      // Each target its own service (a fault-free base path of its own: store and rate windows), as 20 staging services would be.
      const targets = Object.fromEntries(
        Array.from({ length: n }, (_, i) => [
          `t${i + 1}`,
          {
            ...base,
            base_url: String(base.base_url).replace('/backend', `/_f/scale${i + 1}/backend`),
            rate_limit: { ...(base.rate_limit as object), burst: false },
          },
        ]),
      );
      const run = await measureHarness(targets, ref.url, 2);
      rows.push(`| ${n} | ${fmt(run.wallMs)} | ${fmt(run.wallMs / n)} | ${run.peakMemoryMb} MB | ${requests(run.summary)} |`);
      await ref.close();
    }
    lines.push(
      '## (c) Scale: targets per run (backend profile, 2 workers)',
      '',
      '| targets | wall | per target | peak memory (process tree, PSS) | requests |',
      '|---|---|---|---|---|',
      ...rows,
      '',
    );
  }

  // (d) walk and burst
  {
    const ref = await reference();
    const rows = await walkAndBurst(ref.url, QUICK ? 1 : 3);
    await ref.close();
    const ms = (n: number): string => (n < 1000 ? `${Math.round(n)} ms` : fmt(n));
    const cell = (r: WalkAndBurstRow, probe: string): string => {
      const p = r.probes[probe];
      return p ? `${p.requests} in ${ms(p.ms)}` : '—';
    };
    lines.push(
      '## (d) The pagination walk and the 429 burst (shipped targets, pagination and ratelimit rules only)',
      '',
      '| round | target | seed (creates) | walk | stable-under-writes | cleanup (deletes) | burst: sent, time, 429 after | whole recording |',
      '|---|---|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.round} | ${r.target} | ${cell(r, 'pagination:seed')} | ${cell(r, 'pagination:walk')} | ${cell(r, 'pagination:stable-under-writes')} | ${cell(r, 'cleanup')} | ${r.burst ? `${r.burst.sent} in ${ms(r.burst.durationMs)}, ${r.burst.answeredBefore429 ?? '?'} served` : '—'} | ${r.totalRequests} in ${ms(r.totalMs)} |`,
      ),
      '',
    );
  }

  // (f) the 13 MB document
  {
    const rows = documentCost(13, QUICK ? 1 : 3);
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    lines.push(
      '## (f) A 13 MB OpenAPI description: fetch, parse, validate, discover (bench/document-cost.ts)',
      '',
      `Synthetic, shaped like GitHub's (bench/big-document.ts): ${rows[0]!.bytes} bytes, ${rows[0]!.operations} operations; each round in a fresh process.`,
      '',
      '| round | fetch + parse + validate + discover (wall) | same, CPU | valid | resources discovered | docs rules judged once (a worker) | peak RSS |',
      '|---|---|---|---|---|---|---|',
      ...rows.map(
        (r, i) =>
          `| ${i + 1} | ${fmt(r.recordMs)} | ${fmt(r.recordCpuMs)} | ${r.valid} | ${r.resources} | ${fmt(r.judgeMs)} | ${r.peakRssMb} MB |`,
      ),
      `| median | ${fmt(median(rows.map((r) => r.recordMs)))} | ${fmt(median(rows.map((r) => r.recordCpuMs)))} | | | ${fmt(median(rows.map((r) => r.judgeMs)))} | ${median(rows.map((r) => r.peakRssMb))} MB |`,
      '',
    );
  }

  const out = join(ROOT, 'bench', 'results.md');
  writeFileSync(out, lines.join('\n'));
  console.log(lines.join('\n'));
  console.log(`\nwritten to ${out}`);
}

await main();
