/**
 * Benchmark of the pagination walk and the ratelimit burst on the shipped local targets: each
 * target recorded with only the pagination and ratelimit rules selected, on a fresh fault-free
 * base path per round (its own store and rate-limit windows). `bench/main.ts` runs it as (d);
 * alone: `node --import tsx bench/walk-and-burst.ts [rounds]` (starts the reference itself).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { loadTargets } from '../src/config/load.ts';
import { freeLoopbackPort, prepareReferenceEnv } from '../src/runner/reference-env.ts';
import { recordTarget } from '../src/harness/recording.ts';
import { RULES } from '../src/rules/registry.ts';

export interface WalkAndBurstRow {
  readonly round: number;
  readonly target: string;
  readonly totalRequests: number;
  readonly totalMs: number;
  /** Probe name → requests and the span from the first request's start to the last one's end. */
  readonly probes: Readonly<Record<string, { requests: number; ms: number }>>;
  readonly burst?: { sent: number; durationMs: number; answeredBefore429?: number };
}

export const MEASURED_PROBES = ['pagination:seed', 'pagination:walk', 'pagination:stable-under-writes', 'cleanup'] as const;

/** Records the shipped targets against the reference at `referenceUrl`, `rounds` times each. */
export async function walkAndBurst(referenceUrl: string, rounds: number): Promise<WalkAndBurstRow[]> {
  process.env.CONFORMANCE_REFERENCE_URL = referenceUrl;
  prepareReferenceEnv();
  const rules = RULES.filter((r) => r.area === 'pagination' || r.area === 'ratelimit');
  const rows: WalkAndBurstRow[] = [];
  for (let round = 1; round <= rounds; round++) {
    const targets = loadTargets(fileURLToPath(new URL('../targets.yaml', import.meta.url))).map((t) => {
      const baseUrl = t.baseUrl.replace(/\/(platform|backend)$/, `/_f/bench${round}/$1`);
      return { ...t, baseUrl, basePath: new URL(baseUrl).pathname };
    });
    for (const target of targets) {
      const rec = await recordTarget(target, rules);
      const probes: Record<string, { requests: number; ms: number }> = {};
      for (const probe of MEASURED_PROBES) {
        const ex = rec.exchanges.filter((e) => e.probe === probe);
        if (!ex.length) continue;
        const start = Date.parse(ex[0]!.startedAt);
        const end = Math.max(...ex.map((e) => Date.parse(e.startedAt) + e.durationMs));
        probes[probe] = { requests: ex.length, ms: end - start };
      }
      const burst = rec.outputs['ratelimit:burst'] as WalkAndBurstRow['burst'];
      rows.push({
        round,
        target: target.name,
        totalRequests: rec.exchanges.length,
        totalMs: rec.durationMs,
        probes,
        ...(burst ? { burst } : {}),
      });
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rounds = Number(process.argv[2] ?? 3);
  const port = freeLoopbackPort();
  const reference = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('../reference/main.ts', import.meta.url)), '--port', String(port)],
    { stdio: 'ignore' },
  );
  try {
    for (let i = 0; ; i++) {
      try {
        await (await request(`http://127.0.0.1:${port}/platform/health`)).body.text();
        break;
      } catch {
        if (i > 100) throw new Error('the reference API did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    for (const row of await walkAndBurst(`http://127.0.0.1:${port}`, rounds)) console.log(JSON.stringify(row));
  } finally {
    reference.kill();
  }
}
