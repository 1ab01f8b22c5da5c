/**
 * Generated requests for the `inputs.*` rules (SPEC §6, §8): per documented operation, valid
 * cases from its path/query parameter and JSON request-body schemas, and invalid cases that
 * each break one documented constraint. Read-only (GET) unless `mutating` (SPEC §7), when
 * POST/PUT/PATCH bodies join; DELETE is never generated here (only items the harness created
 * are deleted). Deterministic: the same document, seed and sizes give the same cases.
 *
 * A valid case is reproduced with `fc.sample(requestArbitrary(doc, op, accepts), { seed, numRuns: index + 1 })[index]`.
 */
import fc from 'fast-check';
import { arbitraryFor, feasible, optionalRecord, UnsatisfiableSchema } from './arbitrary.ts';
import { violations, type Constraint } from './invalid.ts';
import { dialectOf, isObj, readSchema, resolveRef, type Obj, type SchemaContext } from './schema.ts';

export interface CaseOptions {
  readonly seed: number;
  /** Cases per operation, valid and invalid together (`inputs.examples`). */
  readonly examples: number;
  /** The target allows writes: POST/PUT/PATCH bodies are generated too. */
  readonly mutating: boolean;
  /**
   * The document's own validator (e.g. the harness's SchemaValidator): valid values it rejects
   * are dropped. Generation reads most keywords, but not all (`not`, `if`, overlapping `oneOf`
   * branches); with this hook a "valid" case is valid by the same judge as responses.
   */
  readonly accepts?: Accepts;
}

/** Whether `value` is valid against the schema at `schemaPointer` (a JSON pointer into the document). */
export type Accepts = (schemaPointer: string, value: unknown) => boolean;

export type Query = Readonly<Record<string, string | readonly string[]>>;

export interface InputCase {
  readonly operationId?: string;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** As documented, e.g. /v1/items/{item_id}. */
  readonly pathTemplate: string;
  /** Parameters filled in and percent-encoded. */
  readonly path: string;
  readonly query: Query;
  /** JSON body (sent as application/json). */
  readonly body?: unknown;
  /** Body text that is not JSON (malformed-json cases), sent as application/json. */
  readonly rawBody?: string;
  readonly kind: 'valid' | 'invalid';
  readonly constraint?: Constraint;
  /** Where the broken constraint is: /path/<name>, /query/<name> or /body/<pointer>. */
  readonly at?: string;
  readonly description?: string;
  /**
   * Valid against the document, but the harness cannot know the service has it (a made-up id
   * in the path, a made-up cursor): a documented 4xx here never counts against
   * `inputs.valid-accepted` (SPEC §8).
   */
  readonly unknowable?: boolean;
  /** Seed of this operation's generation (derived from the run's seed and the operation). */
  readonly seed: number;
  /** Position among this operation's cases. */
  readonly index: number;
}

export interface DocumentedOperation {
  readonly operationId?: string;
  readonly method: string;
  readonly pathTemplate: string;
  readonly pathParams: readonly Parameter[];
  readonly queryParams: readonly Parameter[];
  /** The application/json request body schema, when generated (mutating targets only). */
  readonly body?: { readonly schema: unknown; readonly schemaPointer: string; readonly required: boolean };
}

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query';
  readonly required: boolean;
  readonly schema: unknown;
  /** JSON pointer of the schema in the document. */
  readonly schemaPointer: string;
  readonly style?: string;
  readonly explode?: boolean;
}

export interface GeneratedRequest {
  readonly path: Readonly<Record<string, unknown>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly body?: unknown;
}

export interface GeneratedCases {
  readonly cases: readonly InputCase[];
  /** Operations no case could be generated for, and why. */
  readonly skipped: readonly { readonly method: string; readonly pathTemplate: string; readonly reason: string }[];
}

const WRITE_METHODS = ['post', 'put', 'patch'];
/** Query parameters whose valid values only the service knows (SPEC §8: "a made-up cursor"). */
const OPAQUE_QUERY = /cursor|token|after|before|continuation|next/i;

