/**
 * targets.yaml → Target[]. Parsed with `yaml` keeping node ranges so that every error names
 * file:line:column and the fix; validated by schemas/targets.schema.json; `${VAR}` and
 * `${VAR:-default}` interpolated from the environment (SPEC §3).
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { LineCounter, Scalar, isMap, isPair, isScalar, parseDocument, visit, type Document, type Node } from 'yaml';
import { newAjv, SCHEMA_DIR, type SchemaError, toSchemaErrors } from '../spec/schemas.ts';
import { CATALOGUE } from '../spec/catalogue.ts';
import { suggest } from './suggest.ts';
import { PROFILE_PRESETS, type Resource, type Secret, type SecretName, type Target } from './target.ts';
import type { Profile, Severity } from '../spec/vocabulary.ts';

export interface ConfigProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly fix?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.message}${p.fix ? `\n  fix: ${p.fix}` : ''}`;
}

export interface LoadOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Used in messages instead of the absolute path. */
  readonly displayPath?: string;
  /**
   * Skip the JSON Schema validation (≈90 ms of ajv compilation): for Playwright workers, whose
   * runner already validated the same file. Worker starts repeat after every failed test.
   */
  readonly trusted?: boolean;
}

type Path = readonly (string | number)[];

const SECRET_NAMES: readonly SecretName[] = ['bearer', 'api_key', 'limited_bearer', 'expired_bearer', 'other_tenant_bearer'];
const INTERPOLATION = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function loadTargets(file: string, options: LoadOptions = {}): Target[] {
  const rel = relative(process.cwd(), file);
  const display = options.displayPath ?? (rel && !rel.startsWith('..') ? rel : file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError([{ file: display, line: 1, column: 1, message: `cannot read targets file: ${(e as Error).message}`, fix: 'point --targets or CONFORMANCE_TARGETS at an existing targets.yaml' }]);
  }
  return parseTargets(text, display, options.env ?? process.env, resolve(file, '..'), options.trusted);
}

export function parseTargets(text: string, display: string, env: NodeJS.ProcessEnv, baseDir = process.cwd(), trusted = false): Target[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number | undefined): { line: number; column: number } => {
    const pos = lines.linePos(offset ?? 0);
    return { line: pos.line, column: pos.col };
  };
  const problems: ConfigProblem[] = [];
  const problem = (offset: number | undefined, message: string, fix?: string): void => {
    problems.push({ file: display, ...at(offset), message, ...(fix ? { fix } : {}) });
  };

  for (const e of doc.errors) {
    const duplicate = e.code === 'DUPLICATE_KEY';
    problem(e.pos[0], duplicate ? `duplicate key: ${e.message.split('\n')[0]}` : `YAML syntax error: ${e.message.split('\n')[0]}`,
      duplicate ? 'each key (and each target name) may appear once; remove or rename the repeat' : 'fix the YAML syntax at this position (indentation, quotes, colons)');
  }
  if (problems.length) throw new ConfigError(problems);
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    throw new ConfigError([{ file: display, line: 1, column: 1, message: 'the targets file is empty', fix: 'start from the example in README: `version: 1` and a `targets:` map' }]);
  }

  const envVars = new Map<string, string>(); // path key → env var a secret came from
  interpolate(doc, env, envVars, problem);
  if (problems.length) throw new ConfigError(problems);

  const data = doc.toJS() as unknown;
  if (!trusted) validateShape(doc, data, problem);
  if (problems.length) throw new ConfigError(problems);

  const file = data as RawFile;
  const defaults = file.defaults ?? {};
  const targets: Target[] = [];
  for (const [name, raw] of Object.entries(file.targets)) {
    const merged = deepMerge(defaults, raw) as RawTarget;
    const node = doc.getIn(['targets', name], true) as Node | undefined;
    const keyOffset = keyRange(doc, ['targets'], name) ?? node?.range?.[0];
    const nodeAt = (path: Path): number | undefined =>
      (doc.getIn(['targets', name, ...path], true) as Node | undefined)?.range?.[0] ?? keyOffset;
    const keyAt = (path: Path, key: string): number | undefined => keyRange(doc, ['targets', name, ...path], key) ?? nodeAt(path);
    checkSemantics(name, merged, nodeAt, keyAt, problem, baseDir);
    targets.push(toTarget(name, merged, envVars, { file: display, ...at(keyOffset) }, baseDir));
  }
  if (problems.length) throw new ConfigError(problems);
  return targets;
}

