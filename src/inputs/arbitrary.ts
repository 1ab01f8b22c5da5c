/**
 * fast-check arbitraries of values VALID against an OpenAPI schema (3.0 or 3.1), for the
 * `inputs.*` rules (SPEC §8). Generation leans on the documented edges (minimum, maximum,
 * minLength, maxLength) because services break there: fast-check's own bias already favours
 * the ends of a range, and lengths use `size: 'max'` so a documented maxLength is reached.
 * Strings mix ASCII with non-ASCII and astral-plane characters; lengths are code points.
 * Everything stays shrinkable, so a failure found at an edge is reported at its smallest.
 */
import fc from 'fast-check';
import { codePoints, formatAccepts, isObj, patternRegExp, readSchema, type JsonType, type Schema, type SchemaContext } from './schema.ts';

export interface ArbitraryOptions {
  /** How deep nested objects/arrays go before only required parts are generated. */
  readonly maxDepth?: number;
  /** Length used when a string has no maxLength (fast-check's `size` still applies). */
  readonly defaultMaxLength?: number;
  /** Filters values, e.g. with the document's validator, where generation alone cannot be sure (oneOf overlap). */
  readonly accepts?: (value: unknown) => boolean;
}

/** Characters that break naive services: accents, CJK, RTL, emoji and other astral-plane ones. */
const SPECIAL_CHARS = ['é', 'ñ', 'ß', 'Ω', 'ж', '中', '文', 'ا', '😀', '𝄞', '🏳', '\u00a0', "'", '"', '\\', '<', '%'];

/** The inverse of String.fromCodePoint for one code point, so strings shrink without fast-check's context. */
function toCodePoint(v: unknown): number {
  if (typeof v !== 'string' || [...v].length !== 1) throw new Error('not one code point');
  return v.codePointAt(0)!;
}

/** One code point per unit, so fast-check's lengths are JSON Schema's lengths. */
const unit: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCodePoint(c), toCodePoint) },
  { weight: 2, arbitrary: fc.constantFrom(...SPECIAL_CHARS) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 0xa0, max: 0x10ffff })
      .filter((c) => c < 0xd800 || c > 0xdfff)
      .map((c) => String.fromCodePoint(c), toCodePoint),
  },
);

/** A fast-check Arbitrary of values valid against `schema` (a `$ref` resolved against `ctx.root`). */
export function arbitraryFor(schema: unknown, ctx: SchemaContext, options: ArbitraryOptions = {}): fc.Arbitrary<unknown> {
  const arb = build(schema, ctx, options, 0);
  return options.accepts ? feasible(arb, options.accepts, 'the validator') : arb;
}

/**
 * `arb.filter(keep)`, or UnsatisfiableSchema when `keep` rejects every one of 100 values
 * sampled beforehand: fast-check's filter retries forever, and a pattern that cannot meet its
 * length (or a validator that accepts nothing generated) must skip an operation, not hang the run.
 */
export function feasible<T>(arb: fc.Arbitrary<T>, keep: (v: T) => boolean, what: string): fc.Arbitrary<T> {
  // Ten first: nearly every schema has a fitting value among them, and sampling a request's
  // whole arbitrary a hundred times was most of what generating inputs cost.
  const fits = (n: number): boolean => fc.sample(arb, { seed: 0, numRuns: n }).some(keep);
  if (!fits(10) && !fits(100)) throw new UnsatisfiableSchema(`${what}: none of 100 generated values fits`);
  return arb.filter(keep);
}

