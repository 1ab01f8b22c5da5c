/**
 * Waivers (SPEC §2, §5): owned, expiring exceptions that let a release go out with a known
 * `failed` or `error` rule. Policy only: this module reads waivers.yaml and turns matching
 * results into `waived`; it never judges a rule and never formats a report.
 *
 * A waiver counts when it is well-formed, names a catalogue rule and has not expired. A
 * malformed, unknown or expired waiver does not count and is reported with file:line:column.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { suggest } from '../config/suggest.ts';
import { CATALOGUE } from '../spec/catalogue.ts';
import { newAjv, SCHEMA_DIR, toSchemaErrors, type SchemaError } from '../spec/schemas.ts';
import type { Summary, SummaryRule, TargetSummary } from './summary.ts';
import { verdictOf } from './verdict.ts';
import type { ReasonCode, RuleStatus } from '../spec/vocabulary.ts';

export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface Waiver {
  readonly rule: string;
  /** A target name, or `*` for every target. */
  readonly target: string;
  readonly reason: string;
  readonly owner: string;
  /** As written: `YYYY-MM-DD` (valid through that day, UTC) or an RFC 3339 date-time. */
  readonly expires: string;
  readonly source: SourcePosition;
}

/**
 * `error`: the waiver does not count (malformed, unknown rule, expired).
 * `warning`: it counts (or harms nothing) but someone should look (unused, unknown target, expiring soon).
 */
export interface WaiverProblem extends SourcePosition {
  readonly level: 'error' | 'warning';
  readonly kind: 'malformed' | 'unknown-rule' | 'expired' | 'unused' | 'unknown-target' | 'expiring';
  readonly message: string;
  readonly fix?: string;
}

export interface WaiverSet {
  /** Where the waivers came from (a file, or the summary they were recorded in). */
  readonly file?: string;
  /** Waivers that count. */
  readonly waivers: readonly Waiver[];
  /** Problems found while loading (malformed, unknown rule, expired). */
  readonly problems: readonly WaiverProblem[];
}

/** What a waived rule carries, so that every output shows who accepted what, until when. */
export interface AppliedWaiver {
  readonly target: string;
  readonly reason: string;
  readonly owner: string;
  readonly expires: string;
  readonly source: string;
  /** The status (and reason code) the rule had before it was waived. */
  readonly was: { readonly status: 'failed' | 'error'; readonly reason?: ReasonCode };
}

export interface WaiverReport {
  readonly file?: string;
  readonly applied: number;
  readonly problems: readonly WaiverProblem[];
}

/** The file cannot be used at all (unreadable, not YAML, wrong top-level shape): exit 2. */
export class WaiverFileError extends Error {
  constructor(readonly problems: readonly WaiverProblem[]) {
    super(problems.map(formatWaiverProblem).join('\n'));
    this.name = 'WaiverFileError';
  }
}

export function formatWaiverProblem(p: WaiverProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.level === 'error' ? 'ignored' : 'note'}: ${p.message}${p.fix ? `\n  fix: ${p.fix}` : ''}`;
}

export const DEFAULT_WAIVERS_FILE = 'waivers.yaml';

/**
 * Which waivers file a command uses, the same for `run`, `gate` and a plain `playwright test`:
 * the one named (--waivers F, else CONFORMANCE_WAIVERS), else ./waivers.yaml when it exists.
 * `none` turns waivers off.
 */
export function waiversPath(named: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string | undefined {
  const choice = named ?? env.CONFORMANCE_WAIVERS;
  if (choice === 'none' || choice === '') return undefined;
  if (choice) return resolve(cwd, choice);
  const fallback = resolve(cwd, DEFAULT_WAIVERS_FILE);
  return existsSync(fallback) ? fallback : undefined;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** A waiver this close to its end is flagged, so the owner renews or fixes in time. */
export const EXPIRING_SOON_DAYS = 14;

/** The instant after which a waiver no longer counts. */
export function expiryInstant(expires: string): Date | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(expires)) {
    const start = Date.parse(`${expires}T00:00:00Z`);
    return Number.isNaN(start) ? undefined : new Date(start + DAY_MS);
  }
  const t = Date.parse(expires);
  return Number.isNaN(t) ? undefined : new Date(t);
}

let entryValidator: ((value: unknown) => SchemaError[]) | undefined;
let fileValidator: ((value: unknown) => SchemaError[]) | undefined;

function validators(): { file: (v: unknown) => SchemaError[]; entry: (v: unknown) => SchemaError[] } {
  if (!entryValidator || !fileValidator) {
    const ajv = newAjv();
    const schema = JSON.parse(readFileSync(`${SCHEMA_DIR}waivers.schema.json`, 'utf8')) as { $id: string };
    ajv.addSchema(schema);
    const file = ajv.getSchema(schema.$id)!;
    const entry = ajv.getSchema(`${schema.$id}#/definitions/waiver`)!;
    fileValidator = (v) => (file(v) ? [] : toSchemaErrors(file.errors));
    entryValidator = (v) => (entry(v) ? [] : toSchemaErrors(entry.errors));
  }
  return { file: fileValidator, entry: entryValidator };
}

