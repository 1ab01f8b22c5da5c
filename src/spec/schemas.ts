/**
 * The JSON Schemas of `schemas/`, compiled once per process with ajv (strict) and kept with
 * their errors intact: checks report ajv's instancePath, keyword and params, never a boolean.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats ships CommonJS; under ESM its default export is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv,
) => Ajv;

export const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

export interface SchemaError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
  readonly message: string;
}

export interface SchemaSet {
  /** Validates `value` against `schemas/<name>.schema.json`; [] when valid. */
  validate(name: string, value: unknown): readonly SchemaError[];
}

export function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true });
  addFormats(ajv);
  return ajv;
}

export function toSchemaErrors(errors: readonly ErrorObject[] | null | undefined): SchemaError[] {
  return (errors ?? []).map((e) => ({
    instancePath: e.instancePath,
    keyword: e.keyword,
    params: e.params as Record<string, unknown>,
    message: e.message ?? e.keyword,
  }));
}

/** "$.error.code: must be string" style lines for messages. */
export function describeSchemaError(e: SchemaError): string {
  const path = '$' + e.instancePath.replace(/\/([^/]+)/g, (_, k: string) => (/^\d+$/.test(k) ? `[${k}]` : `.${k}`));
  if (e.keyword === 'required') return `${path}: missing '${String(e.params.missingProperty)}'`;
  if (e.keyword === 'additionalProperties') return `${path}: unexpected '${String(e.params.additionalProperty)}'`;
  return `${path}: ${e.message}`;
}

let shared: SchemaSet | undefined;

/** One compiled set per process (worker-scoped by construction). */
export function loadSchemas(): SchemaSet {
  if (shared) return shared;
  const ajv = newAjv();
  const compiled = new Map<string, ValidateFunction>();
  for (const file of readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith('.schema.json'))
    .sort()) {
    const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as Record<string, unknown>;
    ajv.addSchema(schema, file.replace(/\.schema\.json$/, ''));
  }
  shared = {
    validate(name, value) {
      let fn = compiled.get(name);
      if (!fn) {
        const found = ajv.getSchema(name);
        if (!found) throw new Error(`no schema named ${name} in ${SCHEMA_DIR}`);
        fn = found;
        compiled.set(name, fn);
      }
      return fn(value) ? [] : toSchemaErrors(fn.errors);
    },
  };
  return shared;
}
