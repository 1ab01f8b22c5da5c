/**
 * Request bodies built from a document: its own examples first (media `example`/`examples`,
 * then the schema's), else the smallest instance that satisfies the schema (required
 * properties only, lower bounds, first alternatives). Whatever is built is checked against
 * the schema before it is used.
 */
import { randomUUID } from 'node:crypto';
import { isObj, type Obj, type OpenApiModel } from './document.ts';

export interface BuiltBody {
  readonly body: Record<string, unknown>;
  /** Where it came from, for the discovery report. */
  readonly source: 'media example' | 'schema example' | 'property examples' | 'smallest valid instance';
}

/** A JSON object body for a request media object, valid against its schema; undefined when none can be made. */
export function buildBody(model: OpenApiModel, media: Obj, mediaPointer: string): BuiltBody | { problem: string } {
  const schemaPointer = model.resolvedPointer(media.schema, `${mediaPointer}/schema`);
  const schema = model.resolve(media.schema);
  const candidates: [BuiltBody['source'], unknown][] = [];
  if (media.example !== undefined) candidates.push(['media example', media.example]);
  if (isObj(media.examples)) {
    for (const ex of Object.values(media.examples)) {
      const resolved = model.resolve(ex);
      if (isObj(resolved) && resolved.value !== undefined) candidates.push(['media example', resolved.value]);
    }
  }
  if (isObj(schema)) {
    if (schema.example !== undefined) candidates.push(['schema example', schema.example]);
    if (Array.isArray(schema.examples)) for (const ex of schema.examples) candidates.push(['schema example', ex]);
    const fromProperties = propertyExamples(model, schema);
    if (fromProperties) candidates.push(['property examples', fromProperties]);
  }
  candidates.push(['smallest valid instance', sample(model, media.schema, 0)]);
  const reasons: string[] = [];
  for (const [source, value] of candidates) {
    if (!isObj(value)) {
      reasons.push(`${source} is not a JSON object`);
      continue;
    }
    const check = model.validate(schemaPointer, value);
    if (!check.ok) return { problem: `its schema does not compile: ${check.compileError}` };
    if (!check.errors.length) return { body: value, source };
    reasons.push(`${source} is not valid against its schema (${check.errors[0]!.instancePath || '$'} ${check.errors[0]!.message})`);
  }
  return { problem: reasons.join('; ') };
}

function propertyExamples(model: OpenApiModel, schema: Obj): Obj | undefined {
  const props = collectProperties(model, schema);
  const out: Obj = {};
  for (const [name, raw] of Object.entries(props.properties)) {
    const p = model.resolve(raw);
    if (!isObj(p)) continue;
    const ex = p.example !== undefined ? p.example : Array.isArray(p.examples) ? p.examples[0] : undefined;
    if (ex !== undefined) out[name] = ex;
    else if (props.required.includes(name)) return undefined;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Properties and required names of an object schema, through `allOf`. */
export function collectProperties(model: OpenApiModel, schema: unknown, depth = 0): { properties: Obj; required: string[] } {
  const s = model.resolve(schema);
  const out = { properties: {} as Obj, required: [] as string[] };
  if (!isObj(s) || depth > 8) return out;
  if (isObj(s.properties)) Object.assign(out.properties, s.properties);
  if (Array.isArray(s.required)) out.required.push(...s.required.filter((r): r is string => typeof r === 'string'));
  if (Array.isArray(s.allOf)) {
    for (const part of s.allOf) {
      const sub = collectProperties(model, part, depth + 1);
      Object.assign(out.properties, sub.properties);
      out.required.push(...sub.required);
    }
  }
  return out;
}

function typeOf(s: Obj): string | undefined {
  if (typeof s.type === 'string') return s.type;
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null') as string | undefined;
  if (s.properties || s.required || s.additionalProperties) return 'object';
  if (s.items) return 'array';
  return undefined;
}

/** The smallest instance of a schema (a best effort; the caller validates it). */
export function sample(model: OpenApiModel, schema: unknown, depth: number): unknown {
  const s = model.resolve(schema);
  if (!isObj(s) || depth > 12) return undefined;
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum.find((v) => v !== null) ?? s.enum[0];
  if (s.default !== undefined) return s.default;
  if (s.example !== undefined && depth > 0) return s.example;
  if (Array.isArray(s.examples) && s.examples.length && depth > 0) return s.examples[0];
  for (const key of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(s[key]) && s[key].length) {
      const alternatives = s[key] as unknown[];
      const nonNull = alternatives.find((a) => {
        const r = model.resolve(a);
        return !(isObj(r) && r.type === 'null');
      });
      return sample(model, nonNull ?? alternatives[0], depth + 1);
    }
  }
  switch (typeOf(s)) {
    case 'object': {
      const { properties, required } = collectProperties(model, s);
      const out: Obj = {};
      for (const name of required) out[name] = sample(model, properties[name] ?? {}, depth + 1) ?? 'x';
      return out;
    }
    case 'array': {
      const n = typeof s.minItems === 'number' ? s.minItems : 0;
      return Array.from({ length: n }, () => sample(model, s.items ?? {}, depth + 1));
    }
    case 'string':
      return sampleString(s);
    case 'integer':
    case 'number': {
      const multiple = typeof s.multipleOf === 'number' ? s.multipleOf : 1;
      if (typeof s.minimum === 'number') return Math.ceil(s.minimum / multiple) * multiple;
      if (typeof s.exclusiveMinimum === 'number') return (Math.floor(s.exclusiveMinimum / multiple) + 1) * multiple;
      if (typeof s.maximum === 'number' && s.maximum < 0) return Math.floor(s.maximum / multiple) * multiple;
      return 0;
    }
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return undefined;
  }
}

function sampleString(s: Obj): string {
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const byFormat: Record<string, string> = {
    uuid: randomUUID(),
    'date-time': new Date().toISOString(),
    date: new Date().toISOString().slice(0, 10),
    email: 'conformance@example.com',
    uri: 'https://example.com/conformance',
    url: 'https://example.com/conformance',
    hostname: 'example.com',
    ipv4: '192.0.2.1',
    ipv6: '2001:db8::1',
    time: '12:00:00Z',
  };
  const formatted = typeof s.format === 'string' ? byFormat[s.format] : undefined;
  if (formatted) return formatted;
  // A readable value that names its origin; padded to the minimum length.
  const base = 'conformance';
  const value = base.length >= Math.max(min, 1) ? base : base.padEnd(min, 'x');
  return typeof s.maxLength === 'number' ? value.slice(0, Math.max(s.maxLength, min)) : value;
}
