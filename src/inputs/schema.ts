/**
 * The view of an OpenAPI Schema Object that generation reads: local `$ref`s resolved against
 * the whole document, `allOf` merged (simple cases), OpenAPI 3.0's `nullable` and boolean
 * `exclusiveMinimum/Maximum` read as 3.1 / JSON Schema 2020-12 spells them, `type` always a
 * list. Pure; imports nothing of ours so it can move with the rest of `src/inputs`.
 */
import { fullFormats } from 'ajv-formats/dist/formats.js';

export type Obj = Record<string, unknown>;
export type Dialect = '3.0' | '3.1';
export type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

export interface SchemaContext {
  /** The whole OpenAPI document, for `#/...` refs. */
  readonly root: unknown;
  readonly dialect: Dialect;
}

/** A schema as generation reads it. `types` undefined means any JSON value. */
export interface Schema {
  readonly types?: readonly JsonType[];
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly multipleOf?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly patterns: readonly string[];
  readonly format?: string;
  readonly items?: unknown;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly required: readonly string[];
  /** false, a schema, or undefined (allowed, nothing generated for it). */
  readonly additionalProperties?: unknown;
  /** oneOf/anyOf branches, siblings already merged into each. */
  readonly alternatives?: readonly unknown[];
  /** The schema could not be read (unresolvable ref, contradictory allOf). */
  readonly unsatisfiable?: string;
}

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function dialectOf(doc: unknown): Dialect {
  return isObj(doc) && typeof doc.openapi === 'string' && doc.openapi.startsWith('3.0') ? '3.0' : '3.1';
}

/** The value at a local ref (`#/components/schemas/X`), or undefined. */
export function resolveRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObj(node)) node = node[key];
    else return undefined;
  }
  return node;
}

/** Follows `$ref` chains; for 3.1 the siblings of a `$ref` apply too (returned as allOf). */
export function deref(schema: unknown, ctx: SchemaContext, depth = 0): unknown {
  if (!isObj(schema) || typeof schema.$ref !== 'string' || depth > 32) return schema;
  const target = deref(resolveRef(ctx.root, schema.$ref), ctx, depth + 1);
  const { $ref: _ref, ...siblings } = schema;
  if (ctx.dialect === '3.0') {
    // 3.0 ignores a $ref's siblings; `nullable` beside it is honoured since tools widely do.
    return schema.nullable === true ? { anyOf: [target, { type: 'null' }] } : target;
  }
  const meaningful = Object.keys(siblings).filter(
    (k) => !['description', 'summary', 'title', 'example', 'examples', '$comment'].includes(k),
  );
  return meaningful.length ? { allOf: [target, siblings] } : target;
}

const TYPES: readonly JsonType[] = ['null', 'boolean', 'integer', 'number', 'string', 'array', 'object'];

