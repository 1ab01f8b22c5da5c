/**
 * Wall time and peak memory of a command's whole process tree (Linux /proc). Memory is the sum
 * of each process's PSS (proportional set size: shared pages split between the processes that
 * map them), so Chromium's dozen processes and Node's shared code are not counted many times
 * over, as a sum of RSS would; where smaps_rollup is missing, RSS.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { referenceCredentials } from '../reference/tokens.ts';
import type { Summary } from '../src/spec/summary.ts';

const ROOT = resolve(import.meta.dirname, '..');
const PLAYWRIGHT = createRequire(import.meta.url).resolve('@playwright/test/cli');

function children(): Map<number, number[]> {
  const byParent = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      byParent.set(ppid, [...(byParent.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended meanwhile
    }
  }
  return byParent;
}

function memoryKb(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  } catch {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  }
}

function treeMemoryKb(root: number): number {
  const byParent = children();
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      total += memoryKb(pid);
    } catch {
      // gone
    }
    stack.push(...(byParent.get(pid) ?? []));
  }
  return total;
}

export interface Measured {
  readonly wallMs: number;
  readonly peakMemoryMb: number;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface MeasureOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /**
   * Poll the tree's memory (default true). Rows that report wall time only say false: reading
   * smaps_rollup of a dozen processes every 50 ms costs CPU, and on a 2-core machine running a
   * CPU-bound command it stretched a 9 s run by 1–2 s, more for the side with more processes.
   */
  readonly memory?: boolean;
}

export function measure(command: string, args: readonly string[], { memory = true, ...options }: MeasureOptions): Promise<Measured> {
  return new Promise((done) => {
    const started = performance.now();
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let peak = 0;
    const timer = memory
      ? setInterval(() => {
          peak = Math.max(peak, treeMemoryKb(child.pid!));
        }, 50)
      : undefined;
    child.on('exit', (code) => {
      clearInterval(timer);
      done({ wallMs: performance.now() - started, peakMemoryMb: Math.round(peak / 1024), code: code ?? -1, stdout, stderr });
    });
  });
}

export function selfPeakRssMb(): number {
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024);
}

/** `playwright test` over `targets` (as targets.yaml's `targets:`) against a running reference API, measured; its summary.json. */
export async function measureHarness(
  targets: object,
  referenceUrl: string,
  workers: number,
  { memory = true }: Pick<MeasureOptions, 'memory'> = {},
): Promise<Measured & { summary: Summary }> {
  const dir = mkdtempSync(join(tmpdir(), 'conformance-bench-'));
  try {
    const file = join(dir, 'targets.yaml');
    writeFileSync(file, stringify({ version: 1, targets }));
    const env = {
      ...process.env,
      ...referenceCredentials(),
      CI: '1',
      CONFORMANCE_TARGETS: file,
      CONFORMANCE_REPORT_DIR: join(dir, 'reports'),
      CONFORMANCE_REFERENCE_URL: referenceUrl,
    };
    const m = await measure(
      process.execPath,
      [PLAYWRIGHT, 'test', '--config', join(ROOT, 'playwright.config.ts'), '--workers', String(workers)],
      { cwd: ROOT, env, memory },
    );
    const summary = JSON.parse(readFileSync(join(dir, 'reports', 'summary.json'), 'utf8')) as Summary;
    return { ...m, summary };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
