/**
 * Waivers (SPEC §2, §5): owned, expiring exceptions that let a release go out with a known
 * `failed` or `error` rule. Policy only: this module reads waivers.yaml and answers which
 * waiver covers a rule (apply-waivers.ts rewrites a summary with them); it never judges a
 * rule and never formats a report.
 *
 * A waiver counts when it is well-formed, names a catalogue rule and has not expired. A
 * malformed, unknown or expired waiver does not count and is reported with file:line:column.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { isSeq, type Node } from 'yaml';
import { suggest } from '../config/suggest.ts';
import { keyOffset, nodeOffset, parseYamlSource } from '../config/yaml-source.ts';
import { CATALOGUE } from '../spec/catalogue.ts';
import { newAjv, SCHEMA_DIR, toSchemaErrors, type SchemaError } from '../spec/schemas.ts';
import type { SourcePosition, WaiverProblem } from '../spec/summary.ts';

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

export interface WaiverSet {
  /** Where the waivers came from (a file, or the summary they were recorded in). */
  readonly file?: string;
  /** Waivers that count. */
  readonly waivers: readonly Waiver[];
  /** Problems found while loading (malformed, unknown rule, expired). */
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
export function waiversPath(
  named: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): string | undefined {
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
    throw new WaiverFileError([
      {
        file: display,
        line: 1,
        column: 1,
        level: 'error',
        kind: 'malformed',
        message: `cannot read waivers file: ${(e as Error).message}`,
        fix: 'point --waivers at an existing waivers.yaml',
      },
    ]);
  }
  return parseWaivers(text, display, now);
}

export function parseWaivers(text: string, display: string, now: Date = new Date()): WaiverSet {
  const { doc, at } = parseYamlSource(text);
  const problem = (
    offset: number | undefined,
    level: WaiverProblem['level'],
    kind: WaiverProblem['kind'],
    message: string,
    fix?: string,
  ): WaiverProblem => ({ file: display, ...at(offset), level, kind, message, ...(fix ? { fix } : {}) });

  if (doc.errors.length) {
    throw new WaiverFileError(
      doc.errors.map((e) =>
        problem(
          e.pos[0],
          'error',
          'malformed',
          `YAML syntax error: ${e.message.split('\n')[0]}`,
          'fix the YAML syntax at this position (indentation, quotes, colons)',
        ),
      ),
    );
  }
  const data = doc.toJS() as unknown;
  if (data === null || data === undefined) return { file: display, waivers: [], problems: [] };
  const { file: validateFile, entry: validateEntry } = validators();
  const fileErrors = validateFile(data);
  if (fileErrors.length) {
    throw new WaiverFileError(
      fileErrors.map((e) => {
        const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'the top level';
        const key = e.keyword === 'additionalProperties' ? String(e.params.additionalProperty) : undefined;
        const guess = key ? suggest(key, ['version', 'waivers']) : undefined;
        const message = key
          ? `unknown key "${key}" in ${where}`
          : e.keyword === 'required'
            ? `${where} is missing "${String(e.params.missingProperty)}"`
            : `${where} ${e.message}`;
        return problem(
          key ? keyOffset(doc, [], key) : nodeOffset(doc, e.instancePath.split('/').slice(1)),
          'error',
          'malformed',
          message,
          guess && guess !== key
            ? `did you mean "${guess}"?`
            : 'a waivers file is `version: 1` and a `waivers:` list (see waivers.example.yaml)',
        );
      }),
    );
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
          message = key
            ? `${label}: ${key} must be a ${String(first.params.type)}`
            : `${label} must be a mapping of rule, target, reason, owner, expires`;
          fix = key === 'expires' ? 'write the date as a quoted string, e.g. expires: "2026-12-31"' : undefined;
          break;
        default:
          message =
            key === 'expires'
              ? `${label}: expires ${JSON.stringify((raw as Record<string, unknown>).expires)} is not a date`
              : key === 'rule'
                ? `${label}: "${String((raw as Record<string, unknown>).rule)}" is not a rule id`
                : `${label}: ${key ?? 'entry'} ${first.message}`;
          fix =
            key === 'expires'
              ? 'use YYYY-MM-DD (valid through that day, UTC) or an RFC 3339 date-time'
              : key === 'rule'
                ? 'npx conformance rules lists the rule ids'
                : undefined;
      }
      problems.push(problem(offset, 'error', 'malformed', `${message}; it does not count`, fix));
      return;
    }
    const w = raw as Omit<Waiver, 'source'>;
    const source = { file: display, ...at(start) };
    if (!ids.has(w.rule)) {
      const guess = suggest(w.rule, ids);
      problems.push(
        problem(
          fieldAt('rule'),
          'error',
          'unknown-rule',
          `${label} names "${w.rule}", which is not a rule of the catalogue; it does not count`,
          guess ? `did you mean "${guess}"? (npx conformance rules lists the ids)` : 'npx conformance rules lists the rule ids',
        ),
      );
      return;
    }
    const end = expiryInstant(w.expires);
    if (!end) {
      problems.push(
        problem(
          fieldAt('expires'),
          'error',
          'malformed',
          `${label}: expires "${w.expires}" is not a date; it does not count`,
          'use YYYY-MM-DD (valid through that day, UTC) or an RFC 3339 date-time',
        ),
      );
      return;
    }
    if (end.getTime() <= now.getTime()) {
      problems.push(
        problem(
          fieldAt('expires'),
          'error',
          'expired',
          `${label} (${w.rule} on ${w.target}, owner ${w.owner}) expired on ${w.expires}; it does not count`,
          'fix the rule, or renew the waiver with a new expiry date and a reason',
        ),
      );
      return;
    }
    const daysLeft = Math.ceil((end.getTime() - now.getTime()) / DAY_MS);
    if (daysLeft <= EXPIRING_SOON_DAYS) {
      problems.push(
        problem(
          fieldAt('expires'),
          'warning',
          'expiring',
          `${label} (${w.rule} on ${w.target}, owner ${w.owner}) expires in ${daysLeft} day(s), on ${w.expires}`,
        ),
      );
    }
    waivers.push({ rule: w.rule, target: w.target, reason: w.reason, owner: w.owner, expires: w.expires, source });
  });
  return { file: display, waivers, problems };
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
