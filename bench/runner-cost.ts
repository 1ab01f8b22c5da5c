/**
 * Two rows of `npm run bench` about what the runner costs (issue 13), each side by side in one run:
 *  (a) floor: `npm run conformance` (the shipped targets) next to Playwright running the same
 *      projects with one trivial passing test per rule — the least any Playwright run of this
 *      catalogue can cost;
 *  (e) failures: the platform target against the reference with every platform fault on at once
 *      (/_f/<fault>+<fault>…/platform) next to the same target against the clean reference.
 * Runs alternate (floor, harness, floor, …) so that load from elsewhere on the machine falls on
 * both sides alike; the medians are reported. Wall time only: memory is not polled (see `measure`).
 * Standalone: `node --import tsx bench/runner-cost.ts [--runs N]`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { FAULTS } from '../reference/faults.ts';
import { RULES } from '../src/rules/registry.ts';
import { defaultWorkers } from '../src/runner/workers.ts';
import type { Summary } from '../src/spec/summary.ts';
import { measure, measureHarness } from './measure.ts';

const ROOT = resolve(import.meta.dirname, '..');
const PLAYWRIGHT = createRequire(import.meta.url).resolve('@playwright/test/cli');

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const counts = (c: Summary['targets'][number]['counts']): string =>
  `${c.passed} passed, ${c.failed} failed, ${c.error} error, ${c.skipped} skipped`;

/**
 * A Playwright project per target of targets.yaml, each with one empty passing test per rule, with
 * the workers the harness's config gives the same targets (defaultWorkers).
 */
