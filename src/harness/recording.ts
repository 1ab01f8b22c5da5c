/**
 * Runs the probes one target needs for the selected rules, in phase order, and returns what
 * they saw as a Recording. Made once per run and target: the first worker to need it runs the
 * probes and writes it to disk; other workers of the same run wait and read it.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Target } from '../config/target.ts';
import { ProbeClient } from '../http/client.ts';
import { FilePacingLedger, MemoryPacingLedger, Pacer, realSleep } from '../http/pacer.ts';
import { runPaths, runTokenDir } from './paths.ts';
import { PROBES, probeNamed } from '../probes/index.ts';
import { outputOf, type ProbeContext, type ProbeDef, type ProbePhase, type Recording } from '../probes/types.ts';
import { RULES, type Rule } from '../rules/registry.ts';
import { applicability } from '../policy/applicability.ts';
import { Ledger, ledgerFile } from './ledger.ts';
import { discoveryFrom, targetAsProbed, wantsDiscovery } from './discovery.ts';
import { DOCUMENT_PROBE } from '../openapi/document.ts';
import type { DiscoveryReport } from '../config/target.ts';

export interface TargetRecording extends Recording {
  readonly sentByMethod: Record<string, number>;
  readonly durationMs: number;
  /** Probes that ran, in order. */
  readonly probesRun: readonly string[];
}

const PHASES: readonly ProbePhase[] = ['setup', 'main', 'teardown', 'final'];

/** The pacer of this run: shared by every worker process through the run's work folder. */
export function runPacer(): Pacer {
  const ledger = process.env.CONFORMANCE_RUN_ID ? new FilePacingLedger(join(runPaths().workDir, 'pacing')) : new MemoryPacingLedger();
  return new Pacer(1, Date.now, realSleep, ledger);
}

/** Probes the given rules need, with their `needs` pulled in, in run order. */
export function planProbes(target: Target, rules: readonly Rule[]): ProbeDef[] {
  const wanted = new Set<string>();
  const add = (probe: ProbeDef): void => {
    if (wanted.has(probe.name)) return;
    if (probeNamed(probe.name) !== probe) throw new Error(`probe "${probe.name}" is not in the probe list (src/probes/index.ts)`);
    if (probe.mutating && target.mode !== 'mutating') return; // SPEC §7: read-only sends no writes, ever
    wanted.add(probe.name);
    for (const n of probe.needs ?? []) add(n);
  };
  for (const rule of rules) {
    if (!rule.behaviour || applicability(rule, target).status !== 'applicable') continue;
    for (const p of rule.behaviour.probes) add(p);
  }
  return PHASES.flatMap((phase) => PROBES.filter((p) => wanted.has(p.name) && (p.phase ?? 'main') === phase));
}

