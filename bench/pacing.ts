/**
 * What pacing costs per request: the in-memory ledger (one process) against the file ledger
 * a run's workers share, with a window already holding `fill` requests (a busy budget).
 *
 *   node --import tsx bench/pacing.ts [requests] [fill]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilePacingLedger, MemoryPacingLedger, Pacer, type PacingLedger } from '../src/http/pacer.ts';

const requests = Number(process.argv[2] ?? 2000);
const fill = Number(process.argv[3] ?? 900);
const budget = { limit: requests + fill + 1, windowS: 60 };

async function perRequest(ledger: PacingLedger): Promise<number[]> {
  const pacer = new Pacer(1, Date.now, undefined, ledger);
  await pacer.record(
    'k',
    budget,
    Array.from({ length: fill }, () => Date.now()),
  );
  const samples: number[] = [];
  for (let i = 0; i < requests; i++) {
    const t = performance.now();
    await pacer.acquire('k', budget);
    samples.push((performance.now() - t) * 1000);
  }
  return samples.sort((a, b) => a - b);
}

const pick = (s: number[], q: number): string => s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(1);
const dir = mkdtempSync(join(tmpdir(), 'pacing-bench-'));
try {
  for (const [name, make] of [
    ['memory ledger', () => new MemoryPacingLedger()],
    ['file ledger', () => new FilePacingLedger(dir)],
  ] as const) {
    await perRequest(make()); // warm-up
    const s = await perRequest(make());
    console.log(
      `${name.padEnd(14)} ${requests} acquires over a window holding ${fill}: median ${pick(s, 0.5)} µs, p90 ${pick(s, 0.9)} µs, p99 ${pick(s, 0.99)} µs`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
