/**
 * Checks a raw targets file: its shape against schemas/targets.schema.json (each error turned
 * into a message and a fix at the offending key), then what a schema cannot say (rule ids of
 * the catalogue, unique resource names, readable ca_file, ...).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Document } from 'yaml';
import { CATALOGUE } from '../spec/catalogue.ts';
import { compileSchema, SCHEMA_DIR, type SchemaError, toSchemaErrors } from '../spec/schemas.ts';
import type { ProblemSink, RawTarget } from './raw.ts';
import { suggest } from './suggest.ts';
import { checkUrl, displayUrl } from './values.ts';
import { keyOffset, nodeOffset, type YamlPath } from './yaml-source.ts';

type RawError = SchemaError & { parentSchema?: { properties?: Record<string, unknown> }; propertyName?: string };
let targetsValidator: ((value: unknown) => RawError[]) | undefined;

export function validateShape(doc: Document, data: unknown, problem: ProblemSink): void {
  if (!targetsValidator) {
    const fn = compileSchema(JSON.parse(readFileSync(`${SCHEMA_DIR}targets.schema.json`, 'utf8')) as Record<string, unknown>);
    targetsValidator = (value) =>
      fn(value)
        ? []
        : toSchemaErrors(fn.errors).map((e, i) => {
            const raw = fn.errors?.[i];
            return {
              ...e,
              parentSchema: raw?.parentSchema as RawError['parentSchema'],
              ...(raw?.propertyName ? { propertyName: raw.propertyName } : {}),
            };
          });
  }
  // Unknown keys first: a misspelt key is usually why a required one is "missing".
  const errors = targetsValidator(data).sort(
    (a, b) => Number(b.keyword === 'additionalProperties') - Number(a.keyword === 'additionalProperties'),
  );
  // allOf/required repeat what a more precise error already says; keep the most useful ones.
  const seen = new Set<string>();
  for (const e of errors) {
    const path = e.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const where = path.length ? path.join('.') : 'the top level';
    let offset = nodeOffset(doc, path);
    let message: string;
    let fix: string | undefined;
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = String(e.params.additionalProperty);
        offset = keyOffset(doc, path, key) ?? offset;
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
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
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
          offset = keyOffset(doc, path, e.propertyName) ?? offset;
          message = `invalid name ${JSON.stringify(e.propertyName)} in ${where}`;
          fix =
            path.length === 1 && path[0] === 'targets'
              ? 'target names use letters, digits, ".", "_" and "-" (they become Playwright project names)'
              : hintForPattern(path);
          break;
        }
        {
          const value = doc.getIn(path as string[]);
          const key = path.at(-1) ?? '';
          // URLs are judged by checkUrl, whose messages mask user info and query values.
          const checked =
            (key === 'base_url' || key === 'http_url') && typeof value === 'string'
              ? checkUrl(key, value, { httpOnly: key === 'http_url' })
              : undefined;
          const url = checked && /credential/.test(checked.message) ? checked : undefined;
          message = url
            ? `${where}: ${url.message}`
            : `${where} has an invalid value ${JSON.stringify(typeof value === 'string' ? displayUrl(value) : value)}`;
          fix = url?.fix ?? hintForPattern(path);
        }
        break;
      case 'propertyNames':
      case 'if':
      case 'allOf':
        continue;
      case 'type': {
        const want = String(e.params.type)
          .split(',')
          .map((t) => YAML_TYPES[t] ?? t)
          .join(' or ');
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
  object: 'a map (key: value lines)',
  array: 'a list',
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'empty',
};

function hintForPattern(path: readonly string[]): string {
  const key = path.at(-1) ?? '';
  if (key === 'base_url') return 'use an absolute http(s) URL such as https://api-staging.example.com (no query or fragment)';
  if (key === 'http_url') return 'use a plain http:// URL such as http://api-staging.example.com';
  if (key === 'item') return 'item paths name the id as {id}, e.g. /v2/documents/{id}';
  if (path.includes('allowed_origins') || path.includes('denied_origins'))
    return 'origins are scheme://host[:port] with no path, e.g. https://app.example.com';
  if (path[0] === 'targets' && path.length === 2) return 'target names use letters, digits, ".", "_" and "-"';
  return 'paths start with "/"';
}

export function checkSemantics(
  name: string,
  t: RawTarget,
  nodeAt: (path: YamlPath) => number | undefined,
  keyAt: (path: YamlPath, key: string) => number | undefined,
  problem: ProblemSink,
  baseDir: string,
): void {
  const ids = new Set(CATALOGUE.map((r) => r.id));
  (t.rules?.skip ?? []).forEach((id, i) => {
    if (!ids.has(id)) {
      const guess = suggest(id, ids);
      problem(
        nodeAt(['rules', 'skip', i]),
        `unknown rule id "${id}" in rules.skip of target "${name}"`,
        guess ? `did you mean "${guess}"? (npx conformance rules lists them)` : 'npx conformance rules lists the rule ids',
      );
    }
  });
  for (const id of Object.keys(t.rules?.severity ?? {})) {
    if (!ids.has(id)) {
      const guess = suggest(id, ids);
      problem(
        keyAt(['rules', 'severity'], id),
        `unknown rule id "${id}" in rules.severity of target "${name}"`,
        guess ? `did you mean "${guess}"?` : 'npx conformance rules lists the rule ids',
      );
    }
  }
  const resourceNames = new Set<string>();
  (t.resources ?? []).forEach((r, i) => {
    if (resourceNames.has(r.name))
      problem(
        nodeAt(['resources', i, 'name']),
        `resource name "${r.name}" appears twice in target "${name}"`,
        'give each resource a distinct name',
      );
    resourceNames.add(r.name);
  });
  for (const [list, key] of [
    ['uploads', 'resource'],
    ['streams', 'resource'],
  ] as const) {
    (t[list] ?? []).forEach((u, i) => {
      if (u.resource !== undefined && !resourceNames.has(u.resource)) {
        const guess = suggest(u.resource, resourceNames);
        problem(
          nodeAt([list, i, key]),
          `${list}[${i}].resource names "${u.resource}", which is not a resource of target "${name}"`,
          guess ? `did you mean "${guess}"?` : 'declare the resource under resources: or fix the name',
        );
      }
    });
  }
  if (t.http_url && t.base_url && !t.base_url.startsWith('https://')) {
    problem(
      nodeAt(['http_url']),
      `http_url is only meaningful for an https base_url (target "${name}" uses ${t.base_url.split(':')[0]})`,
      'remove http_url, or make base_url https',
    );
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
    problem(
      nodeAt(['rate_limit', 'burst']),
      `rate_limit.burst needs rate_limit.limit in target "${name}"`,
      'declare the limit the service promises, e.g. limit: 600 and window_s: 60',
    );
  }
}
