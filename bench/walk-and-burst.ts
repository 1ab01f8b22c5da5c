/**
 * Benchmark of the pagination walk and the ratelimit burst on the shipped local targets:
 * starts the reference API in its own process, records each target with only the pagination
 * and ratelimit rules selected, and prints time and request count per probe.
 *
 *   node --import tsx bench/walk-and-burst.ts [rounds]
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { loadTargets } from '../src/config/load.ts';
import { freeLoopbackPort, prepareReferenceEnv } from '../src/harness/reference-env.ts';
import { recordTarget } from '../src/harness/recording.ts';
import { RULES } from '../src/rules/registry.ts';

const rounds = Number(process.argv[2] ?? 3);
const port = freeLoopbackPort();
process.env.CONFORMANCE_REFERENCE_URL = `http://127.0.0.1:${port}`;
prepareReferenceEnv();
const reference = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../reference/main.ts', import.meta.url)), '--port', String(port)], { stdio: 'ignore' });
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
  const rules = RULES.filter((r) => r.area === 'pagination' || r.area === 'ratelimit');
  const rows: string[] = [];
  for (let round = 1; round <= rounds; round++) {
    // A fresh fault-free base path per round: its own store and rate-limit windows.
    const targets = loadTargets(fileURLToPath(new URL('../targets.yaml', import.meta.url))).map((t) => {
      const baseUrl = t.baseUrl.replace(/\/(platform|backend)$/, `/_f/bench${round}/$1`);
      return { ...t, baseUrl, basePath: new URL(baseUrl).pathname };
    });
    for (const target of targets) {
      const rec = await recordTarget(target, rules);
      const span = (probe: string): string => {
        const ex = rec.exchanges.filter((e) => e.probe === probe);
        if (!ex.length) return `${probe}: —`;
        const start = Date.parse(ex[0]!.startedAt);
        const end = Math.max(...ex.map((e) => Date.parse(e.startedAt) + e.durationMs));
        return `${probe}: ${ex.length} requests in ${end - start} ms`;
      };
      const burst = rec.outputs['ratelimit:burst'] as { sent: number; durationMs: number; answeredBefore429?: number } | undefined;
      rows.push(`round ${round} ${target.name.padEnd(15)} total ${rec.exchanges.length} requests in ${rec.durationMs} ms | ${span('pagination:seed')} | ${span('pagination:walk')} | ${span('pagination:stable-under-writes')} | ${span('cleanup')} | burst: ${burst?.sent} requests in ${burst?.durationMs} ms (429 after ${burst?.answeredBefore429})`);
      console.log(rows.at(-1));
    }
  }
} finally {
  reference.kill();
}