function build(raw: unknown, ctx: SchemaContext, o: ArbitraryOptions, depth: number): fc.Arbitrary<unknown> {
  const s = readSchema(raw, ctx);
  if (s.unsatisfiable) throw new UnsatisfiableSchema(s.unsatisfiable);
  if (s.alternatives) {
    const branches = s.alternatives.flatMap((b) => {
      try {
        return [build(b, ctx, o, depth + 1)];
      } catch (e) {
        if (e instanceof UnsatisfiableSchema) return [];
        throw e;
      }
    });
    if (!branches.length) throw new UnsatisfiableSchema('no oneOf/anyOf branch can be generated');
    return fc.oneof(...branches);
  }
  if (s.enum) {
    const allowed = s.enum.filter((v) => !s.types || typesAccept(s.types, v));
    if (!allowed.length) throw new UnsatisfiableSchema('no enum value has the declared type');
    return fc.constantFrom(...allowed);
  }
  const types = s.types ?? (['string', 'integer', 'boolean', 'null'] as JsonType[]);
  // null is one value; the other types get most of the runs.
  const arbs = types.map((t) => ({ arbitrary: forType(t, s, ctx, o, depth), weight: t === 'null' ? 1 : 4 }));
  return arbs.length === 1 ? arbs[0]!.arbitrary : fc.oneof(...arbs);
}

export class UnsatisfiableSchema extends Error {}

function typesAccept(types: readonly JsonType[], v: unknown): boolean {
  if (v === null) return types.includes('null');
  if (Array.isArray(v)) return types.includes('array');
  if (typeof v === 'number') return types.includes('number') || (Number.isInteger(v) && types.includes('integer'));
  if (typeof v === 'object') return types.includes('object');
  return types.includes(typeof v as JsonType);
}

function forType(t: JsonType, s: Schema, ctx: SchemaContext, o: ArbitraryOptions, depth: number): fc.Arbitrary<unknown> {
  switch (t) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return integerArb(s);
    case 'number':
      return numberArb(s);
    case 'string':
      return stringArb(s, o);
    case 'array':
      return arrayArb(s, ctx, o, depth);
    case 'object':
      return objectArb(s, ctx, o, depth);
  }
}

/** Inclusive integer bounds of a schema. */
export function integerBounds(s: Schema): { min: number; max: number } {
  const int32 = s.format === 'int32';
  let min = int32 ? -(2 ** 31) : s.format === 'int64' ? Number.MIN_SAFE_INTEGER : -(2 ** 31);
  let max = int32 ? 2 ** 31 - 1 : s.format === 'int64' ? Number.MAX_SAFE_INTEGER : 2 ** 31 - 1;
  if (s.minimum !== undefined) min = Math.max(min, Math.ceil(s.minimum));
  if (s.exclusiveMinimum !== undefined) min = Math.max(min, Math.floor(s.exclusiveMinimum) + 1);
  if (s.maximum !== undefined) max = Math.min(max, Math.floor(s.maximum));
  if (s.exclusiveMaximum !== undefined) max = Math.min(max, Math.ceil(s.exclusiveMaximum) - 1);
  return { min, max };
}

function integerArb(s: Schema): fc.Arbitrary<number> {
  const { min, max } = integerBounds(s);
  if (min > max) throw new UnsatisfiableSchema(`no integer in [${min}, ${max}]`);
  const m = s.multipleOf;
  if (m !== undefined) {
    const lo = Math.ceil(min / m);
    const hi = Math.floor(max / m);
    if (lo > hi) throw new UnsatisfiableSchema(`no multiple of ${m} in [${min}, ${max}]`);
    return feasible(
      edgeBiased(lo, hi).map((k) => k * m),
      Number.isInteger,
      `multipleOf ${m}`,
    );
  }
  return edgeBiased(min, max);
}

/**
 * Integers in [min, max] that hit both ends exactly and early: a failure at a documented
 * maximum is found in a few runs. The edge values are plain fast-check integers, so they
 * shrink like any other (toward min or 0): "n ≥ X fails" still ends at X.
 */
function edgeBiased(min: number, max: number): fc.Arbitrary<number> {
  return new EdgeFirst(fc.integer({ min, max }), fc.constant(max), fc.constant(min));
}

/**
 * `inner`, except that one value in five comes from `high` and one in ten from `low` (the
 * documented edges). A request varies several fields at once, so each needs a high rate for
 * an edge to show within `inputs.examples`. Edge values shrink as `inner` would shrink them.
 */
