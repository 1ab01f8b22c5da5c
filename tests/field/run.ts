/**
 * Runs the harness against one field service and measures the run.
 *
 *   node --import tsx tests/field/run.ts <json-server|prism-github|fastapi|all> [--out DIR] [--json]
 *
 * Starts the service, writes its targets file, runs `node bin/conformance.mjs run --targets F
 * --report-dir D` from the repo root, samples the memory of the harness's process tree and of
 * the service's every 200 ms (Pss from /proc/<pid>/smaps_rollup, VmRSS where that is missing),
 * and prints: wall time, peak memory, summary.json counts by status and reason, failed and
 * errored rules with their messages, blocked rules, and the sizes of the reports.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICES, startService, type ServiceName, type Service } from './services.ts';
import { writeTargets } from './targets.ts';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

// ---------------------------------------------------------------------------------------------
// process-tree memory

function children(): Map<number, number[]> {
  const kids = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${d}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid …; comm may hold spaces and parentheses
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = kids.get(ppid) ?? [];
    list.push(Number(d));
    kids.set(ppid, list);
  }
  return kids;
}

function tree(roots: number[], kids: Map<number, number[]>): number[] {
  const out: number[] = [];
  const stack = [...roots];
  const seen = new Set<number>();
  while (stack.length) {
    const p = stack.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    out.push(p);
    stack.push(...(kids.get(p) ?? []));
  }
  return out;
}

/** kB of one process: Pss (shared pages divided among their users) or VmRSS. */
function memKb(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    /* fall back */
  }
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export interface MemPeak {
  /** largest sum over the tree seen in one sample, MB */
  treeMb: number;
  /** largest single process seen, MB */
  processMb: number;
  /** most processes alive at once */
  processes: number;
}

export class MemSampler {
  private timer?: NodeJS.Timeout;
  readonly peaks = new Map<string, MemPeak>();
  constructor(
    private readonly groups: Record<string, () => number[]>,
    private readonly everyMs = 200,
  ) {}
  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    return this;
  }
  sample(): void {
    const kids = children();
    for (const [name, roots] of Object.entries(this.groups)) {
      const pids = tree(roots(), kids);
      let sum = 0;
      let max = 0;
      for (const p of pids) {
        const kb = memKb(p);
        sum += kb;
        max = Math.max(max, kb);
      }
      const peak = this.peaks.get(name) ?? { treeMb: 0, processMb: 0, processes: 0 };
      this.peaks.set(name, {
        treeMb: Math.max(peak.treeMb, Math.round(sum / 1024)),
        processMb: Math.max(peak.processMb, Math.round(max / 1024)),
        processes: Math.max(peak.processes, pids.length),
      });
    }
  }
  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }
}

// ---------------------------------------------------------------------------------------------
// one run

export interface FieldRun {
  service: ServiceName;
  baseUrl: string;
  serviceStartMs: number;
  serviceNotes: string[];
  exitCode: number | null;
  wallMs: number;
  timedOut: boolean;
  memory: { harness: MemPeak; service: MemPeak };
  reportDir: string;
  targetsFile: string;
  summary?: Summary;
  sizes: { summary?: number; html?: number; junit?: number; playwrightHtml?: number; history: number[] };
  stdoutTail: string;
  stderrTail: string;
}

export interface Summary {
  verdict: string;
  duration_ms: number;
  targets: Array<{
    name: string;
    counts: Record<string, number>;
    requests: { total: number; by_method: Record<string, number> };
    discovery?: { source?: string; problem?: string; resources: unknown[]; not_probed: unknown[] };
    rules: SummaryRule[];
  }>;
}

export interface SummaryRule {
  id: string;
  area: string;
  severity: string;
  status: string;
  message: string;
  reason?: string;
  blocked_by?: string | string[];
  findings?: Array<{ message: string; exchanges: number[] }>;
  findings_total?: number;
  evidence: Evidence[];
}

export interface Evidence {
  purpose?: string;
  request: { method: string; url: string };
  response?: {
    status: number;
    headers: Record<string, string | string[]>;
    body: string;
    body_bytes?: number;
    truncated?: boolean;
    incomplete?: string;
  };
  error?: string;
  notes?: string[];
  truncated?: boolean;
}

function size(path: string): number | undefined {
  return existsSync(path) ? statSync(path).size : undefined;
}

export async function runField(service: ServiceName, opts: { out?: string; timeoutMs?: number; args?: string[] } = {}): Promise<FieldRun> {
  const out = resolve(opts.out ?? join(tmpdir(), `field-${service}-${process.pid}`));
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const reportDir = join(out, 'reports');
  const svc: Service = await startService(service);
  try {
    const targetsFile = writeTargets(service, svc.baseUrl, join(out, 'targets.yaml'));
    const args = [
      'bin/conformance.mjs',
      'run',
      '--targets',
      targetsFile,
      '--report-dir',
      reportDir,
      '--waivers',
      'none',
      ...(opts.args ?? []),
    ];
    const t0 = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: REPO,
      env: { ...process.env, FORCE_COLOR: '0', CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout = (stdout + b.toString()).slice(-20_000)));
    child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-20_000)));
    const sampler = new MemSampler({ harness: () => (child.pid ? [child.pid] : []), service: svc.pids }).start();
    let timedOut = false;
    const timeoutMs = opts.timeoutMs ?? 600_000;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, timeoutMs);
    const exitCode = await new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const wallMs = Math.round(performance.now() - t0);
    clearTimeout(timer);
    sampler.stop();
    const summaryPath = join(reportDir, 'summary.json');
    const historyDir = join(reportDir, 'history');
    const result: FieldRun = {
      service,
      baseUrl: svc.baseUrl,
      serviceStartMs: svc.startMs,
      serviceNotes: svc.notes,
      exitCode,
      wallMs,
      timedOut,
      memory: { harness: sampler.peaks.get('harness')!, service: sampler.peaks.get('service')! },
      reportDir,
      targetsFile,
      summary: existsSync(summaryPath) ? (JSON.parse(readFileSync(summaryPath, 'utf8')) as Summary) : undefined,
      sizes: {
        summary: size(summaryPath),
        html: size(join(reportDir, 'index.html')),
        junit: size(join(reportDir, 'junit.xml')),
        playwrightHtml: size(join(reportDir, 'playwright', 'index.html')),
        history: existsSync(historyDir) ? readdirSync(historyDir).map((f) => statSync(join(historyDir, f)).size) : [],
      },
      stdoutTail: stdout.slice(-3000),
      stderrTail: stderr.slice(-3000),
    };
    // the measurements beside the reports, so a run can be judged again later (loadFieldRun)
    writeFileSync(join(out, 'run.json'), JSON.stringify({ ...result, summary: undefined }, null, 2));
    return result;
  } finally {
    await svc.stop();
  }
}