function declaredTypes(s: Obj, dialect: Dialect): JsonType[] | undefined {
  let types: JsonType[] | undefined;
  if (typeof s.type === 'string') types = [s.type as JsonType];
  else if (Array.isArray(s.type)) types = s.type.filter((t): t is JsonType => TYPES.includes(t as JsonType));
  else if (isObj(s.properties) || Array.isArray(s.required) || s.additionalProperties !== undefined) types = ['object'];
  else if (s.items !== undefined || s.prefixItems !== undefined) types = ['array'];
  else if (s.minLength !== undefined || s.maxLength !== undefined || s.pattern !== undefined) types = ['string'];
  else if (['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'].some((k) => typeof s[k] === 'number'))
    types = ['number'];
  if (types && dialect === '3.0' && s.nullable === true && !types.includes('null')) types = [...types, 'null'];
  return types;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** One schema object (no allOf) read into a Schema. */
function readOne(s: Obj, dialect: Dialect): Schema {
  let exclusiveMinimum = num(s.exclusiveMinimum);
  let exclusiveMaximum = num(s.exclusiveMaximum);
  let minimum = num(s.minimum);
  let maximum = num(s.maximum);
  if (s.exclusiveMinimum === true && minimum !== undefined) [exclusiveMinimum, minimum] = [minimum, undefined];
  if (s.exclusiveMaximum === true && maximum !== undefined) [exclusiveMaximum, maximum] = [maximum, undefined];
  let enumValues: unknown[] | undefined = Array.isArray(s.enum) ? [...s.enum] : undefined;
  if (s.const !== undefined) enumValues = [s.const];
  const types = declaredTypes(s, dialect);
  if (enumValues && dialect === '3.0' && s.nullable === true && !enumValues.includes(null)) enumValues.push(null);
  const out: { -readonly [K in keyof Schema]: Schema[K] } = {
    patterns: typeof s.pattern === 'string' ? [s.pattern] : [],
    properties: isObj(s.properties) ? s.properties : {},
    required: Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : [],
  };
  if (types) out.types = types;
  if (enumValues) out.enum = enumValues;
  if (minimum !== undefined) out.minimum = minimum;
  if (maximum !== undefined) out.maximum = maximum;
  if (exclusiveMinimum !== undefined) out.exclusiveMinimum = exclusiveMinimum;
  if (exclusiveMaximum !== undefined) out.exclusiveMaximum = exclusiveMaximum;
  if (num(s.multipleOf) !== undefined && (s.multipleOf as number) > 0) out.multipleOf = s.multipleOf as number;
  if (num(s.minLength) !== undefined) out.minLength = s.minLength as number;
  if (num(s.maxLength) !== undefined) out.maxLength = s.maxLength as number;
  if (typeof s.format === 'string') out.format = s.format;
  if (s.items !== undefined && !Array.isArray(s.items)) out.items = s.items;
  if (num(s.minItems) !== undefined) out.minItems = s.minItems as number;
  if (num(s.maxItems) !== undefined) out.maxItems = s.maxItems as number;
  if (s.uniqueItems === true) out.uniqueItems = true;
  if (s.additionalProperties === false || isObj(s.additionalProperties)) out.additionalProperties = s.additionalProperties;
  return out;
}

const pickMax = (a?: number, b?: number): number | undefined => (a === undefined ? b : b === undefined ? a : Math.max(a, b));
const pickMin = (a?: number, b?: number): number | undefined => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

function intersectTypes(a?: readonly JsonType[], b?: readonly JsonType[]): readonly JsonType[] | undefined {
  if (!a) return b;
  if (!b) return a;
  const out = new Set<JsonType>();
  for (const t of a) {
    if (b.includes(t)) out.add(t);
    else if (t === 'integer' && b.includes('number')) out.add('integer');
    else if (t === 'number' && b.includes('integer')) out.add('integer');
  }
  return [...out];
}

/** allOf of two read schemas, for the cases generation can honour. */
function merge(a: Schema, b: Schema): Schema {
  const properties: Record<string, unknown> = { ...a.properties };
  for (const [k, v] of Object.entries(b.properties)) properties[k] = k in properties ? { allOf: [properties[k], v] } : v;
  const out: { -readonly [K in keyof Schema]: Schema[K] } = {
    patterns: [...a.patterns, ...b.patterns],
    properties,
    required: [...new Set([...a.required, ...b.required])],
  };
  const types = intersectTypes(a.types, b.types);
  if (types) out.types = types;
  if (types && types.length === 0) out.unsatisfiable = 'allOf branches share no type';
  if (a.enum && b.enum) out.enum = a.enum.filter((v) => b.enum!.some((w) => JSON.stringify(w) === JSON.stringify(v)));
  else if (a.enum || b.enum) out.enum = a.enum ?? b.enum;
  const set = <K extends keyof Schema>(k: K, v: Schema[K] | undefined): void => {
    if (v !== undefined) out[k] = v;
  };
  set('minimum', pickMax(a.minimum, b.minimum));
  set('maximum', pickMin(a.maximum, b.maximum));
  set('exclusiveMinimum', pickMax(a.exclusiveMinimum, b.exclusiveMinimum));
  set('exclusiveMaximum', pickMin(a.exclusiveMaximum, b.exclusiveMaximum));
  set('minLength', pickMax(a.minLength, b.minLength));
  set('maxLength', pickMin(a.maxLength, b.maxLength));
  set('minItems', pickMax(a.minItems, b.minItems));
  set('maxItems', pickMin(a.maxItems, b.maxItems));
  set(
    'multipleOf',
    a.multipleOf !== undefined && b.multipleOf !== undefined && a.multipleOf !== b.multipleOf ? undefined : (a.multipleOf ?? b.multipleOf),
  );
  if (a.multipleOf !== undefined && b.multipleOf !== undefined && a.multipleOf !== b.multipleOf)
    out.unsatisfiable = 'two different multipleOf';
  set('format', a.format ?? b.format);
  set('items', a.items !== undefined && b.items !== undefined ? { allOf: [a.items, b.items] } : (a.items ?? b.items));
  set('uniqueItems', a.uniqueItems || b.uniqueItems || undefined);
  set(
    'additionalProperties',
    a.additionalProperties === false || b.additionalProperties === false ? false : (a.additionalProperties ?? b.additionalProperties),
  );
  set('alternatives', a.alternatives ?? b.alternatives);
  set('unsatisfiable', out.unsatisfiable ?? a.unsatisfiable ?? b.unsatisfiable);
  return out;
}

/** A schema (possibly a `$ref`, `allOf`, `oneOf`) read for generation. */
export function readSchema(raw: unknown, ctx: SchemaContext, depth = 0): Schema {
  const s = deref(raw, ctx);
  if (s === true || s === undefined || (isObj(s) && Object.keys(s).length === 0)) return { patterns: [], properties: {}, required: [] };
  if (s === false) return { patterns: [], properties: {}, required: [], unsatisfiable: 'schema false' };
  if (!isObj(s)) return { patterns: [], properties: {}, required: [], unsatisfiable: 'not a schema' };
  if (depth > 16) return { patterns: [], properties: {}, required: [], unsatisfiable: 'allOf nested too deep' };
  const { allOf, oneOf, anyOf, ...rest } = s;
  let out = readOne(rest, ctx.dialect);
  if (Array.isArray(allOf)) for (const part of allOf) out = merge(out, readSchema(part, ctx, depth + 1));
  const branches = Array.isArray(oneOf) ? oneOf : Array.isArray(anyOf) ? anyOf : undefined;
  if (branches?.length) {
    const siblings = { ...rest };
    const hasSiblings = Object.keys(siblings).some(
      (k) => !['description', 'title', 'example', 'examples', 'discriminator', 'nullable'].includes(k),
    );
    const alternatives: unknown[] = branches.map((b) => (hasSiblings || allOf ? { allOf: [{ ...rest, allOf }, b] } : b));
    if (ctx.dialect === '3.0' && s.nullable === true) alternatives.push({ type: 'null' });
    return { patterns: [], properties: {}, required: [], alternatives };
  }
  return out;
}

/** Whether ajv-formats (full mode) accepts `value` for `format`; unknown formats accept all. */
export function formatAccepts(format: string, value: unknown): boolean {
  const f = (fullFormats as Record<string, unknown>)[format];
  if (f === undefined || f === true) return true;
  const type = isObj(f) && typeof f.type === 'string' ? f.type : 'string';
  if (typeof value !== 'string' && type === 'string') return true;
  if (type === 'number' && typeof value !== 'number') return true;
  const check = isObj(f) && !(f instanceof RegExp) ? f.validate : f;
  if (check instanceof RegExp) return check.test(String(value));
  if (typeof check === 'function') return Boolean((check as (v: unknown) => boolean)(value));
  return true;
}

/** The JSON type of a value, integers told apart. */
export function jsonTypeOf(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v as JsonType;
}

export function typeAllows(types: readonly JsonType[] | undefined, t: JsonType): boolean {
  if (!types) return true;
  return types.includes(t) || (t === 'integer' && types.includes('number'));
}

/** String length as JSON Schema counts it: code points. */
export const codePoints = (s: string): number => [...s].length;

/** A pattern as ajv runs it (`unicodeRegExp` falls back to non-unicode when the pattern needs it). */
export function patternRegExp(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return new RegExp(pattern);
  }
}