function floorConfig(): string {
  const dir = join(ROOT, '.tmp', `floor-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const names = Object.keys((parse(readFileSync(join(ROOT, 'targets.yaml'), 'utf8')) as { targets: object }).targets);
  const tests = RULES.map((r) => `test(${JSON.stringify(r.id)}, { tag: '@${r.area}' }, () => {});`).join('\n');
  writeFileSync(join(dir, 'floor.spec.ts'), `import { test } from '@playwright/test';\n${tests}\n`);
  writeFileSync(
    join(dir, 'playwright.config.ts'),
    `import { defineConfig } from '@playwright/test';\nexport default defineConfig({ testDir: '.', outputDir: './test-results', reporter: [['dot']], fullyParallel: false, workers: ${defaultWorkers(names.length)}, projects: ${JSON.stringify(names.map((name) => ({ name })))} });\n`,
  );
  return dir;
}

export interface FloorRow {
  readonly conformance: number[];
  /** With the harness's workers (the comparison the ratio is about). */
  readonly floor: number[];
  /** With Playwright's default workers (half the cores), for reference. */
  readonly floorDefaultWorkers: number[];
  readonly workers: number;
  readonly tests: number;
}

/** (a): `npm run conformance` (node bin/conformance.mjs run, its own reference server) next to the floor. */
export async function floorRow(runs: number): Promise<FloorRow> {
  const dir = floorConfig();
  const reports = mkdtempSync(join(tmpdir(), 'conformance-bench-a-'));
  const conformance: number[] = [];
  const floor: number[] = [];
  const floorDefaultWorkers: number[] = [];
  const floorRun = async (extra: readonly string[], into: number[], label: string): Promise<void> => {
    const f = await measure(process.execPath, [PLAYWRIGHT, 'test', '--config', join(dir, 'playwright.config.ts'), ...extra], {
      cwd: ROOT,
      env: { ...process.env, CI: '1' },
      memory: false,
    });
    if (f.code !== 0) throw new Error(`floor run failed:\n${f.stdout}\n${f.stderr}`);
    into.push(f.wallMs);
    process.stderr.write(`(a') ${label}: ${fmt(f.wallMs)}\n`);
  };
  try {
    for (let i = 0; i < runs; i++) {
      await floorRun([], floor, `floor run ${i + 1}`);
      await floorRun(['--workers', '50%'], floorDefaultWorkers, `floor run ${i + 1}, Playwright's default workers`);
      const c = await measure(process.execPath, [join(ROOT, 'bin', 'conformance.mjs'), 'run', '--report-dir', reports], {
        cwd: ROOT,
        env: { ...process.env, CI: '1' },
        memory: false,
      });
      // Exit 1 is a verdict (a rule failed); the run itself worked. Only an unusable run stops the bench.
      if (c.code !== 0 && c.code !== 1)
        throw new Error(`conformance run failed (exit ${c.code}):\n${c.stdout.slice(-3000)}\n${c.stderr.slice(-3000)}`);
      conformance.push(c.wallMs);
      process.stderr.write(`(a') conformance run ${i + 1}: ${fmt(c.wallMs)}\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(reports, { recursive: true, force: true });
  }
  return { conformance, floor, floorDefaultWorkers, workers: defaultWorkers(2), tests: RULES.length * 2 };
}

export interface FailingRow {
  readonly clean: number[];
  readonly failing: number[];
  readonly faults: number;
  readonly cleanCounts: Summary['targets'][number]['counts'];
  readonly failingCounts: Summary['targets'][number]['counts'];
}

/** A reference API of its own for one run: a run's 429 burst spends the rate window the next run would meet. */
export type FreshReference = () => Promise<{ readonly url: string; close(): Promise<void> }>;

/** (e): the platform target with every platform fault on, next to the clean one, each on a fresh reference API. */
export async function failingRow(reference: FreshReference, runs: number): Promise<FailingRow> {
  const shipped = (parse(readFileSync(join(ROOT, 'targets.yaml'), 'utf8')) as { targets: Record<string, Record<string, unknown>> }).targets[
    'local-platform'
  ]!;
  const faults = FAULTS.filter((f) => f.profiles.includes('platform')).map((f) => f.rule);
  const onFresh = async (path: string) => {
    const ref = await reference();
    try {
      return await measureHarness({ 'local-platform': { ...shipped, base_url: `${ref.url}${path}` } }, ref.url, 1, { memory: false });
    } finally {
      await ref.close();
    }
  };
  const row = { clean: [] as number[], failing: [] as number[], faults: faults.length };
  let cleanCounts: FailingRow['cleanCounts'] | undefined;
  let failingCounts: FailingRow['failingCounts'] | undefined;
  for (let i = 0; i < runs; i++) {
    const c = await onFresh('/platform');
    row.clean.push(c.wallMs);
    process.stderr.write(`(e) clean run ${i + 1}: ${fmt(c.wallMs)} ${counts(c.summary.targets[0]!.counts)}\n`);
    cleanCounts = c.summary.targets[0]!.counts;
    const f = await onFresh(`/_f/${faults.join('+')}/platform`);
    row.failing.push(f.wallMs);
    process.stderr.write(`(e) all-failing run ${i + 1}: ${fmt(f.wallMs)} ${counts(f.summary.targets[0]!.counts)}\n`);
    failingCounts = f.summary.targets[0]!.counts;
  }
  return { ...row, cleanCounts: cleanCounts!, failingCounts: failingCounts! };
}

export function floorLines(r: FloorRow, runs: number): string[] {
  const ratio = median(r.conformance) / median(r.floor);
  return [
    "## (a') `npm run conformance` next to the runner floor",
    '',
    `Medians of ${runs}, runs alternating. The floor is \`playwright test\` over the same 2 projects with one empty passing test per rule (${r.tests} tests), no server, with the harness's ${r.workers} workers (and, for reference, Playwright's default: half the cores).`,
    '',
    '| | median wall | runs |',
    '|---|---|---|',
    `| \`npm run conformance\` (2 shipped targets, reference API, all reporters) | ${fmt(median(r.conformance))} | ${r.conformance.map(fmt).join(', ')} |`,
    `| runner floor, ${r.workers} workers | ${fmt(median(r.floor))} | ${r.floor.map(fmt).join(', ')} |`,
    `| runner floor, Playwright's default workers | ${fmt(median(r.floorDefaultWorkers))} | ${r.floorDefaultWorkers.map(fmt).join(', ')} |`,
    '',
    `Ratio ${ratio.toFixed(2)}× the floor with the same workers (target ≤ 2×); ${(median(r.conformance) / median(r.floorDefaultWorkers)).toFixed(2)}× the floor with Playwright's default.`,
    '',
  ];
}

export function failingLines(r: FailingRow, runs: number): string[] {
  const ratio = median(r.failing) / median(r.clean);
  return [
    '## (e) An all-failing target next to the clean one',
    '',
    `Medians of ${runs}, runs alternating, \`playwright test --workers 1\`, the platform target only. All-failing: the reference with all ${r.faults} platform faults on at once.`,
    '',
    '| | median wall | runs | rules |',
    '|---|---|---|---|',
    `| clean | ${fmt(median(r.clean))} | ${r.clean.map(fmt).join(', ')} | ${counts(r.cleanCounts)} |`,
    `| all faults on | ${fmt(median(r.failing))} | ${r.failing.map(fmt).join(', ')} | ${counts(r.failingCounts)} |`,
    '',
    `Ratio ${ratio.toFixed(2)}× the clean target (target ≤ 1.5×).`,
    '',
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--runs');
  const runs = i > 0 ? Number(process.argv[i + 1]) : 3;
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : 'ae';
  const lines: string[] = [];
  if (only?.includes('a')) lines.push(...floorLines(await floorRow(runs), runs));
  if (only?.includes('e')) {
    const { createReferenceServer } = await import('../reference/app.ts');
    const fresh: FreshReference = async () => {
      const server = createReferenceServer({});
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return {
        url: `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      };
    };
    lines.push(...failingLines(await failingRow(fresh, runs), runs));
  }
  console.log(lines.join('\n'));
}