/** A run written earlier by runField into `out` (its run.json and reports/summary.json). */
export function loadFieldRun(out: string): FieldRun {
  const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as FieldRun;
  const summaryPath = join(run.reportDir, 'summary.json');
  return { ...run, summary: existsSync(summaryPath) ? (JSON.parse(readFileSync(summaryPath, 'utf8')) as Summary) : undefined };
}

// ---------------------------------------------------------------------------------------------
// printing

const kb = (n: number | undefined) =>
  n === undefined ? 'missing' : n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : `${(n / 1e3).toFixed(1)} kB`;
const oneLine = (s: string, max = 300) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
};

export function describe(r: FieldRun): string {
  const lines: string[] = [];
  lines.push(`### ${r.service}`, '');
  lines.push(`- service: ${r.serviceNotes.join('; ')}; started in ${(r.serviceStartMs / 1000).toFixed(1)} s`);
  lines.push(
    `- harness run: ${(r.wallMs / 1000).toFixed(1)} s wall, exit ${r.exitCode}${r.timedOut ? ' (KILLED: timed out)' : ''}` +
      (r.summary ? `, summary duration_ms ${r.summary.duration_ms}, verdict ${r.summary.verdict}` : ', no summary.json'),
  );
  lines.push(
    `- peak memory (Pss): harness tree ${r.memory.harness.treeMb} MB (largest process ${r.memory.harness.processMb} MB, up to ${r.memory.harness.processes} processes); ` +
      `service ${r.memory.service.treeMb} MB (largest process ${r.memory.service.processMb} MB)`,
  );
  const h = r.sizes.history;
  lines.push(
    `- sizes: summary.json ${kb(r.sizes.summary)}, index.html ${kb(r.sizes.html)}, junit.xml ${kb(r.sizes.junit)}, playwright/index.html ${kb(r.sizes.playwrightHtml)}, ` +
      `history ${h.length} entr${h.length === 1 ? 'y' : 'ies'}${h.length ? ` (largest ${kb(Math.max(...h))})` : ''}`,
  );
  for (const t of r.summary?.targets ?? []) {
    const byReason = new Map<string, number>();
    for (const rule of t.rules) {
      const key = `${rule.status}${rule.reason ? `/${rule.reason}` : ''}`;
      byReason.set(key, (byReason.get(key) ?? 0) + 1);
    }
    lines.push(
      `- target \`${t.name}\`: ${Object.entries(t.counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}; requests ${t.requests.total} (${Object.entries(t.requests.by_method)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')})`,
    );
    lines.push(
      `- by status/reason: ${[...byReason]
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    if (t.discovery) {
      lines.push(
        `- discovery: source ${t.discovery.source ?? '?'}, ${t.discovery.resources.length} resource(s), ${t.discovery.not_probed.length} operation(s) not probed${t.discovery.problem ? `; problem: ${oneLine(t.discovery.problem, 200)}` : ''}`,
      );
    }
    const failed = t.rules.filter((x) => x.status === 'failed' || x.status === 'error');
    lines.push('', `| rule | severity | status | findings | evidence | message |`, `|---|---|---|---|---|---|`);
    for (const x of failed) {
      lines.push(
        `| \`${x.id}\` | ${x.severity} | ${x.status}${x.reason ? `/${x.reason}` : ''} | ${x.findings_total ?? x.findings?.length ?? 0} | ${x.evidence.length} | ${oneLine(x.message).replace(/\|/g, '\\|')} |`,
      );
    }
    const blocked = t.rules.filter((x) => x.reason === 'blocked');
    if (blocked.length) lines.push('', `blocked: ${blocked.map((x) => `\`${x.id}\` by ${JSON.stringify(x.blocked_by)}`).join(', ')}`);
  }
  if (!r.summary) lines.push('', '```', r.stdoutTail, r.stderrTail, '```');
  lines.push('');
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const argv = process.argv.slice(2);
  const which = argv[0];
  const outIdx = argv.indexOf('--out');
  const names: ServiceName[] = which === 'all' ? [...SERVICES] : SERVICES.includes(which as ServiceName) ? [which as ServiceName] : [];
  if (!names.length) {
    console.error(`usage: node --import tsx tests/field/run.ts <${SERVICES.join('|')}|all> [--out DIR] [--json]`);
    process.exit(2);
  }
  for (const name of names) {
    const out = outIdx >= 0 ? join(argv[outIdx + 1]!, name) : undefined;
    const r = await runField(name, { out });
    if (argv.includes('--json')) console.log(JSON.stringify({ ...r, summary: undefined }, null, 2));
    console.log(describe(r));
    console.log(`reports: ${r.reportDir}\n`);
  }
}
