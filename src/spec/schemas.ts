/**
 * The JSON Schemas of `schemas/`, compiled once per process with ajv (strict) and kept with
 * their errors intact: checks report ajv's instancePath, keyword and params, never a boolean.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { cachedValidator } from './validator-cache.ts';

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

const AJV_OPTIONS = { allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true } as const;

export function newAjv(): Ajv {
  // code.source: so that validators can be kept as code (validator-cache.ts).
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
  addFormats(ajv);
  return ajv;
}

/** `schema` compiled by newAjv(), or its validator from the cache when it was compiled before. */
export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  return cachedValidator(['schemas.ts', AJV_OPTIONS, schema], () => {
    const ajv = newAjv();
    return { ajv, validate: ajv.compile(schema) };
  });
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

/**
 * One set per process (worker-scoped by construction). A schema is read and compiled the first
 * time it is used: a worker judges with a few of them and never needs summary, targets or waivers.
 */
export function loadSchemas(): SchemaSet {
  if (shared) return shared;
  const compiled = new Map<string, ValidateFunction>();
  const compile = (name: string): ValidateFunction => {
    let file: string;
    try {
      file = readFileSync(join(SCHEMA_DIR, `${name}.schema.json`), 'utf8');
    } catch {
      throw new Error(`no schema named ${name} in ${SCHEMA_DIR}`);
    }
    return compileSchema(JSON.parse(file) as Record<string, unknown>);
  };
  shared = {
    validate(name, value) {
      let fn = compiled.get(name);
      if (!fn) {
        fn = compile(name);
        compiled.set(name, fn);
      }
      return fn(value) ? [] : toSchemaErrors(fn.errors);
    },
  };
  return shared;
}
