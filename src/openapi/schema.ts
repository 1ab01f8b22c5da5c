/**
 * Validates values against the schemas of an OpenAPI document with ajv, `$ref`s resolved by
 * ajv itself (the whole document is registered under one id, so a ref to any pointer works).
 * OpenAPI 3.1 schemas are JSON Schema 2020-12 (Ajv2020). OpenAPI 3.0 schemas are a dialect of
 * draft 4/5: they are translated first (`nullable`, boolean `exclusiveMinimum/Maximum`,
 * `$ref` siblings) and checked with draft-07 ajv. Each schema compiles once, on first use.
 *
 * `strict: false` on purpose: these schemas are the service's, not ours, and vendor keywords
 * (`x-…`, `example`, `discriminator`, `xml`) must not stop a response from being judged;
 * whether the document itself is valid is docs.openapi's business.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { toSchemaErrors, type SchemaError } from '../spec/schemas.ts';

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv,
) => Ajv;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export type SchemaCheck =
  | { readonly ok: true; readonly errors: readonly (SchemaError & { readonly schemaPath: string })[] }
  | { readonly ok: false; readonly compileError: string };

export class SchemaValidator {
  private readonly ajv: Ajv;
  private readonly id: string;
  private readonly compiled = new Map<string, ValidateFunction | string>();

  constructor(doc: Obj, version: string, key: string) {
    const options = { strict: false, allErrors: true, logger: false as const, validateSchema: false, unicodeRegExp: false };
    const is30 = version.startsWith('3.0');
    this.ajv = is30 ? new Ajv(options) : (new Ajv2020(options) as unknown as Ajv);
    addFormats(this.ajv);
    // OpenAPI formats ajv-formats lacks; annotations only.
    for (const f of ['media-range', 'uuid4', 'decimal', 'int8', 'int16', 'uint8', 'uint32', 'uint64']) this.ajv.addFormat(f, true);
    this.id = `https://openapi.conformance.invalid/${key}.json`;
    this.ajv.addSchema(is30 ? convert30Document(doc) : doc, this.id);
  }

  validate(pointer: string, value: unknown): SchemaCheck {
    let fn = this.compiled.get(pointer);
    if (fn === undefined) {
      try {
        fn = this.ajv.compile({ $ref: `${this.id}#${pointer.split('/').map(encodeURIComponent).join('/')}` });
      } catch (e) {
        fn = (e as Error).message;
      }
      this.compiled.set(pointer, fn);
    }
    if (typeof fn === 'string') return { ok: false, compileError: fn };
    if (fn(value)) return { ok: true, errors: [] };
    return {
      ok: true,
      errors: toSchemaErrors(fn.errors).map((err, i) => ({ ...err, schemaPath: fn.errors?.[i]?.schemaPath ?? '' })),
    };
  }
}

/** An OpenAPI 3.0 document with its Schema Objects translated to draft-07 JSON Schema. */
export function convert30Document(doc: Obj): Obj {
  const out = structuredClone(doc);
  const media = (content: unknown): void => {
    if (!isObj(content)) return;
    for (const m of Object.values(content)) if (isObj(m) && m.schema !== undefined) m.schema = convert30Schema(m.schema);
  };
  const withSchema = (holder: unknown): void => {
    if (!isObj(holder)) return;
    if (holder.schema !== undefined) holder.schema = convert30Schema(holder.schema);
    media(holder.content);
  };
  const response = (r: unknown): void => {
    if (!isObj(r)) return;
    media(r.content);
    if (isObj(r.headers)) Object.values(r.headers).forEach(withSchema);
  };
  const operation = (op: unknown): void => {
    if (!isObj(op)) return;
    if (Array.isArray(op.parameters)) op.parameters.forEach(withSchema);
    if (isObj(op.requestBody)) media(op.requestBody.content);
    if (isObj(op.responses)) Object.values(op.responses).forEach(response);
  };
  if (isObj(out.paths)) {
    for (const item of Object.values(out.paths)) {
      if (!isObj(item)) continue;
      if (Array.isArray(item.parameters)) item.parameters.forEach(withSchema);
      for (const [k, v] of Object.entries(item)) if (k !== 'parameters') operation(v);
    }
  }
  const c = out.components;
  if (isObj(c)) {
    if (isObj(c.schemas)) for (const k of Object.keys(c.schemas)) c.schemas[k] = convert30Schema(c.schemas[k]);
    if (isObj(c.responses)) Object.values(c.responses).forEach(response);
    if (isObj(c.parameters)) Object.values(c.parameters).forEach(withSchema);
    if (isObj(c.headers)) Object.values(c.headers).forEach(withSchema);
    if (isObj(c.requestBodies)) for (const b of Object.values(c.requestBodies)) if (isObj(b)) media(b.content);
  }
  return out;
}

/** One OpenAPI 3.0 Schema Object as draft-07 JSON Schema. */
export function convert30Schema(schema: unknown): unknown {
  if (!isObj(schema)) return schema;
  if (typeof schema.$ref === 'string') {
    // 3.0 ignores a $ref's siblings; `nullable` beside it is honoured since tools widely do.
    return schema.nullable === true ? { anyOf: [{ $ref: schema.$ref }, { type: 'null' }] } : { $ref: schema.$ref };
  }
  const s: Obj = { ...schema };
  for (const key of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(s[key])) s[key] = (s[key] as unknown[]).map(convert30Schema);
  for (const key of ['not', 'items', 'additionalProperties']) if (isObj(s[key])) s[key] = convert30Schema(s[key]);
  if (isObj(s.properties)) s.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, convert30Schema(v)]));
  for (const [bound, exclusive] of [
    ['minimum', 'exclusiveMinimum'],
    ['maximum', 'exclusiveMaximum'],
  ] as const) {
    if (typeof s[exclusive] === 'boolean') {
      if (s[exclusive] === true && typeof s[bound] === 'number') {
        s[exclusive] = s[bound];
        delete s[bound];
      } else delete s[exclusive];
    }
  }
  if (s.nullable === true) {
    delete s.nullable;
    if (typeof s.type === 'string') {
      s.type = [s.type, 'null'];
      if (Array.isArray(s.enum) && !s.enum.includes(null)) s.enum = [...s.enum, null];
      return s;
    }
    return { anyOf: [s, { type: 'null' }] };
  }
  delete s.nullable;
  return s;
}