export function loadWaivers(file: string, now: Date = new Date()): WaiverSet {
  const rel = relative(process.cwd(), file);
  const display = rel && !rel.startsWith('..') ? rel : file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new WaiverFileError([{ file: display, line: 1, column: 1, level: 'error', kind: 'malformed',
      message: `cannot read waivers file: ${(e as Error).message}`, fix: 'point --waivers at an existing waivers.yaml' }]);
  }
  return parseWaivers(text, display, now);
}

export function parseWaivers(text: string, display: string, now: Date = new Date()): WaiverSet {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number | undefined): { line: number; column: number } => {
    const pos = lines.linePos(offset ?? 0);
    return { line: pos.line, column: pos.col };
  };
  const problem = (offset: number | undefined, level: WaiverProblem['level'], kind: WaiverProblem['kind'], message: string, fix?: string): WaiverProblem =>
    ({ file: display, ...at(offset), level, kind, message, ...(fix ? { fix } : {}) });

  if (doc.errors.length) {
    throw new WaiverFileError(doc.errors.map((e) => problem(e.pos[0], 'error', 'malformed',
      `YAML syntax error: ${e.message.split('\n')[0]}`, 'fix the YAML syntax at this position (indentation, quotes, colons)')));
  }
  const data = doc.toJS() as unknown;
  if (data === null || data === undefined) return { file: display, waivers: [], problems: [] };
  const { file: validateFile, entry: validateEntry } = validators();
  const fileErrors = validateFile(data);
  if (fileErrors.length) {
    throw new WaiverFileError(fileErrors.map((e) => {
      const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'the top level';
      const key = e.keyword === 'additionalProperties' ? String(e.params.additionalProperty) : undefined;
      const guess = key ? suggest(key, ['version', 'waivers']) : undefined;
      const message = key ? `unknown key "${key}" in ${where}`
        : e.keyword === 'required' ? `${where} is missing "${String(e.params.missingProperty)}"`
        : `${where} ${e.message}`;
      return problem(key ? keyOffset(doc, [], key) : nodeOffset(doc, e.instancePath.split('/').slice(1)), 'error', 'malformed', message,
        guess && guess !== key ? `did you mean "${guess}"?` : 'a waivers file is `version: 1` and a `waivers:` list (see waivers.example.yaml)');
    }));
  }

  const seq = doc.getIn(['waivers'], true);
  const items = isSeq(seq) ? seq.items : [];
  const ids = new Set(CATALOGUE.map((r) => r.id));
  const waivers: Waiver[] = [];
  const problems: WaiverProblem[] = [];
  items.forEach((node, i) => {
    const start = (node as Node | null)?.range?.[0];
    const fieldAt = (key: string): number | undefined => (doc.getIn(['waivers', i, key], true) as Node | undefined)?.range?.[0] ?? start;
    const raw = (data as { waivers: unknown[] }).waivers[i];
    const label = `waiver ${i + 1}`;
    const errors = validateEntry(raw);
    if (errors.length) {
      const first = errors.find((e) => e.keyword !== 'anyOf' && e.keyword !== 'format') ?? errors[0]!;
      const key = first.instancePath.split('/')[1];
      let message: string;
      let fix: string | undefined;
      let offset = key ? fieldAt(key) : start;
      switch (first.keyword) {
        case 'required':
          message = `${label} is missing "${String(first.params.missingProperty)}"`;
          fix = 'every waiver names rule, target (or "*"), reason, owner and expires';
          break;
        case 'additionalProperties': {
          const extra = String(first.params.additionalProperty);
          offset = keyOffset(doc, ['waivers', i], extra) ?? start;
          const guess = suggest(extra, ['rule', 'target', 'reason', 'owner', 'expires']);
          message = `${label} has an unknown key "${extra}"`;
          fix = guess ? `did you mean "${guess}"?` : 'allowed keys: rule, target, reason, owner, expires';
          break;
        }
        case 'type':
          message = key ? `${label}: ${key} must be a ${String(first.params.type)}` : `${label} must be a mapping of rule, target, reason, owner, expires`;
          fix = key === 'expires' ? 'write the date as a quoted string, e.g. expires: "2026-12-31"' : undefined;
          break;
        default:
          message = key === 'expires' ? `${label}: expires ${JSON.stringify((raw as Record<string, unknown>).expires)} is not a date`
            : key === 'rule' ? `${label}: "${String((raw as Record<string, unknown>).rule)}" is not a rule id`
            : `${label}: ${key ?? 'entry'} ${first.message}`;
          fix = key === 'expires' ? 'use YYYY-MM-DD (valid through that day, UTC) or an RFC 3339 date-time'
            : key === 'rule' ? 'npx conformance rules lists the rule ids' : undefined;
      }
      problems.push(problem(offset, 'error', 'malformed', `${message}; it does not count`, fix));
      return;
    }
    const w = raw as Omit<Waiver, 'source'>;
    const source = { file: display, ...at(start) };
    if (!ids.has(w.rule)) {
      const guess = suggest(w.rule, ids);
      problems.push(problem(fieldAt('rule'), 'error', 'unknown-rule', `${label} names "${w.rule}", which is not a rule of the catalogue; it does not count`,
        guess ? `did you mean "${guess}"? (npx conformance rules lists the ids)` : 'npx conformance rules lists the rule ids'));
      return;
    }
    const end = expiryInstant(w.expires);
    if (!end) {
      problems.push(problem(fieldAt('expires'), 'error', 'malformed', `${label}: expires "${w.expires}" is not a date; it does not count`,
        'use YYYY-MM-DD (valid through that day, UTC) or an RFC 3339 date-time'));
      return;
    }
    if (end.getTime() <= now.getTime()) {
      problems.push(problem(fieldAt('expires'), 'error', 'expired', `${label} (${w.rule} on ${w.target}, owner ${w.owner}) expired on ${w.expires}; it does not count`,
        'fix the rule, or renew the waiver with a new expiry date and a reason'));
      return;
    }
    const daysLeft = Math.ceil((end.getTime() - now.getTime()) / DAY_MS);
    if (daysLeft <= EXPIRING_SOON_DAYS) {
      problems.push(problem(fieldAt('expires'), 'warning', 'expiring', `${label} (${w.rule} on ${w.target}, owner ${w.owner}) expires in ${daysLeft} day(s), on ${w.expires}`));
    }
    waivers.push({ rule: w.rule, target: w.target, reason: w.reason, owner: w.owner, expires: w.expires, source });
  });
  return { file: display, waivers, problems };
}