/** The operations generation may call: GET always, POST/PUT/PATCH with a JSON body when mutating. */
export function documentedOperations(doc: unknown, options: { readonly mutating: boolean }): DocumentedOperation[] {
  const ctx = contextOf(doc);
  const out: DocumentedOperation[] = [];
  const paths = isObj(doc) && isObj(doc.paths) ? doc.paths : {};
  for (const [pathTemplate, rawItem] of Object.entries(paths)) {
    const [item, itemPointer] = follow(rawItem, `/paths/${escapePointer(pathTemplate)}`, ctx);
    if (!isObj(item)) continue;
    for (const method of ['get', ...(options.mutating ? WRITE_METHODS : [])]) {
      const op = item[method];
      if (!isObj(op)) continue;
      const params = mergeParameters(
        item.parameters,
        `${itemPointer}/parameters`,
        op.parameters,
        `${itemPointer}/${method}/parameters`,
        ctx,
      );
      const body = jsonBody(op.requestBody, `${itemPointer}/${method}/requestBody`, ctx);
      if (method !== 'get' && !body) continue;
      // Requests go out with Accept: application/json; an operation that answers only other media
      // types (GitHub's /octocat: application/octocat-stream) would rightly refuse them with 406.
      if (!answersJson(op, ctx)) continue;
      out.push({
        ...(typeof op.operationId === 'string' ? { operationId: op.operationId } : {}),
        method: method.toUpperCase(),
        pathTemplate,
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query'),
        ...(body && method !== 'get' ? { body } : {}),
      });
    }
  }
  return out;
}

/** Whether a success response is JSON, or says nothing of its media type. */
function answersJson(op: Record<string, unknown>, ctx: SchemaContext): boolean {
  const responses = isObj(op.responses) ? Object.entries(op.responses) : [];
  const success = responses.filter(([status]) => /^(2\d\d|2XX)$/i.test(status));
  if (!success.length) return true;
  return success.some(([, raw]) => {
    const [response] = follow(raw, '', ctx);
    if (!isObj(response) || !isObj(response.content)) return true;
    const types = Object.keys(response.content);
    return !types.length || types.some((type) => /^(application\/([\w.-]+\+)?json|\*\/\*|application\/\*)\s*(;|$)/i.test(type));
  });
}

function contextOf(doc: unknown): SchemaContext {
  return { root: doc, dialect: dialectOf(doc) };
}

/** A value and its pointer, `$ref`s followed (pointer of the target). */
function follow(raw: unknown, pointer: string, ctx: SchemaContext): [unknown, string] {
  let node = raw;
  for (let i = 0; i < 16 && isObj(node) && typeof node.$ref === 'string' && node.$ref.startsWith('#'); i++) {
    pointer = decodeURIComponent(node.$ref.slice(1));
    node = resolveRef(ctx.root, node.$ref);
  }
  return [node, pointer];
}

function mergeParameters(pathLevel: unknown, pathPointer: string, opLevel: unknown, opPointer: string, ctx: SchemaContext): Parameter[] {
  const byKey = new Map<string, Parameter>();
  for (const [list, listPointer] of [
    [pathLevel, pathPointer],
    [opLevel, opPointer],
  ] as const) {
    if (!Array.isArray(list)) continue;
    for (const [i, raw] of list.entries()) {
      const [p, pointer] = follow(raw, `${listPointer}/${i}`, ctx);
      if (!isObj(p) || typeof p.name !== 'string' || (p.in !== 'path' && p.in !== 'query')) continue;
      let schema = p.schema;
      let schemaPointer = `${pointer}/schema`;
      if (schema === undefined && isObj(p.content)) {
        const [media, value] = Object.entries(p.content)[0] ?? [];
        if (media !== undefined && isObj(value))
          [schema, schemaPointer] = [value.schema, `${pointer}/content/${escapePointer(media)}/schema`];
      }
      if (schema === undefined) continue;
      byKey.set(`${p.in}:${p.name}`, {
        name: p.name,
        in: p.in,
        required: p.in === 'path' || p.required === true,
        schema,
        schemaPointer,
        ...(typeof p.style === 'string' ? { style: p.style } : {}),
        ...(typeof p.explode === 'boolean' ? { explode: p.explode } : {}),
      });
    }
  }
  return [...byKey.values()];
}

function jsonBody(raw: unknown, rawPointer: string, ctx: SchemaContext): DocumentedOperation['body'] {
  const [rb, pointer] = follow(raw, rawPointer, ctx);
  if (!isObj(rb) || !isObj(rb.content)) return undefined;
  const key = Object.keys(rb.content).find((k) => /^application\/(.+\+)?json\b/i.test(k));
  const media = key ? rb.content[key] : undefined;
  if (!isObj(media) || media.schema === undefined) return undefined;
  return { schema: media.schema, schemaPointer: `${pointer}/content/${escapePointer(key!)}/schema`, required: rb.required === true };
}

