/**
 * Validates a document against the OpenAPI Initiative's JSON Schemas for its version, with
 * @seriousme/openapi-schema-validator (OpenAPI 2.0, 3.0, 3.1, 3.2; also checks that every
 * `$ref` resolves). Chosen because it keeps ajv's errors (instancePath = the JSON pointer of
 * the fault in the document), works purely in memory (never fetches a `$ref`), runs on
 * Node 20 and brings only ajv, ajv-formats, ajv-draft-04 and yaml, which the harness already
 * uses. It is asynchronous, so the probe validates and the check reads the result.
 */
import { Validator } from '@seriousme/openapi-schema-validator';

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
  validator ??= new Validator();
  // It is given an object, never a string: a string would be read as a file name.
  const result = await validator.validate(structuredClone(doc));
  const version = validator.version;
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