class EdgeFirst<T> extends fc.Arbitrary<T> {
  constructor(
    private readonly inner: fc.Arbitrary<T>,
    private readonly high: fc.Arbitrary<T>,
    private readonly low: fc.Arbitrary<T>,
  ) {
    super();
  }
  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<T> {
    const roll = mrng.nextInt(0, 19);
    if (roll < 4) return new fc.Value(this.high.generate(mrng, biasFactor).value, undefined);
    if (roll < 6) return new fc.Value(this.low.generate(mrng, biasFactor).value, undefined);
    return this.inner.generate(mrng, biasFactor);
  }
  canShrinkWithoutContext(value: unknown): value is T {
    return this.inner.canShrinkWithoutContext(value);
  }
  shrink(value: T, context: unknown): fc.Stream<fc.Value<T>> {
    if (context === undefined && !this.inner.canShrinkWithoutContext(value)) return fc.Stream.nil();
    return this.inner.shrink(value, context);
  }
}

function numberArb(s: Schema): fc.Arbitrary<number> {
  const m = s.multipleOf;
  if (m !== undefined) {
    const lowest = s.exclusiveMinimum !== undefined ? pickMaxDefined(s.minimum, s.exclusiveMinimum) : s.minimum;
    const highest = s.exclusiveMaximum !== undefined ? pickMinDefined(s.maximum, s.exclusiveMaximum) : s.maximum;
    const lo = lowest === undefined ? -1e6 : Math.ceil(lowest / m);
    const hi = highest === undefined ? 1e6 : Math.floor(highest / m);
    if (lo > hi) throw new UnsatisfiableSchema(`no multiple of ${m} in range`);
    const multiples = edgeBiased(lo, hi).map((k) => Number((k * m).toPrecision(15)));
    return feasible(multiples, (v) => inNumberRange(s, v) && isMultiple(v, m), `multipleOf ${m}`);
  }
  const constraints: fc.DoubleConstraints = { noNaN: true, noDefaultInfinity: true };
  const min = pickMaxDefined(s.minimum, s.exclusiveMinimum);
  const max = pickMinDefined(s.maximum, s.exclusiveMaximum);
  if (min !== undefined) {
    constraints.min = min;
    constraints.minExcluded =
      s.exclusiveMinimum !== undefined && min === s.exclusiveMinimum && !(s.minimum !== undefined && s.minimum > s.exclusiveMinimum);
  }
  if (max !== undefined) {
    constraints.max = max;
    constraints.maxExcluded =
      s.exclusiveMaximum !== undefined && max === s.exclusiveMaximum && !(s.maximum !== undefined && s.maximum < s.exclusiveMaximum);
  }
  // Whole numbers first: they read well in a finding and are what most services expect.
  const whole = fc.integer({ min: Math.ceil(min ?? -1e9), max: Math.floor(max ?? 1e9) }).filter((v) => inNumberRange(s, v));
  const doubles = fc
    .double(constraints)
    .map((v) => (Object.is(v, -0) ? 0 : v))
    .filter((v) => inNumberRange(s, v));
  const inner =
    Math.ceil(min ?? -1e9) <= Math.floor(max ?? 1e9)
      ? fc.oneof({ weight: 3, arbitrary: whole }, { weight: 1, arbitrary: doubles })
      : doubles;
  // The edges: the bound itself when inclusive, else the nearest whole number inside.
  const high = max === undefined ? undefined : constraints.maxExcluded ? Math.ceil(max) - 1 : max;
  const low = min === undefined ? undefined : constraints.minExcluded ? Math.floor(min) + 1 : min;
  if (high === undefined || low === undefined || !inNumberRange(s, high) || !inNumberRange(s, low)) return inner;
  return new EdgeFirst(inner, fc.constant(high), fc.constant(low));
}

const pickMaxDefined = (a?: number, b?: number): number | undefined => (a === undefined ? b : b === undefined ? a : Math.max(a, b));
const pickMinDefined = (a?: number, b?: number): number | undefined => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

/** ajv's multipleOf reading: the quotient is an integer. */
export const isMultiple = (v: number, m: number): boolean => Number.isInteger(v / m);