/** Valid requests for one operation; throws UnsatisfiableSchema when a needed schema cannot be generated. */
export function requestArbitrary(doc: unknown, op: DocumentedOperation, accepts?: Accepts): fc.Arbitrary<GeneratedRequest> {
  const ctx = contextOf(doc);
  const valid =
    (pointer: string) =>
    (v: unknown): boolean =>
      !accepts || accepts(pointer, v);
  const path: Record<string, fc.Arbitrary<unknown>> = {};
  for (const p of op.pathParams) {
    path[p.name] = feasible(
      arbitraryFor(p.schema, ctx),
      (v) => v !== null && serialize(v) !== '' && valid(p.schemaPointer)(v),
      `path parameter ${p.name}`,
    );
  }
  const query: Record<string, fc.Arbitrary<unknown>> = {};
  for (const p of op.queryParams) {
    try {
      query[p.name] = feasible(arbitraryFor(p.schema, ctx), (v) => v !== null && valid(p.schemaPointer)(v), `query parameter ${p.name}`);
    } catch (e) {
      if (p.required || !(e instanceof UnsatisfiableSchema)) throw e;
    }
  }
  const requiredQuery = op.queryParams.filter((p) => p.required && p.name in query).map((p) => p.name);
  const parts = {
    path: fc.record(path),
    query: optionalRecord(query, requiredQuery),
  };
  if (!op.body) return fc.record(parts);
  const body = arbitraryFor(op.body.schema, ctx);
  return fc.record({ ...parts, body: accepts ? feasible(body, valid(op.body.schemaPointer), 'request body') : body });
}

/** Cases for every operation generation may call, `options.examples` each. */
export function generateCases(doc: unknown, options: CaseOptions): GeneratedCases {
  const cases: InputCase[] = [];
  const skipped: { method: string; pathTemplate: string; reason: string }[] = [];
  for (const op of documentedOperations(doc, options)) {
    try {
      cases.push(...casesFor(doc, op, options));
    } catch (e) {
      if (!(e instanceof UnsatisfiableSchema)) throw e;
      skipped.push({ method: op.method, pathTemplate: op.pathTemplate, reason: e.message });
    }
  }
  return { cases, skipped };
}

/** The run's seed mixed with the operation (FNV-1a), so operations do not mirror each other. */
export function operationSeed(seed: number, op: Pick<DocumentedOperation, 'method' | 'pathTemplate'>): number {
  let h = 0x811c9dc5 ^ (seed | 0);
  for (const c of `${op.method} ${op.pathTemplate}`) h = Math.imul(h ^ c.codePointAt(0)!, 0x01000193);
  return h | 0;
}

function casesFor(doc: unknown, op: DocumentedOperation, options: CaseOptions): InputCase[] {
  const ctx = contextOf(doc);
  const seed = operationSeed(options.seed, op);
  const examples = Math.max(1, options.examples);
  const invalid = invalidVariants(
    op,
    ctx,
    options.accepts,
    fc.sample(requestArbitrary(doc, op, options.accepts), { seed, numRuns: 1 })[0]!,
  );
  const invalidCount = Math.min(invalid.length, Math.floor(examples / 2));
  const validCount = examples - invalidCount;
  const valid = fc.sample(requestArbitrary(doc, op, options.accepts), { seed, numRuns: validCount });
  const base = { ...(op.operationId ? { operationId: op.operationId } : {}), method: op.method, pathTemplate: op.pathTemplate, seed };
  const out: InputCase[] = valid.map((r, index) => {
    const unknowable = op.pathParams.length > 0 || Object.keys(r.query).some((k) => OPAQUE_QUERY.test(k));
    return { ...base, ...toHttp(op, r, ctx), kind: 'valid', ...(unknowable ? { unknowable: true } : {}), index };
  });
  for (const v of spread(invalid, invalidCount)) {
    out.push({
      ...base,
      ...toHttp(op, v.request, ctx),
      ...(v.rawBody !== undefined ? { rawBody: v.rawBody } : {}),
      kind: 'invalid',
      constraint: v.constraint,
      at: v.at,
      description: v.description,
      index: out.length,
    });
  }
  return out;
}

interface InvalidVariant {
  readonly request: GeneratedRequest;
  readonly rawBody?: string;
  readonly constraint: Constraint;
  readonly at: string;
  readonly description: string;
}