export async function recordTarget(target: Target, rules: readonly Rule[] = RULES, ledgerPath?: string): Promise<TargetRecording> {
  const started = performance.now();
  const tokenCacheDir = runTokenDir();
  const client = new ProbeClient(target, { pacer: runPacer(), ...(tokenCacheDir ? { tokenCacheDir } : {}) });
  const outputs: Record<string, unknown> = {};
  const probeErrors: Record<string, string> = {};
  const probesRun: string[] = [];
  const ledger = new Ledger(ledgerPath);
  let leftovers: string[] = [];
  let unreachable: TargetRecording['unreachable'];
  let discovery: DiscoveryReport | undefined;
  let probed = target;
  const ran = new Set<string>();
  // What the harness created it deletes, also when probes failed (SPEC §7) — and before the
  // final phase, so the burst's exhausted window never stands between an item and its deletion.
  // Items that could not be deleted stay open and are tried again at the end: the last call reports them.
  const cleanup = async (): Promise<void> => {
    leftovers = await ledger.cleanUp(client);
  };
  // Warm-ups started, by probe name; a probe's `run` takes its own out of here.
  const warming = new Map<string, { probe: ProbeDef; warm: Promise<unknown> }>();
  const warmUp = (probes: readonly ProbeDef[]): void => {
    for (const probe of probes) {
      if (!probe.warmUp || warming.has(probe.name) || ran.has(probe.name)) continue;
      const warm = probe.warmUp(probed);
      warm.catch(() => undefined); // its failure is the probe's, reported when `run` awaits it
      warming.set(probe.name, { probe, warm });
    }
  };
  const runProbe = async (probe: ProbeDef): Promise<void> => {
    const warm = warming.get(probe.name)?.warm;
    warming.delete(probe.name);
    const ctx: ProbeContext = {
      target: probed,
      ...(warm ? { warm } : {}),
      client,
      send: (request) => client.send({ ...request, probe: probe.name }),
      output: (needed) => outputOf({ outputs }, needed),
      created: (resource, id) => ledger.created(resource, id),
      deleted: (resource, id) => ledger.deleted(resource, id),
    };
    ran.add(probe.name);
    probesRun.push(probe.name);
    try {
      const output = await probe.run(ctx);
      if (output !== undefined) outputs[probe.name] = output;
    } catch (e) {
      probeErrors[probe.name] = client.redactor.text((e as Error).message ?? String(e));
    }
  };

  try {
    // One reachability check: an unreachable target gets one clear message, not a time-out per rule.
    const reach = await client.send({
      probe: 'reachability',
      purpose: 'check the target answers at all',
      method: 'GET',
      path: target.health,
      credential: 'none',
      scope: 'health',
    });
    if (reach.error) {
      unreachable = { message: `target ${target.name} is unreachable at ${target.baseUrl}: ${reach.error.message}`, exchange: reach.id };
    } else {
      warmUp(planProbes(target, rules));
      // Discovery comes before planning, so that planning sees the resources it finds.
      if (wantsDiscovery(target)) {
        await runProbe(probeNamed(DOCUMENT_PROBE)!);
        discovery = discoveryFrom(target, { exchanges: client.exchanges, outputs });
        probed = targetAsProbed(target, { discovery });
      }
      let cleaned = false;
      for (const probe of planProbes(probed, rules)) {
        if ((probe.phase ?? 'main') === 'final' && !cleaned) {
          cleaned = true;
          await cleanup();
        }
        if (!ran.has(probe.name)) await runProbe(probe);
      }
    }
  } finally {
    await cleanup();
    ledger.close();
    await client.close();
    for (const { probe, warm } of warming.values()) {
      await warm.then((w) => probe.release?.(w)).catch(() => undefined);
    }
  }
  return {
    target: target.name,
    exchanges: client.exchanges,
    outputs,
    probeErrors,
    ...(unreachable ? { unreachable } : {}),
    leftovers,
    ...(Object.keys(client.credentialErrors).length ? { credentialErrors: { ...client.credentialErrors } } : {}),
    ...(discovery ? { discovery } : {}),
    sentByMethod: client.sentByMethod,
    durationMs: Math.round(performance.now() - started),
    probesRun,
  };
}

/**
 * The recording of `target` for this run, shared between worker processes through `dir`:
 * the first caller takes a lock file and probes; the others wait for the result file.
 */
export async function sharedRecording(
  dir: string,
  target: Target,
  rules: readonly Rule[],
  waitLimitMs = 30 * 60 * 1000,
): Promise<TargetRecording> {
  mkdirSync(dir, { recursive: true });
  const safe = target.name.replace(/[^\w.-]/g, '_');
  const result = join(dir, `${safe}.json`);
  const lock = join(dir, `${safe}.lock`);
  const deadline = Date.now() + waitLimitMs;
  for (;;) {
    if (existsSync(result)) return JSON.parse(readFileSync(result, 'utf8')) as TargetRecording;
    let fd: number | undefined;
    try {
      fd = openSync(lock, 'wx');
    } catch {
      if (lockIsStale(lock)) rmSync(lock, { force: true });
      if (Date.now() > deadline) throw new Error(`gave up waiting for another worker's recording of ${target.name}`);
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    try {
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      const recording = await recordTarget(target, rules, ledgerFile(join(dir, '..'), target.name));
      writeFileSync(`${result}.tmp`, JSON.stringify(recording));
      renameSync(`${result}.tmp`, result);
      return recording;
    } finally {
      rmSync(lock, { force: true });
    }
  }
}

function lockIsStale(lock: string): boolean {
  try {
    const pid = Number(readFileSync(lock, 'utf8'));
    if (!pid) return false;
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
