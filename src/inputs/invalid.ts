/**
 * Invalid inputs that break exactly one documented constraint (SPEC §8, `inputs.invalid-rejected`),
 * so a finding can say which constraint the service ignored. Each starts from a valid value
 * and changes one place in it.
 *
 * Type violations use values frameworks do not coerce (SPEC §8): an object or array where a
 * scalar is expected, a non-numeric string where a number is expected, a scalar where an
 * object or array is expected. Never "5" for an integer or 1 for a boolean: Pydantic and
 * others accept those, and accepting them is not a failure.
 */
import { integerBounds, isMultiple } from './arbitrary.ts';
import {
  codePoints,
  formatAccepts,
  isObj,
  patternRegExp,
  readSchema,
  typeAllows,
  jsonTypeOf,
  type Schema,
  type SchemaContext,
} from './schema.ts';

export type Constraint =
  | 'type'
  | 'required'
  | 'enum'
  | 'minimum'
  | 'maximum'
  | 'minLength'
  | 'maxLength'
  | 'pattern'
  | 'format'
  | 'additionalProperties'
  | 'malformed-json';

export interface Violation {
  readonly constraint: Constraint;
  /** JSON pointer of the broken place in the value ('' for the whole value). */
  readonly at: string;
  /** The whole value with one thing broken; undefined for malformed JSON (see rawBody). */
  readonly value: unknown;
  /** Body text that is not JSON (malformed-json only). */
  readonly rawBody?: string;
  readonly description: string;
}

export interface ViolationOptions {
  /**
   * 'param': the value travels as a path or query string, so a type can only be broken with
   * a non-numeric or non-boolean string. 'body' (default): JSON.
   */
  readonly location?: 'body' | 'param';
  /** Add a malformed-JSON body (bodies only). */
  readonly malformedJson?: boolean;
}

/** Formats whose validation ajv-formats does not enforce, or that accept any string. */
const UNJUDGED_FORMATS = new Set(['password', 'binary', 'regex', 'int32', 'int64', 'float', 'double']);