function inNumberRange(s: Schema, v: number): boolean {
  return (
    (s.minimum === undefined || v >= s.minimum) &&
    (s.maximum === undefined || v <= s.maximum) &&
    (s.exclusiveMinimum === undefined || v > s.exclusiveMinimum) &&
    (s.exclusiveMaximum === undefined || v < s.exclusiveMaximum)
  );
}

function lengthOk(s: Schema, v: string): boolean {
  const n = codePoints(v);
  return (s.minLength === undefined || n >= s.minLength) && (s.maxLength === undefined || n <= s.maxLength);
}

function stringArb(s: Schema, o: ArbitraryOptions): fc.Arbitrary<string> {
  const minLength = s.minLength ?? 0;
  const maxLength = s.maxLength ?? Math.max(minLength, o.defaultMaxLength ?? 64);
  if (minLength > maxLength) throw new UnsatisfiableSchema(`minLength ${minLength} > maxLength ${maxLength}`);
  const regexps = s.patterns.map(patternRegExp);
  const matches = (v: string): boolean => regexps.every((r) => r.test(v)) && (!s.format || formatAccepts(s.format, v));
  const fromFormat = s.format ? formatArb(s.format) : undefined;
  if (fromFormat) return feasible(fromFormat, (v) => lengthOk(s, v) && matches(v), `format ${s.format} with its length and pattern`);
  if (regexps.length) {
    const [first] = s.patterns;
    const pattern = fc.stringMatching(patternRegExp(first!));
    return feasible(pattern, (v) => lengthOk(s, v) && matches(v), `pattern ${first} with its length`);
  }
  // Short strings (fast-check's usual size), the whole documented range, and exactly
  // maxLength / minLength code points as edges.
  const small = fc.string({ unit, minLength, maxLength });
  if (s.maxLength === undefined && s.minLength === undefined) return small;
  const whole = fc.string({ unit, minLength, maxLength, size: 'max' });
  const exactly = (n: number): fc.Arbitrary<string> => fc.string({ unit, minLength: n, maxLength: n });
  return new EdgeFirst(fc.oneof(small, whole), exactly(maxLength), exactly(minLength));
}

const date = (): fc.Arbitrary<Date> =>
  fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true });

/** How to build a generator of values ajv-formats (full mode) accepts, per format. */
const FORMAT_ARBITRARIES: Readonly<Record<string, () => fc.Arbitrary<string>>> = {
  uuid: () => fc.uuid(),
  'date-time': () => date().map((d) => d.toISOString()),
  'iso-date-time': () => date().map((d) => d.toISOString()),
  date: () => date().map((d) => d.toISOString().slice(0, 10)),
  time: () => date().map((d) => `${d.toISOString().slice(11, 19)}Z`),
  'iso-time': () => date().map((d) => d.toISOString().slice(11, 19)),
  duration: () => fc.tuple(fc.nat(30), fc.nat(23)).map(([d, h]) => `P${d}DT${h}H`),
  // Mostly plain addresses: many services validate email more strictly than RFC 5322 allows.
  email: () =>
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc.tuple(fc.stringMatching(/^[a-z0-9]([a-z0-9._+-]{0,15}[a-z0-9])?$/), fc.domain()).map(([l, d]) => `${l}@${d}`),
      },
      { weight: 1, arbitrary: fc.emailAddress() },
    ),
  hostname: () => fc.domain(),
  ipv4: () => fc.ipV4(),
  ipv6: () => fc.ipV6(),
  uri: () => fc.webUrl(),
  url: () => fc.webUrl(),
  'uri-reference': () => fc.oneof(fc.webUrl(), fc.webPath()),
  iri: () => fc.webUrl(),
  'iri-reference': () => fc.webUrl(),
  'uri-template': () => fc.constantFrom('/items/{id}', 'https://example.com/{a}{?b,c}'),
  'json-pointer': () => fc.array(fc.stringMatching(/^[a-z0-9_]{1,8}$/), { maxLength: 4 }).map((p) => p.map((x) => `/${x}`).join('')),
  'relative-json-pointer': () => fc.tuple(fc.nat(5), fc.constantFrom('', '#', '/a', '/a/0')).map(([n, r]) => `${n}${r}`),
  'json-pointer-uri-fragment': () => fc.constantFrom('#', '#/a', '#/a/0'),
  regex: () => fc.constantFrom('^a+$', '[0-9]{2}', '.*'),
  byte: () => fc.base64String(),
  int32: () => fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map(String),
  int64: () => fc.maxSafeInteger().map(String),
};