function interpolate(
  doc: Document,
  env: NodeJS.ProcessEnv,
  envVars: Map<string, string>,
  problem: (offset: number | undefined, message: string, fix?: string) => void,
): void {
  visit(doc, {
    Scalar(_key, node, path) {
      if (typeof node.value !== 'string' || !node.value.includes('${')) return;
      const keys = path.filter(isPair).map((p) => String((p.key as Scalar | null)?.value ?? ''));
      const where = keys.join('.');
      const target = keys[0] === 'targets' ? keys[1] : undefined;
      node.value = node.value.replace(INTERPOLATION, (_m, name: string, fallback: string | undefined) => {
        envVars.set(where, name);
        const value = env[name];
        if (value !== undefined && value !== '') return value;
        if (fallback !== undefined) return fallback;
        problem(node.range?.[0],
          `environment variable ${name} is not set (used by ${where}${target ? ` of target "${target}"` : ''})`,
          `export ${name}=…, or write \${${name}:-} to make the value optional (rules needing it are then skipped)`);
        return '';
      });
    },
  });
}

function keyRange(doc: Document, parent: Path, key: string): number | undefined {
  const map = doc.getIn(parent as (string | number)[], true);
  if (!isMap(map)) return undefined;
  for (const pair of map.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return pair.key.range?.[0];
  }
  return undefined;
}

function nodeOffset(doc: Document, path: Path): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as (string | number)[], true) as Node | undefined;
    if (node?.range) return node.range[0];
  }
  return 0;
}

type RawError = SchemaError & { parentSchema?: { properties?: Record<string, unknown> }; propertyName?: string };
let targetsValidator: ((value: unknown) => RawError[]) | undefined;