function keyOffset(doc: Document, parent: readonly (string | number)[], key: string): number | undefined {
  const map = parent.length ? doc.getIn(parent as (string | number)[], true) : doc.contents;
  if (!isMap(map)) return undefined;
  for (const pair of map.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return pair.key.range?.[0];
  }
  return undefined;
}

function nodeOffset(doc: Document, path: readonly string[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = (n ? doc.getIn(path.slice(0, n), true) : doc.contents) as Node | undefined | null;
    if (node?.range) return node.range[0];
  }
  return 0;
}

/**
 * The waivers a summary already carries (written by `run --waivers`), so that `gate` without a
 * waivers file re-checks them (an expired one stops counting) instead of trusting them blindly.
 */
export function waiversRecordedIn(summary: Summary, now: Date = new Date()): WaiverSet {
  const waivers: Waiver[] = [];
  const problems: WaiverProblem[] = [];
  const seen = new Set<string>();
  for (const t of summary.targets) {
    for (const r of t.rules) {
      if (r.status !== 'waived' || !r.waiver) continue;
      const key = `${r.id}|${r.waiver.target}|${r.waiver.source}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const m = /^(.*):(\d+):(\d+)$/.exec(r.waiver.source);
      const source = m ? { file: m[1]!, line: Number(m[2]), column: Number(m[3]) } : { file: r.waiver.source, line: 1, column: 1 };
      const end = expiryInstant(r.waiver.expires);
      if (!end || end.getTime() <= now.getTime()) {
        problems.push({ ...source, level: 'error', kind: 'expired',
          message: `recorded waiver of ${r.id} on ${r.waiver.target} (owner ${r.waiver.owner}) expired on ${r.waiver.expires}; it does not count`,
          fix: 'fix the rule, or renew the waiver with a new expiry date and a reason' });
        continue;
      }
      waivers.push({ rule: r.id, target: r.waiver.target, reason: r.waiver.reason, owner: r.waiver.owner, expires: r.waiver.expires, source });
    }
  }
  return { file: 'summary.json (waivers recorded by the run)', waivers, problems };
}

/** Puts a waived rule back to what the run found. */
function unwaive(rule: SummaryRule): SummaryRule {
  if (rule.status !== 'waived' || !rule.waiver) return rule;
  const { waiver, reason: _reason, ...rest } = rule;
  return { ...rest, status: waiver.was.status, ...(waiver.was.reason ? { reason: waiver.was.reason } : {}) };
}

/** The waiver that covers `rule` on `target`: one naming the target wins over a `*` one. */
export function findWaiver(set: WaiverSet, target: string, rule: string): Waiver | undefined {
  return set.waivers.find((w) => w.rule === rule && w.target === target) ?? set.waivers.find((w) => w.rule === rule && w.target === '*');
}

/** The run's waivers for the test workers (annotations): never throws; the reporter reports problems. */
export function runWaivers(env: NodeJS.ProcessEnv = process.env): WaiverSet {
  const file = waiversPath(undefined, env);
  if (!file) return { waivers: [], problems: [] };
  try {
    return loadWaivers(file);
  } catch (e) {
    if (e instanceof WaiverFileError) return { file, waivers: [], problems: e.problems };
    throw e;
  }
}

export function countsOf(rules: readonly { status: RuleStatus }[]): Record<RuleStatus, number> {
  const counts: Record<RuleStatus, number> = { passed: 0, failed: 0, skipped: 0, waived: 0, error: 0 };
  for (const r of rules) counts[r.status]++;
  return counts;
}

/**
 * Applies `set` to a summary: rules that `failed` or could not be judged (`error`) and match
 * a waiver become `waived`, keeping their message, findings and evidence. Waivers recorded
 * earlier are undone first, so the same summary can be re-gated with another waivers file.
 * Counts and verdict are recomputed; unused waivers and unknown targets are reported.
 */
export function applyWaivers(summary: Summary, set: WaiverSet): Summary {
  const used = new Set<Waiver>();
  const targets = summary.targets.map((t): TargetSummary => {
    const rules = t.rules.map((original) => {
      const rule = unwaive(original);
      if (rule.status !== 'failed' && rule.status !== 'error') return rule;
      const w = findWaiver(set, t.name, rule.id);
      if (!w) return rule;
      used.add(w);
      const applied: AppliedWaiver = {
        target: w.target, reason: w.reason, owner: w.owner, expires: w.expires,
        source: `${w.source.file}:${w.source.line}:${w.source.column}`,
        was: { status: rule.status, ...(rule.reason ? { reason: rule.reason } : {}) },
      };
      return { ...rule, status: 'waived' as const, reason: 'waived' as const, waiver: applied };
    });
    return { ...t, counts: countsOf(rules), rules };
  });
  const names = new Set(summary.targets.map((t) => t.name));
  const notes: WaiverProblem[] = [];
  for (const w of set.waivers) {
    if (used.has(w)) continue;
    if (w.target !== '*' && !names.has(w.target)) {
      const guess = suggest(w.target, names);
      notes.push({ ...w.source, level: 'warning', kind: 'unknown-target',
        message: `the waiver of ${w.rule} names target "${w.target}", which is not in this run`,
        ...(guess ? { fix: `did you mean "${guess}"?` } : {}) });
      continue;
    }
    const statuses = summary.targets.filter((t) => w.target === '*' || t.name === w.target)
      .map((t) => `${t.rules.find((r) => r.id === w.rule)?.status ?? 'absent'} on ${t.name}`);
    notes.push({ ...w.source, level: 'warning', kind: 'unused',
      message: `the waiver of ${w.rule} (${w.target}) matched no failed rule (${statuses.join(', ')})`,
      fix: 'remove the waiver once the rule passes' });
  }
  const { waivers: _previous, ...rest } = summary;
  return {
    ...rest,
    verdict: verdictOf(targets.flatMap((t) => t.rules)),
    targets,
    waivers: { ...(set.file ? { file: set.file } : {}), applied: [...targets].reduce((n, t) => n + t.counts.waived, 0), problems: [...set.problems, ...notes] },
  };
}