/** Single-constraint violations of `schema`, each a copy of `base` (a valid value) with one change. */
export function violations(schema: unknown, ctx: SchemaContext, base: unknown, options: ViolationOptions = {}): Violation[] {
  const out: Violation[] = [];
  walk(schema, ctx, base, '', (v) => v, options.location ?? 'body', out, 0);
  if (options.malformedJson) {
    const text = JSON.stringify(base) ?? '{}';
    let raw = text.length > 1 ? text.slice(0, -1) : '{"';
    if (parses(raw)) raw = `${text},}`;
    if (parses(raw)) raw = '{"';
    out.push({ constraint: 'malformed-json', at: '', value: undefined, rawBody: raw, description: 'the body is cut short: not JSON' });
  }
  return out;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const escapePointer = (k: string): string => k.replace(/~/g, '~0').replace(/\//g, '~1');

type Put = (replacement: unknown) => unknown;
const REMOVE = Symbol('remove');

function walk(
  raw: unknown,
  ctx: SchemaContext,
  value: unknown,
  at: string,
  put: Put,
  location: 'body' | 'param',
  out: Violation[],
  depth: number,
): void {
  if (depth > 8) return;
  const s = readSchema(raw, ctx);
  // oneOf/anyOf: which branch a broken value misses is not one constraint; not judged here.
  if (s.unsatisfiable || s.alternatives) return;
  const add = (constraint: Constraint, replacement: unknown, description: string): void => {
    out.push({ constraint, at, value: put(replacement), description: `${at || 'the value'}: ${description}` });
  };
  typeViolation(s, location, add);
  if (s.enum) {
    const bad = outsideEnum(s);
    if (bad !== undefined) add('enum', bad, `${JSON.stringify(bad)} is not one of ${JSON.stringify(s.enum)}`);
    return;
  }
  const types = s.types ?? [];
  if (types.includes('integer') || types.includes('number')) numberViolations(s, add);
  if (types.includes('string')) stringViolations(s, typeof value === 'string' ? value : undefined, add);
  if (types.includes('object') && isObj(value)) {
    for (const key of s.required) {
      if (key in value) {
        out.push({
          constraint: 'required',
          at: `${at}/${escapePointer(key)}`,
          value: put(without(value, key)),
          description: `required property "${key}" is missing`,
        });
      }
    }
    if (s.additionalProperties === false) {
      let extra = 'unexpected_property';
      while (extra in s.properties) extra += '_';
      out.push({
        constraint: 'additionalProperties',
        at: `${at}/${extra}`,
        value: put({ ...value, [extra]: 'x' }),
        description: `"${extra}" is not a documented property and additionalProperties is false`,
      });
    }
    for (const [key, propSchema] of Object.entries(s.properties)) {
      const child = (replacement: unknown): unknown => {
        const copy: Record<string, unknown> = { ...value };
        if (replacement === REMOVE) delete copy[key];
        else copy[key] = replacement;
        return put(copy);
      };
      walk(propSchema, ctx, value[key], `${at}/${escapePointer(key)}`, child, 'body', out, depth + 1);
    }
  }
  if (types.includes('array') && Array.isArray(value) && value.length > 0 && s.items !== undefined && !s.uniqueItems) {
    const child = (replacement: unknown): unknown => put([replacement, ...value.slice(1)]);
    walk(s.items, ctx, value[0], `${at}/0`, child, 'body', out, depth + 1);
  }
}

function without(o: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...o };
  delete copy[key];
  return copy;
}

type Add = (constraint: Constraint, replacement: unknown, description: string) => void;

function typeViolation(s: Schema, location: 'body' | 'param', add: Add): void {
  const types = s.types;
  // Untyped: anything goes. An enum also rejects the wrong type, which would be two broken constraints.
  if (!types?.length || s.enum) return;
  const numeric = types.every((t) => t === 'integer' || t === 'number' || t === 'null');
  const candidates: unknown[] =
    location === 'param'
      ? numeric
        ? ['not-a-number']
        : types.every((t) => t === 'boolean' || t === 'null')
          ? ['not-a-boolean']
          : []
      : numeric
        ? ['not-a-number', { value: 1 }, [1]]
        : types.some((t) => t === 'object' || t === 'array')
          ? ['not-an-object', { value: 1 }, [1]]
          : [{ value: 'x' }, ['x']];
  for (const c of candidates) {
    if (location === 'param' || !typeAllows(types, jsonTypeOf(c))) {
      add('type', c, `${JSON.stringify(c)} where the document says ${types.join(' or ')}`);
      return;
    }
  }
}

function outsideEnum(s: Schema): unknown {
  const values = s.enum ?? [];
  const known = new Set(values.map((v) => JSON.stringify(v)));
  const sample = values.find((v) => v !== null);
  const candidates: unknown[] =
    typeof sample === 'number'
      ? [Math.max(...values.filter((v): v is number => typeof v === 'number')) + 1]
      : typeof sample === 'boolean'
        ? [!sample]
        : typeof sample === 'string'
          ? [`${sample}_not_in_enum`, 'not-in-enum']
          : ['not-in-enum'];
  return candidates.find((c) => !known.has(JSON.stringify(c)) && (!s.types || typeAllows(s.types, jsonTypeOf(c))));
}

function numberViolations(s: Schema, add: Add): void {
  const integerOnly = !s.types?.includes('number');
  const m = s.multipleOf;
  const ok = (v: number): boolean => Number.isFinite(v) && (!integerOnly || Number.isInteger(v)) && (m === undefined || isMultiple(v, m));
  const round = (v: number, dir: 'down' | 'up'): number => {
    let r = integerOnly ? (dir === 'down' ? Math.floor(v) : Math.ceil(v)) : v;
    if (m !== undefined) r = Number(((dir === 'down' ? Math.floor(r / m) : Math.ceil(r / m)) * m).toPrecision(15));
    return r;
  };
  const lowest =
    s.exclusiveMinimum !== undefined && (s.minimum === undefined || s.exclusiveMinimum >= s.minimum)
      ? { v: s.exclusiveMinimum, excl: true }
      : s.minimum !== undefined
        ? { v: s.minimum, excl: false }
        : undefined;
  const highest =
    s.exclusiveMaximum !== undefined && (s.maximum === undefined || s.exclusiveMaximum <= s.maximum)
      ? { v: s.exclusiveMaximum, excl: true }
      : s.maximum !== undefined
        ? { v: s.maximum, excl: false }
        : undefined;
  if (lowest) {
    // The nearest number past the bound that still is an integer / a multiple where documented.
    const first = integerOnly ? integerBounds(s).min : lowest.v;
    const v = round(lowest.excl && !integerOnly ? lowest.v : first - (m ?? 1), 'down');
    if (ok(v) && !withinLower(s, v) && withinUpper(s, v))
      add('minimum', v, `${v} is below the documented ${lowest.excl ? 'exclusive ' : ''}minimum ${lowest.v}`);
  }
  if (highest) {
    const last = integerOnly ? integerBounds(s).max : highest.v;
    const v = round(highest.excl && !integerOnly ? highest.v : last + (m ?? 1), 'up');
    if (ok(v) && !withinUpper(s, v) && withinLower(s, v))
      add('maximum', v, `${v} is above the documented ${highest.excl ? 'exclusive ' : ''}maximum ${highest.v}`);
  }
}

const withinUpper = (s: Schema, v: number): boolean =>
  (s.maximum === undefined || v <= s.maximum) && (s.exclusiveMaximum === undefined || v < s.exclusiveMaximum);
const withinLower = (s: Schema, v: number): boolean =>
  (s.minimum === undefined || v >= s.minimum) && (s.exclusiveMinimum === undefined || v > s.exclusiveMinimum);

function stringViolations(s: Schema, base: string | undefined, add: Add): void {
  const regexps = s.patterns.map(patternRegExp);
  const format = s.format && !UNJUDGED_FORMATS.has(s.format) ? s.format : undefined;
  const patternOk = (v: string): boolean => regexps.every((r) => r.test(v));
  const formatOk = (v: string): boolean => !format || formatAccepts(format, v);
  const lengthOk = (v: string): boolean =>
    (s.minLength === undefined || codePoints(v) >= s.minLength) && (s.maxLength === undefined || codePoints(v) <= s.maxLength);
  const seed = base ?? 'a'.repeat(s.minLength ?? 1);
  if (s.minLength !== undefined && s.minLength > 0) {
    const v = [...seed].slice(0, s.minLength - 1).join('');
    if (codePoints(v) === s.minLength - 1 && patternOk(v) && formatOk(v))
      add('minLength', v, `${codePoints(v)} characters, below minLength ${s.minLength}`);
  }
  if (s.maxLength !== undefined) {
    const chars = [...seed];
    for (const pad of [chars[chars.length - 1] ?? 'a', 'a', '0', 'é']) {
      const v = seed + pad.repeat(Math.max(0, s.maxLength + 1 - chars.length));
      if (codePoints(v) === s.maxLength + 1 && patternOk(v) && formatOk(v)) {
        add('maxLength', v, `${codePoints(v)} characters, above maxLength ${s.maxLength}`);
        break;
      }
    }
  }
  if (regexps.length) {
    const v = fit(['!', '~', ' ', '-', '0', 'a', 'Z', '😀', '_'], s, (c) => !patternOk(c) && formatOk(c) && lengthOk(c));
    if (v !== undefined) add('pattern', v, `${JSON.stringify(v)} does not match ${s.patterns.join(' and ')}`);
  }
  if (format) {
    const v = fit([`not-a-${format}`, '!', 'x', '0'], s, (c) => !formatOk(c) && patternOk(c) && lengthOk(c));
    if (v !== undefined) add('format', v, `${JSON.stringify(v)} is not a valid ${format}`);
  }
}

/** The first candidate, cut or padded to the documented length, that `good` accepts. */
function fit(candidates: string[], s: Schema, good: (v: string) => boolean): string | undefined {
  for (const c of candidates) {
    const cps = [...c];
    const min = s.minLength ?? 0;
    const max = s.maxLength ?? Infinity;
    let v = cps.slice(0, Math.max(min, Math.min(cps.length, max))).join('');
    if (codePoints(v) < min) v += (cps[0] ?? '!').repeat(min - codePoints(v));
    if (good(v)) return v;
  }
  return undefined;
}
