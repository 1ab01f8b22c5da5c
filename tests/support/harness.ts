/**
 * Runs the harness end to end the way a user does (Playwright over a targets file) and returns
 * its summary. Tests pass CONFORMANCE_REFERENCE_URL so that one reference server serves many runs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { referenceCredentials } from '../../reference/tokens.ts';
import { unzipEntries } from './zip.ts';
import type { Summary } from '../../src/spec/summary.ts';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface HarnessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly reportDir: string;
  readonly summary?: Summary;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `conformance-${prefix}-`));
}

/** The shipped targets.yaml as data (targets keyed by name). */
export function shippedTargets(): { version: 1; defaults?: object; targets: Record<string, Record<string, unknown>> } {
  return parse(readFileSync(join(ROOT, 'targets.yaml'), 'utf8'));
}

export function writeTargets(dir: string, data: unknown): string {
  const file = join(dir, 'targets.yaml');
  writeFileSync(file, typeof data === 'string' ? data : stringify(data));
  return file;
}

export async function runHarness(options: {
  targetsFile: string;
  reportDir?: string;
  env?: NodeJS.ProcessEnv;
  args?: readonly string[];
  /** Use the CLI (`conformance run`) instead of `playwright test`. */
  viaCli?: boolean;
}): Promise<HarnessRun> {
  const reportDir = options.reportDir ?? tempDir('report');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...referenceCredentials(),
    CONFORMANCE_TARGETS: options.targetsFile,
    CONFORMANCE_REPORT_DIR: reportDir,
    CI: '1',
    // Hermetic: a developer's ./waivers.yaml or history folder must not change what tests see.
    CONFORMANCE_WAIVERS: 'none',
    CONFORMANCE_HISTORY_DIR: 'none',
    ...options.env,
  };
  delete env.CONFORMANCE_RUN_ID;
  delete env.CONFORMANCE_REFERENCE_STARTED;
  delete env.NODE_TEST_CONTEXT;
  const args = options.viaCli
    ? [join(ROOT, 'bin/conformance.mjs'), 'run', '--targets', options.targetsFile, '--report-dir', reportDir, ...(options.args ?? [])]
    : [
        createRequire(import.meta.url).resolve('@playwright/test/cli'),
        'test',
        '--config',
        join(ROOT, 'playwright.config.ts'),
        ...(options.args ?? []),
      ];
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => {
      const file = join(reportDir, 'summary.json');
      const summary = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Summary) : undefined;
      done({ code: code ?? -1, stdout, stderr, reportDir, ...(summary ? { summary } : {}) });
    });
  });
}

export function ruleOf(summary: Summary, target: string, id: string): Summary['targets'][number]['rules'][number] {
  const t = summary.targets.find((x) => x.name === target);
  if (!t) throw new Error(`no target ${target} in summary`);
  const r = t.rules.find((x) => x.id === id);
  if (!r) throw new Error(`no rule ${id} for ${target}`);
  return r;
}

/** Every text a report directory holds, zips (blob reports, Playwright's embedded report data) opened. */
export function allText(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...allText(path));
    else if (statSync(path).size < 50 * 1024 * 1024) {
      const bytes = readFileSync(path);
      out.push(bytes.toString('utf8'));
      if (entry.name.endsWith('.zip')) for (const data of unzipEntries(bytes).values()) out.push(data.toString('utf8'));
      // Playwright's HTML report embeds its data as a base64 zip.
      const embedded = /data:application\/zip;base64,([A-Za-z0-9+/=]+)/.exec(out.at(-1)!);
      if (embedded) for (const data of unzipEntries(Buffer.from(embedded[1]!, 'base64')).values()) out.push(data.toString('utf8'));
    }
  }
  return out;
}