const escapePointer = (k: string): string => k.replace(/~/g, '~0').replace(/\//g, '~1');

function invalidVariants(
  op: DocumentedOperation,
  ctx: SchemaContext,
  accepts: Accepts | undefined,
  base: GeneratedRequest,
): InvalidVariant[] {
  const out: InvalidVariant[] = [];
  for (const p of [...op.pathParams, ...op.queryParams]) {
    const where = p.in === 'path' ? 'path' : 'query';
    const current = base[where][p.name];
    if (p.in === 'query' && p.required && current !== undefined) {
      const { [p.name]: _gone, ...rest } = base.query;
      out.push({
        request: { ...base, query: rest },
        constraint: 'required',
        at: `/query/${escapePointer(p.name)}`,
        description: `required query parameter "${p.name}" is missing`,
      });
    }
    if (isComposite(p.schema, ctx)) continue;
    const seedValue = current ?? fc.sample(arbitraryFor(p.schema, ctx), { seed: 1, numRuns: 1 })[0];
    for (const v of violations(p.schema, ctx, seedValue, { location: 'param' })) {
      // An empty path segment changes the route; a null has no form in a URL.
      if (v.value === null || (p.in === 'path' && serialize(v.value) === '')) continue;
      // The document's validator has the last word: what it accepts is no invalid case.
      if (accepts?.(p.schemaPointer, v.value)) continue;
      out.push({
        request: { ...base, [where]: { ...base[where], [p.name]: v.value } },
        constraint: v.constraint,
        at: `/${where}/${escapePointer(p.name)}`,
        description: `${p.in} parameter "${p.name}": ${v.description.replace(/^the value: /, '')}`,
      });
    }
  }
  if (op.body) {
    for (const v of violations(op.body.schema, ctx, base.body, { malformedJson: true })) {
      if (v.rawBody === undefined && accepts?.(op.body.schemaPointer, v.value)) continue;
      out.push({
        request: { ...base, body: v.value },
        ...(v.rawBody !== undefined ? { rawBody: v.rawBody } : {}),
        constraint: v.constraint,
        at: `/body${v.at}`,
        description: `body ${v.description}`,
      });
    }
  }
  return out;
}

/** Arrays and objects in parameters: their type cannot be broken in a URL without ambiguity. */
function isComposite(schema: unknown, ctx: SchemaContext): boolean {
  const s = readSchema(schema, ctx);
  return !!s.types?.some((t) => t === 'array' || t === 'object');
}

/** `count` variants, taking one per constraint in turn so each kind is represented. */
function spread(variants: InvalidVariant[], count: number): InvalidVariant[] {
  const groups = new Map<Constraint, InvalidVariant[]>();
  for (const v of variants) groups.set(v.constraint, [...(groups.get(v.constraint) ?? []), v]);
  const out: InvalidVariant[] = [];
  for (let round = 0; out.length < count; round++) {
    for (const list of groups.values()) if (list[round] && out.length < count) out.push(list[round]!);
  }
  return out;
}

function serialize(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return String(v);
}

/** A generated request (e.g. one being shrunk) as it is sent: path, query and JSON body. */
export function httpRequestOf(doc: unknown, op: DocumentedOperation, r: GeneratedRequest): { path: string; query: Query; body?: unknown } {
  return toHttp(op, r, contextOf(doc));
}

/** A generated request as URL path, query and body (OpenAPI's default styles: simple, form). */
function toHttp(op: DocumentedOperation, r: GeneratedRequest, ctx: SchemaContext): { path: string; query: Query; body?: unknown } {
  const path = op.pathTemplate.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const v = r.path[name];
    if (v === undefined) return whole;
    return encodeURIComponent(Array.isArray(v) ? v.map(serialize).join(',') : serialize(v));
  });
  const query: Record<string, string | string[]> = {};
  for (const p of op.queryParams) {
    const v = r.query[p.name];
    if (v === undefined) continue;
    if (Array.isArray(v)) {
      if (p.explode === false) query[p.name] = v.map(serialize).join(',');
      else query[p.name] = v.map(serialize);
    } else if (isObj(v) && p.style === 'deepObject') {
      for (const [k, inner] of Object.entries(v)) query[`${p.name}[${k}]`] = serialize(inner);
    } else if (isObj(v) && p.explode !== false && readSchema(p.schema, ctx).types?.includes('object')) {
      for (const [k, inner] of Object.entries(v as Obj)) query[k] = serialize(inner);
    } else query[p.name] = serialize(v);
  }
  return { path, query, ...(r.body !== undefined ? { body: r.body } : {}) };
}

/** The query as a percent-encoded string (SPEC §8: values are percent-encoded when sent). */
export function queryString(query: Query): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query))
    for (const one of Array.isArray(v) ? v : [v]) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(one as string)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}