function validateShape(doc: Document, data: unknown, problem: (offset: number | undefined, message: string, fix?: string) => void): void {
  if (!targetsValidator) {
    const ajv = newAjv();
    const schema = JSON.parse(readFileSync(`${SCHEMA_DIR}targets.schema.json`, 'utf8')) as object;
    const fn = ajv.compile(schema);
    targetsValidator = (value) => (fn(value) ? [] : toSchemaErrors(fn.errors).map((e, i) => {
      const raw = fn.errors?.[i];
      return { ...e, parentSchema: raw?.parentSchema as RawError['parentSchema'], ...(raw?.propertyName ? { propertyName: raw.propertyName } : {}) };
    }));
  }
  // Unknown keys first: a misspelt key is usually why a required one is "missing".
  const errors = targetsValidator(data).sort((a, b) => Number(b.keyword === 'additionalProperties') - Number(a.keyword === 'additionalProperties'));
  // allOf/required repeat what a more precise error already says; keep the most useful ones.
  const seen = new Set<string>();
  for (const e of errors) {
    const path = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const where = path.length ? path.join('.') : 'the top level';
    let offset = nodeOffset(doc, path);
    let message: string;
    let fix: string | undefined;
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = String(e.params.additionalProperty);
        offset = keyRange(doc, path, key) ?? offset;
        const allowed = Object.keys(e.parentSchema?.properties ?? {});
        const guess = suggest(key, allowed);
        message = `unknown key "${key}" in ${where}`;
        fix = guess ? `did you mean "${guess}"?` : `allowed keys here: ${allowed.join(', ')}`;
        break;
      }
      case 'required':
        message = `${where} is missing the required key "${String(e.params.missingProperty)}"`;
        fix = `add ${String(e.params.missingProperty)}: … (see README, "targets.yaml")`;
        break;
      case 'enum': {
        const allowed = (e.params.allowedValues as unknown[]).map(String);
        message = `${where} must be one of ${JSON.stringify(e.params.allowedValues)}`;
        const value = (doc.getIn(path as string[]) ?? '') as unknown;
        const guess = typeof value === 'string' ? suggest(value, allowed) : undefined;
        fix = guess ? `did you mean "${guess}"?` : `use one of: ${allowed.join(', ')}`;
        break;
      }
      case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
        message = `${where} ${e.message}`;
        fix = `use a number ${e.keyword.includes('inimum') ? 'of at least' : 'of at most'} ${String(e.params.limit)}`;
        break;
      case 'minProperties':
        message = path.length === 1 && path[0] === 'targets' ? 'targets declares no target' : `${where} ${e.message}`;
        fix = 'declare at least one target: a name, then base_url and profile under it (see README)';
        break;
      case 'const':
        message = `${where} must be ${JSON.stringify(e.params.allowedValue)}`;
        fix = `write ${path.at(-1) ?? 'version'}: ${JSON.stringify(e.params.allowedValue)}`;
        break;
      case 'pattern':
        if (e.propertyName !== undefined) {
          offset = keyRange(doc, path, e.propertyName) ?? offset;
          message = `invalid name ${JSON.stringify(e.propertyName)} in ${where}`;
          fix = path.length === 1 && path[0] === 'targets' ? 'target names use letters, digits, ".", "_" and "-" (they become Playwright project names)' : hintForPattern(path);
          break;
        }
        message = `${where} has an invalid value ${JSON.stringify(doc.getIn(path as string[]))}`;
        fix = hintForPattern(path);
        break;
      case 'propertyNames':
      case 'if':
      case 'allOf':
        continue;
      case 'type': {
        const want = String(e.params.type).split(',').map((t) => YAML_TYPES[t] ?? t).join(' or ');
        message = `${where} must be ${want}`;
        fix = `write ${want} here`;
        break;
      }
      default:
        message = `${where} ${e.message}`;
    }
    const id = `${where}|${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    problem(offset, message, fix);
  }
}

/** JSON Schema types in the words of a YAML file. */
const YAML_TYPES: Record<string, string> = {
  object: 'a map (key: value lines)', array: 'a list', string: 'a string', integer: 'a whole number',
  number: 'a number', boolean: 'true or false', null: 'empty',
};

function hintForPattern(path: readonly string[]): string {
  const key = path.at(-1) ?? '';
  if (key === 'base_url') return 'use an absolute http(s) URL such as https://api-staging.example.com (no query or fragment)';
  if (key === 'http_url') return 'use a plain http:// URL such as http://api-staging.example.com';
  if (key === 'item') return 'item paths name the id as {id}, e.g. /v2/documents/{id}';
  if (path.includes('allowed_origins') || path.includes('denied_origins')) return 'origins are scheme://host[:port] with no path, e.g. https://app.example.com';
  if (path[0] === 'targets' && path.length === 2) return 'target names use letters, digits, ".", "_" and "-"';
  return 'paths start with "/"';
}

function checkSemantics(
  name: string,
  t: RawTarget,
  nodeAt: (path: Path) => number | undefined,
  keyAt: (path: Path, key: string) => number | undefined,
  problem: (offset: number | undefined, message: string, fix?: string) => void,
  baseDir: string,
): void {
  const ids = new Set(CATALOGUE.map((r) => r.id));
  (t.rules?.skip ?? []).forEach((id, i) => {
    if (!ids.has(id)) {
      const guess = suggest(id, ids);
      problem(nodeAt(['rules', 'skip', i]), `unknown rule id "${id}" in rules.skip of target "${name}"`,
        guess ? `did you mean "${guess}"? (npx conformance rules lists them)` : 'npx conformance rules lists the rule ids');
    }
  });
  for (const id of Object.keys(t.rules?.severity ?? {})) {
    if (!ids.has(id)) {
      const guess = suggest(id, ids);
      problem(keyAt(['rules', 'severity'], id), `unknown rule id "${id}" in rules.severity of target "${name}"`,
        guess ? `did you mean "${guess}"?` : 'npx conformance rules lists the rule ids');
    }
  }
  const resourceNames = new Set<string>();
  (t.resources ?? []).forEach((r, i) => {
    if (resourceNames.has(r.name)) problem(nodeAt(['resources', i, 'name']), `resource name "${r.name}" appears twice in target "${name}"`, 'give each resource a distinct name');
    resourceNames.add(r.name);
  });
  for (const [list, key] of [['uploads', 'resource'], ['streams', 'resource']] as const) {
    (t[list] ?? []).forEach((u, i) => {
      if (u.resource !== undefined && !resourceNames.has(u.resource)) {
        const guess = suggest(u.resource, resourceNames);
        problem(nodeAt([list, i, key]), `${list}[${i}].resource names "${u.resource}", which is not a resource of target "${name}"`,
          guess ? `did you mean "${guess}"?` : 'declare the resource under resources: or fix the name');
      }
    });
  }
  if (t.http_url && t.base_url && !t.base_url.startsWith('https://')) {
    problem(nodeAt(['http_url']), `http_url is only meaningful for an https base_url (target "${name}" uses ${t.base_url.split(':')[0]})`, 'remove http_url, or make base_url https');
  }
  if (t.ca_file) {
    try {
      readFileSync(resolve(baseDir, t.ca_file));
    } catch {
      problem(nodeAt(['ca_file']), `ca_file "${t.ca_file}" cannot be read`, 'give a PEM file path relative to the targets file');
    }
  }
  const rl = t.rate_limit;
  if (rl?.burst && rl.limit === undefined) {
    problem(nodeAt(['rate_limit', 'burst']), `rate_limit.burst needs rate_limit.limit in target "${name}"`, 'declare the limit the service promises, e.g. limit: 600 and window_s: 60');
  }
}

interface RawResource {
  name: string; collection: string; item: string;
  create?: Record<string, unknown>; invalid?: Record<string, unknown>; update?: Record<string, unknown>;
  requires_auth?: boolean; seed_items?: number;
}
interface RawTarget {
  base_url?: string; profile?: Profile;
  conventions?: { error_format?: 'problem' | 'envelope'; pagination?: 'cursor' | 'page' };
  mode?: 'read-only' | 'mutating'; timeout_ms?: number; tls_verify?: boolean; http_url?: string; ca_file?: string;
  headers?: Record<string, string>; auth?: Partial<Record<SecretName, string>>;
  health?: string; ready?: string; openapi?: string; docs_ui?: string;
  cors?: { allowed_origins?: string[]; denied_origins?: string[]; allow_credentials?: boolean };
  rate_limit?: { limit?: number; window_s?: number; burst?: boolean; anonymous?: { limit: number; window_s: number }; max_wait_s?: number; scope?: 'origin' | 'base_url' };
  deprecated_prefixes?: string[];
  resources?: RawResource[];
  uploads?: { path: string; resource?: string; field?: string; max_bytes: number; allowed_types?: string[] }[];
  streams?: { path: string; resource?: string }[];
  pagination?: { page_cap?: number };
  discovery?: { mutate?: boolean };
  rules?: { skip?: string[]; severity?: Record<string, Severity> };
}
interface RawFile { version: 1; defaults?: RawTarget; targets: Record<string, RawTarget> }

function deepMerge(base: unknown, over: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v) : v;
    return out;
  }
  return over === undefined ? base : over;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toTarget(name: string, t: RawTarget, envVars: Map<string, string>, source: Target['source'], baseDir: string): Target {
  const profile = t.profile!;
  const preset = PROFILE_PRESETS[profile];
  const url = new URL(t.base_url!);
  const basePath = url.pathname.replace(/\/+$/, '');
  const auth: Partial<Record<SecretName, string>> = {};
  const secrets: Secret[] = [];
  const envOf = (key: string): string | undefined =>
    envVars.get(`targets.${name}.${key}`) ?? envVars.get(`defaults.${key}`);
  for (const secretName of SECRET_NAMES) {
    const value = t.auth?.[secretName];
    if (value === undefined || value === '') continue; // `${VAR:-}` → absent (SPEC §3)
    auth[secretName] = value;
    const envVar = envOf(`auth.${secretName}`);
    secrets.push({ value, key: `auth.${secretName}`, ...(envVar ? { envVar } : {}) });
  }
  const headers: Record<string, string> = {};
  for (const [h, value] of Object.entries(t.headers ?? {})) {
    if (value === '') continue;
    headers[h] = value;
    const envVar = envOf(`headers.${h}`);
    // Interpolated header values are treated as secrets; literal ones are configuration.
    if (envVar) secrets.push({ value, key: `headers.${h}`, envVar });
  }
  const rl = t.rate_limit ?? {};
  const resources: Resource[] = (t.resources ?? []).map((r) => ({
    name: r.name, collection: r.collection, item: r.item,
    ...(r.create ? { create: r.create } : {}),
    ...(r.invalid ? { invalid: r.invalid } : {}),
    ...(r.update ? { update: r.update } : {}),
    requiresAuth: r.requires_auth ?? true,
    seedItems: r.seed_items ?? 3 * ((t.conventions?.pagination ?? preset.pagination) === 'cursor' ? 50 : 20) + 1,
  }));
  return {
    name,
    baseUrl: `${url.origin}${basePath}`,
    origin: url.origin,
    basePath,
    profile,
    conventions: {
      error_format: t.conventions?.error_format ?? preset.error_format,
      pagination: t.conventions?.pagination ?? preset.pagination,
    },
    mode: t.mode ?? 'read-only',
    timeoutMs: t.timeout_ms ?? 5000,
    tlsVerify: t.tls_verify ?? true,
    ...(t.http_url ? { httpUrl: t.http_url.replace(/\/+$/, '') } : {}),
    ...(t.ca_file ? { caFile: resolve(baseDir, t.ca_file) } : {}),
    headers,
    auth,
    secrets,
    health: t.health ?? '/health',
    ready: t.ready ?? '/ready',
    openapi: t.openapi ?? '/openapi.json',
    docsUi: t.docs_ui ?? '/docs',
    cors: {
      allowedOrigins: t.cors?.allowed_origins ?? [],
      deniedOrigins: t.cors?.denied_origins ?? [],
      allowCredentials: t.cors?.allow_credentials ?? false,
    },
    rateLimit: {
      declared: rl.limit !== undefined,
      limit: rl.limit ?? preset.rateLimit.limit,
      windowS: rl.window_s ?? preset.rateLimit.windowS,
      burst: rl.burst ?? false,
      anonymous: rl.anonymous ? { limit: rl.anonymous.limit, windowS: rl.anonymous.window_s } : preset.rateLimit.anonymous,
      maxWaitS: rl.max_wait_s ?? 30,
      scope: rl.scope ?? 'origin',
    },
    deprecatedPrefixes: t.deprecated_prefixes ?? [],
    resources,
    uploads: (t.uploads ?? []).map((u) => ({
      path: u.path, field: u.field ?? 'file', maxBytes: u.max_bytes,
      allowedTypes: u.allowed_types ?? (profile === 'backend' ? ['application/json'] : []),
      ...(u.resource ? { resource: u.resource } : {}),
    })),
    streams: (t.streams ?? []).map((s) => ({ path: s.path, ...(s.resource ? { resource: s.resource } : {}) })),
    pageCap: t.pagination?.page_cap ?? 50,
    discoveryMutate: t.discovery?.mutate ?? false,
    rules: { skip: t.rules?.skip ?? [], severity: t.rules?.severity ?? {} },
    source,
  };
}

/** For tests and `validate`: parse without throwing. */
export function tryLoadTargets(file: string, options: LoadOptions = {}): { targets: Target[] } | { problems: readonly ConfigProblem[] } {
  try {
    return { targets: loadTargets(file, options) };
  } catch (e) {
    if (e instanceof ConfigError) return { problems: e.problems };
    throw e;
  }
}