/**
 * Built once per format and process: arbitraries are immutable, and building some (fc.domain,
 * fc.webUrl, fc.emailAddress) costs more than the values drawn from them (it was ~1 s of CPU per
 * target when every string schema with a format built the whole table).
 */
const builtFormats = new Map<string, fc.Arbitrary<string>>();

/** Values ajv-formats (full mode) accepts; unknown formats fall back to plain strings. */
function formatArb(format: string): fc.Arbitrary<string> | undefined {
  let arb = builtFormats.get(format);
  if (!arb) {
    const build = Object.hasOwn(FORMAT_ARBITRARIES, format) ? FORMAT_ARBITRARIES[format] : undefined;
    if (!build) return undefined;
    arb = build().filter((v) => formatAccepts(format, v));
    builtFormats.set(format, arb);
  }
  return arb;
}

/** Deterministic JSON text with sorted keys, so uniqueItems compares values as ajv does. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (isObj(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

function arrayArb(s: Schema, ctx: SchemaContext, o: ArbitraryOptions, depth: number): fc.Arbitrary<unknown[]> {
  const minLength = s.minItems ?? 0;
  const deep = depth >= (o.maxDepth ?? 4);
  const maxLength = deep ? minLength : Math.min(s.maxItems ?? minLength + 5, minLength + 20);
  if (minLength > maxLength) throw new UnsatisfiableSchema(`minItems ${minLength} > maxItems ${s.maxItems}`);
  const items = build(s.items ?? {}, ctx, o, depth + 1);
  return s.uniqueItems ? fc.uniqueArray(items, { minLength, maxLength, selector: stableJson }) : fc.array(items, { minLength, maxLength });
}

const ABSENT: unique symbol = Symbol('absent');

/**
 * Records whose optional keys are present three times in four (so their edges get tried) and
 * shrink to absent, so a finding keeps only the keys that matter.
 */
export function optionalRecord(
  model: Record<string, fc.Arbitrary<unknown>>,
  required: readonly string[],
): fc.Arbitrary<Record<string, unknown>> {
  const withOptional: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, arb] of Object.entries(model))
    withOptional[name] = required.includes(name) ? arb : fc.option(arb, { nil: ABSENT, freq: 4 });
  return fc.record(withOptional).map(dropAbsent);
}

function dropAbsent(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== ABSENT) out[k] = v;
  return out;
}

function objectArb(s: Schema, ctx: SchemaContext, o: ArbitraryOptions, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const deep = depth >= (o.maxDepth ?? 4);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, propSchema] of Object.entries(s.properties)) {
    const required = s.required.includes(name);
    if (deep && !required) continue;
    try {
      model[name] = build(propSchema, ctx, o, depth + 1);
    } catch (e) {
      if (!(e instanceof UnsatisfiableSchema) || required) throw e;
    }
  }
  // A required property not described: any simple value is valid there.
  for (const name of s.required) model[name] ??= build(isObj(s.additionalProperties) ? s.additionalProperties : {}, ctx, o, depth + 1);
  const record = optionalRecord(model, s.required);
  if (!isObj(s.additionalProperties) || deep) return record;
  const extra = fc.dictionary(
    fc.stringMatching(/^x_[a-z]{1,8}$/).filter((k) => !(k in s.properties)),
    build(s.additionalProperties, ctx, o, depth + 1),
    { maxKeys: 3 },
  );
  return fc.tuple(record, extra).map(([r, e]) => ({ ...e, ...r }));
}
