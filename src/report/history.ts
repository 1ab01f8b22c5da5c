/**
 * Run history (nightly trend): each finished run leaves its summary, without evidence, in a
 * history folder that keeps the last N runs; the HTML report draws the trend from it and
 * `diff <folder> NEW.json` compares with the run before.
 *
 * Folder: CONFORMANCE_HISTORY_DIR (`run --history DIR`), default `<report dir>/history`;
 * `none` turns it off. Kept: CONFORMANCE_HISTORY_KEEP (`--history-keep N`), default 30.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { parseSummary } from './read-summary.ts';
import type { RuleStatus } from '../spec/vocabulary.ts';
import type { Summary } from '../spec/summary.ts';
import type { Verdict } from '../spec/summary.ts';

export const DEFAULT_HISTORY_KEEP = 30;
const ENTRY = /^\d{4}-\d{2}-\d{2}T[\d-]+Z-[0-9a-f]{6}\.json$/;

export function historySettings(reportDir: string, env: NodeJS.ProcessEnv = process.env): { dir: string; keep: number } | undefined {
  const named = env.CONFORMANCE_HISTORY_DIR;
  if (named === 'none' || named === '') return undefined;
  const keep = Number(env.CONFORMANCE_HISTORY_KEEP ?? DEFAULT_HISTORY_KEEP);
  return { dir: resolve(named ?? join(reportDir, 'history')), keep: Number.isInteger(keep) && keep > 0 ? keep : DEFAULT_HISTORY_KEEP };
}

export interface HistoryEntry {
  readonly file: string;
  readonly summary: Summary;
}

/** What the history keeps of a run: everything but the evidence (the report artifact has it). */
export function historyCopy(summary: Summary): Summary {
  return { ...summary, targets: summary.targets.map((t) => ({ ...t, rules: t.rules.map((r) => ({ ...r, evidence: [] })) })) };
}

/** Adds a run to the folder and removes the oldest entries beyond `keep`. Returns the new file. */
export function recordHistory(dir: string, summary: Summary, keep: number = DEFAULT_HISTORY_KEEP): string {
  mkdirSync(dir, { recursive: true });
  const name = `${summary.started_at.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}-${randomBytes(3).toString('hex')}.json`;
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(historyCopy(summary)) + '\n');
  const entries = readdirSync(dir)
    .filter((f) => ENTRY.test(f))
    .sort();
  for (const old of entries.slice(0, Math.max(0, entries.length - keep))) rmSync(join(dir, old), { force: true });
  return file;
}

/** The folder's runs, oldest first; files that are not valid summaries are listed apart. */
export function readHistory(dir: string): { entries: HistoryEntry[]; unreadable: { file: string; problem: string }[] } {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch {
    return { entries: [], unreadable: [] };
  }
  const entries: HistoryEntry[] = [];
  const unreadable: { file: string; problem: string }[] = [];
  for (const name of names) {
    const file = join(dir, name);
    try {
      entries.push({ file, summary: parseSummary(readFileSync(file, 'utf8'), file) });
    } catch (e) {
      unreadable.push({ file, problem: (e as Error).message });
    }
  }
  entries.sort((a, b) => a.summary.started_at.localeCompare(b.summary.started_at));
  return { entries, unreadable };
}

/** The latest run that started before `current` and shares a target with it. */
export function previousRun(entries: readonly HistoryEntry[], current: Summary): HistoryEntry | undefined {
  const names = new Set(current.targets.map((t) => t.name));
  return entries.filter((e) => e.summary.started_at < current.started_at && e.summary.targets.some((t) => names.has(t.name))).at(-1);
}

export interface TrendPoint {
  readonly started_at: string;
  readonly verdict: Verdict;
  /** Summed over the targets of the current run that the past run also had. */
  readonly counts: Record<RuleStatus, number>;
  readonly targets: number;
  readonly current: boolean;
}

/**
 * Pass counts (and failures, waivers, skips) over past runs and `current`, for the targets of
 * `current`. `entries` are the runs before it (read the folder before recording `current`).
 */
export function trendOf(entries: readonly HistoryEntry[], current: Summary, limit: number = DEFAULT_HISTORY_KEEP): TrendPoint[] {
  const names = new Set(current.targets.map((t) => t.name));
  const point = (s: Summary, isCurrent: boolean): TrendPoint => {
    const counts: Record<RuleStatus, number> = { passed: 0, failed: 0, skipped: 0, waived: 0, error: 0 };
    const mine = s.targets.filter((t) => names.has(t.name));
    for (const t of mine) for (const r of t.rules) counts[r.status]++;
    return { started_at: s.started_at, verdict: s.verdict, counts, targets: mine.length, current: isCurrent };
  };
  const past = entries.filter((e) => e.summary.targets.some((t) => names.has(t.name))).map((e) => point(e.summary, false));
  return [...past.slice(-(limit - 1)), point(current, true)];
}
