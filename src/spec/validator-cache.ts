/**
 * ajv validators kept as standalone code on disk, so a process loads a schema's validator
 * instead of compiling it. Compiling is the costly part of ajv: the OpenAPI 3.x meta-schema
 * takes ~240 ms of CPU, loading its generated code ~10 ms, and every worker of every run needed
 * it (as it needs the targets schema and the error schemas).
 *
 * The code lives in `node_modules/.cache/api-conformance-harness/ajv/` of the node_modules that
 * holds ajv (the generated code requires ajv's runtime and ajv-formats from there), one file per
 * hash of everything that decides the code: the schema, the ajv class and options, the versions
 * of ajv and ajv-formats. Files are written whole (temporary name, then rename), so concurrent
 * workers at worst both compile once. A cache that cannot be read or written costs a compile,
 * never a failure.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Ajv, ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);
const AJV_PACKAGE = require.resolve('ajv/package.json');
const VERSIONS = [
  'validator-cache/1',
  (require('ajv/package.json') as { version: string }).version,
  (require('ajv-formats/package.json') as { version: string }).version,
];

/** node_modules/.cache/… beside the node_modules that holds ajv. */
export const VALIDATOR_CACHE_DIR = join(dirname(dirname(AJV_PACKAGE)), '.cache', 'api-conformance-harness', 'ajv');

// Loaded only when a validator has to be compiled.
const generate = (ajv: Ajv, validate: ValidateFunction): string =>
  (require('ajv/dist/standalone') as { default: (a: Ajv, v: ValidateFunction) => string }).default(ajv, validate);

/**
 * The validator for `key` (JSON-serialisable: it must name everything the compiled code depends
 * on besides the ajv and ajv-formats versions), from the cache, else from `compile`, whose ajv
 * must have been made with `code: { source: true }`.
 */
export function cachedValidator(key: unknown, compile: () => { readonly ajv: Ajv; readonly validate: ValidateFunction }): ValidateFunction {
  const hash = createHash('sha256')
    .update(JSON.stringify([...VERSIONS, key]))
    .digest('hex')
    .slice(0, 32);
  const file = join(VALIDATOR_CACHE_DIR, `${hash}.cjs`);
  try {
    return require(file) as ValidateFunction;
  } catch {
    // Not cached yet (or unreadable): compile below.
  }
  const { ajv, validate } = compile();
  try {
    mkdirSync(VALIDATOR_CACHE_DIR, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, generate(ajv, validate));
    renameSync(temporary, file);
  } catch {
    // A read-only node_modules: this process keeps its compiled validator, the next compiles again.
  }
  return validate;
}
