/**
 * (f) A 13 MB OpenAPI description (bench/big-document.ts, shaped like GitHub's): served on
 * loopback, then fetched, parsed, validated and discovered as a run does it (recordTarget of
 * a target that declares no resources, no rule selected), in a fresh process so that its peak
 * memory (VmHWM) is the harness's own. Then the docs rules judge it once, as a worker does.
 * Alone: `node --import tsx bench/document-cost.ts [MB]`; prints one JSON line.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { parseTargets } from '../src/config/load.ts';
import { recordTarget } from '../src/harness/recording.ts';
import { evaluateRule } from '../src/harness/evaluate.ts';
import { RULES } from '../src/rules/registry.ts';
import { loadSchemas } from '../src/spec/schemas.ts';
import { bigDocument } from './big-document.ts';

export interface DocumentCost {
  readonly bytes: number;
  readonly operations: number;
  /** Fetch, parse, validate and discover (recordTarget with no rule selected). */
  readonly recordMs: number;
  /** CPU time of the same (user + system), which the machine's other load does not inflate. */
  readonly recordCpuMs: number;
  readonly valid: boolean | undefined;
  readonly resources: number;
  /** The docs rules judging the recording in a fresh model (what a worker does once). */
  readonly judgeMs: number;
  readonly peakRssMb: number;
}

function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : Math.round(process.memoryUsage().rss / 2 ** 20);
}

async function measure(mb: number): Promise<DocumentCost> {
  const doc = bigDocument(mb * 1024 * 1024);
  const text = JSON.stringify(doc);
  let operations = 0;
  for (const item of Object.values(doc.paths as Record<string, Record<string, unknown>>))
    operations += Object.keys(item).filter((k) => k !== 'parameters').length;
  const server = createServer((req, res) => {
    const body = req.url?.startsWith('/openapi.json') ? text : '{"status":"healthy"}';
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const [target] = parseTargets(
    stringify({ version: 1, targets: { big: { base_url: url, profile: 'platform', openapi: '/openapi.json', timeout_ms: 30_000 } } }),
    'targets.yaml',
    {},
  );
  let started = performance.now();
  const cpu = process.cpuUsage();
  const recording = await recordTarget(target!, []);
  const recordMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const validation = (recording.outputs['openapi:document'] as { validation?: { valid: boolean } } | undefined)?.validation;
  started = performance.now();
  const schemas = loadSchemas();
  for (const rule of RULES.filter((r) => r.area === 'docs')) evaluateRule(rule, target!, recording, schemas);
  const judgeMs = performance.now() - started;
  server.close();
  return {
    bytes: Buffer.byteLength(text),
    operations,
    recordMs: Math.round(recordMs),
    recordCpuMs: Math.round((used.user + used.system) / 1000),
    valid: validation?.valid,
    resources: recording.discovery?.resources.length ?? 0,
    judgeMs: Math.round(judgeMs),
    peakRssMb: peakRssMb(),
  };
}

/** Runs the measure in a fresh process (its own peak memory), `rounds` times. */
export function documentCost(mb = 13, rounds = 1): DocumentCost[] {
  const script = fileURLToPath(import.meta.url);
  return Array.from({ length: rounds }, () => {
    const out = spawnSync(process.execPath, ['--import', 'tsx', script, String(mb)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (out.status !== 0) throw new Error(`document-cost failed: ${out.stderr}`);
    return JSON.parse(out.stdout.trim().split('\n').at(-1)!) as DocumentCost;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await measure(Number(process.argv[2] ?? 13))));
}
