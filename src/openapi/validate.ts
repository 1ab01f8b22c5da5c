/**
 * Validates a document against the OpenAPI Initiative's JSON Schemas for its version, with
 * @seriousme/openapi-schema-validator (OpenAPI 2.0, 3.0, 3.1, 3.2; also checks that every
 * `$ref` resolves). Chosen because it keeps ajv's errors (instancePath = the JSON pointer of
 * the fault in the document), works purely in memory (never fetches a `$ref`), runs on
 * Node 20 and brings only ajv, ajv-formats, ajv-draft-04 and yaml, which the harness already
 * uses. It is asynchronous, so the probe validates and the check reads the result.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Validator } from '@seriousme/openapi-schema-validator';
import type { Ajv } from 'ajv';
import { cachedValidator } from '../spec/validator-cache.ts';

export interface DocumentValidation {
  /** "3.1", "3.0", "2.0"…: the version the validator recognised, if any. */
  readonly version?: string;
  readonly valid: boolean;
  /** ajv errors (instancePath into the document), or one message when the validator gave no pointer. */
  readonly errors: readonly {
    readonly instancePath: string;
    readonly keyword: string;
    readonly message: string;
    readonly params?: Record<string, unknown>;
  }[];
}

const MAX_ERRORS = 50;
let validator: Validator | undefined;

export async function validateDocument(doc: Record<string, unknown>): Promise<DocumentValidation> {
  // The validator caches its compiled meta-schemas per version: one instance per process.
  // Loaded on first use: most workers never validate a document (only docs.openapi's probe does).
  validator ??= withCachedMetaSchemas(new (await import('@seriousme/openapi-schema-validator')).Validator({ code: { source: true } }));
  // It is given an object, never a string: a string would be read as a file name. It does not
  // change the object (its $ref check works on its own copy), so no copy is made here: for a
  // 13 MB document a structuredClone costs about a second.
  const result = await validator.validate(doc);
  const version = validator.version;
  // It keeps the last document it saw; let that go with the caller's.
  (validator as unknown as { specification?: unknown }).specification = undefined;
  const errors =
    typeof result.errors === 'string'
      ? [{ instancePath: '', keyword: 'openapi', message: result.errors }]
      : (result.errors ?? []).slice(0, MAX_ERRORS).map((e) => ({
          instancePath: e.instancePath,
          keyword: e.keyword,
          message: e.message ?? e.keyword,
          params: e.params as Record<string, unknown>,
        }));
  return { ...(version ? { version } : {}), valid: result.valid, errors };
}

const require = createRequire(import.meta.url);

/**
 * The validator compiles the OpenAPI Initiative's schema of a version on first use (~240 ms of
 * CPU for 3.0 or 3.1, in every worker of every run). It keeps compiled validators in its
 * `ajvValidators` field; seeding that field with validators from validator-cache.ts, compiled
 * exactly as it compiles them (its schema file, ajv class by `$schema`, its options, ajv-formats
 * and a `media-range` format), lets a process load them instead. Its own flow (version detection,
 * the `$ref` check) is unchanged. Should a later version drop the field, it compiles as before.
 */
function withCachedMetaSchemas(v: Validator): Validator {
  const seeded = (v as unknown as { ajvValidators?: Record<string, unknown> }).ajvValidators;
  if (typeof seeded !== 'object' || seeded === null) return v;
  const pkg = require.resolve('@seriousme/openapi-schema-validator/package.json');
  const { version: libraryVersion } = require(pkg) as { version: string };
  const options = (v as unknown as { ajvOptions: Record<string, unknown> }).ajvOptions;
  for (const version of ['2.0', '3.0', '3.1', '3.2']) {
    let built: unknown;
    Object.defineProperty(seeded, version, {
      enumerable: true,
      configurable: true,
      get: () => {
        built ??= metaSchemaValidator(pkg, libraryVersion, version, options);
        return built;
      },
      set: (fn: unknown) => {
        built = fn;
      },
    });
  }
  return v;
}

function metaSchemaValidator(pkg: string, libraryVersion: string, version: string, options: Record<string, unknown>): unknown {
  const schema = JSON.parse(readFileSync(new URL(`schemas/v${version}/schema.json`, `file://${pkg}`), 'utf8')) as { $schema?: string };
  return cachedValidator(['@seriousme/openapi-schema-validator', libraryVersion, version, options, schema], () => {
    const draft04 = schema.$schema === 'http://json-schema.org/draft-04/schema#';
    const AjvClass = (draft04 ? require('ajv-draft-04') : require('ajv/dist/2020.js')) as { default: new (o: object) => Ajv };
    const ajv = new AjvClass.default(options);
    const addFormats = require('ajv-formats') as { default: (a: Ajv) => Ajv };
    addFormats.default(ajv);
    ajv.addFormat('media-range', true);
    return { ajv, validate: ajv.compile(schema) };
  });
}
