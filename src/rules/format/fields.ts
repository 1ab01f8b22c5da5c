/**
 * The fields of every JSON body a run received, as format rules judge them: each with its JSON
 * path (`$.items[3].created_at`) and a generic path (`$.items[*].created_at`) under which
 * repeats collapse. Free-form maps are not fields (SPEC §8): `metadata` contents, problem
 * `context`, `error.details`, health `services` keys, validation `input`/`ctx`, and any object
 * the OpenAPI document declares with only additionalProperties.
 */
import { jsonBody, type Exchange } from '../../http/exchange.ts';
import { flatten, objectKind, operationFor, responseSchema, type OpenApiDoc } from '../openapi-lookup.ts';
import { apiExchanges, describe, failed, isObject, passed, skipped } from '../support.ts';
import type { Finding, Outcome, Recording } from '../types.ts';

export interface Field {
  readonly exchange: Exchange;
  readonly path: string;
  readonly generic: string;
  readonly key: string;
  readonly value: unknown;
}

/** JSON bodies format rules judge: API and health/ready responses to GET/POST/PUT/PATCH/DELETE (SPEC §8). */
export function judgedBodies(rec: Recording): Exchange[] {
  return apiExchanges(rec, { includeHealth: true }).filter((e) => {
    const body = jsonBody(e);
    return typeof body === 'object' && body !== null;
  });
}

const member = (path: string, key: string): string =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

type Walk = 'fields' | 'keys-are-data' | 'skip';

/** Built-in free-form maps of SPEC §8, by where they sit. */
function builtIn(e: Exchange, generic: string, key: string): Walk | undefined {
  if (key === 'metadata') return 'skip';
  const error = (e.response?.status ?? 0) >= 400;
  if (error && generic === '$' && key === 'context') return 'skip';
  if (error && generic === '$.error' && key === 'details') return 'skip';
  if (error && generic === '$.detail[*]' && (key === 'input' || key === 'ctx')) return 'skip';
  if (e.scope === 'health' && generic === '$' && key === 'services') return 'keys-are-data';
  return undefined;
}

/**
 * Fields of one body, walked once per exchange and document: five format rules read the same
 * bodies, and on a large run this walk was the costliest part of judging.
 */
const walked = new WeakMap<Exchange, { readonly api: OpenApiDoc | undefined; readonly fields: readonly Field[] }>();

export function fieldsOf(e: Exchange, api?: OpenApiDoc): readonly Field[] {
  const cached = walked.get(e);
  if (cached && cached.api?.doc === api?.doc && cached.api?.prefix === api?.prefix) return cached.fields;
  const fields = walkFields(e, api);
  walked.set(e, { api, fields });
  return fields;
}

function walkFields(e: Exchange, api: OpenApiDoc | undefined): Field[] {
  const out: Field[] = [];
  const op = api && e.response ? operationFor(api, e.request.method, e.path) : undefined;
  const rootSchema = api && op ? flatten(api.doc, responseSchema(api, op, e.response!.status)) : undefined;
  const walk = (value: unknown, path: string, generic: string, schema: Record<string, unknown> | undefined, mode: Walk): void => {
    if (Array.isArray(value)) {
      const items = api && schema ? flatten(api.doc, schema.items) : undefined;
      for (const [i, v] of value.entries()) walk(v, `${path}[${i}]`, `${generic}[*]`, items, 'fields');
      return;
    }
    if (!isObject(value)) return;
    const kind = objectKind(schema);
    if (kind === 'any-map') return;
    const keysAreData = mode === 'keys-are-data' || kind === 'typed-map';
    for (const [key, v] of Object.entries(value)) {
      const childPath = member(path, key);
      const childGeneric = keysAreData ? `${generic}.*` : member(generic, key);
      const special = keysAreData ? undefined : builtIn(e, generic, key);
      if (!keysAreData) out.push({ exchange: e, path: childPath, generic: childGeneric, key, value: v });
      if (special === 'skip') continue;
      const props = schema && isObject(schema.properties) ? schema.properties : undefined;
      const childSchema =
        api && schema ? flatten(api.doc, props?.[key] ?? (kind === 'typed-map' ? schema.additionalProperties : undefined)) : undefined;
      walk(v, childPath, childGeneric, childSchema, special ?? 'fields');
    }
  };
  walk(jsonBody(e), '$', '$', rootSchema, 'fields');
  return out;
}

export interface FieldProblem {
  readonly field: Field;
  /** What is wrong, without the place ("is not snake_case"). */
  readonly problem: string;
  readonly expected: string;
  readonly received: string;
}

/**
 * Outcome over field problems: one finding per problem and generic path, naming the first
 * concrete path and counting the repeats.
 */
export function fieldOutcome(
  problems: readonly FieldProblem[],
  judged: { bodies: number; fields: number; exchanges: readonly Exchange[] },
  what: { pass: string; fail: string; nothing: string },
): Outcome {
  if (!judged.fields) return skipped('nothing-to-check', what.nothing);
  if (!problems.length) return passed(`${what.pass} (${judged.fields} fields in ${judged.bodies} JSON bodies)`, judged.exchanges);
  const groups = new Map<string, { first: FieldProblem; count: number; exchanges: number[] }>();
  for (const p of problems) {
    const key = `${p.problem}\u0000${p.field.generic}`;
    const g = groups.get(key);
    if (!g) groups.set(key, { first: p, count: 1, exchanges: [p.field.exchange.id] });
    else {
      g.count++;
      if (g.exchanges.length < 5 && !g.exchanges.includes(p.field.exchange.id)) g.exchanges.push(p.field.exchange.id);
    }
  }
  const findings: Finding[] = [...groups.values()].map(({ first, count, exchanges }) => ({
    message: `\`${first.field.key}\` ${first.problem} (${first.field.path} in ${describe(first.field.exchange)}${count > 1 ? `; ${count} times under ${first.field.generic}` : ''})`,
    exchanges,
    at: first.field.path,
    expected: first.expected,
    received: first.received,
    ...(count > 1 ? { count } : {}),
  }));
  return failed(`${problems.length} fields ${what.fail}, in ${groups.size} places`, findings);
}

/** Runs `judge` over every field of every judged body and builds the outcome. */
export function judgeFields(
  rec: Recording,
  api: OpenApiDoc | undefined,
  judge: (f: Field) => Omit<FieldProblem, 'field'> | undefined,
  what: { pass: string; fail: string; nothing: string },
  select: (f: Field) => boolean = () => true,
): Outcome {
  const bodies = judgedBodies(rec);
  const problems: FieldProblem[] = [];
  let fields = 0;
  const used: Exchange[] = [];
  for (const e of bodies) {
    const selected = fieldsOf(e, api).filter(select);
    if (selected.length) used.push(e);
    fields += selected.length;
    for (const f of selected) {
      const p = judge(f);
      if (p) problems.push({ field: f, ...p });
    }
  }
  return fieldOutcome(problems, { bodies: used.length, fields, exchanges: used }, what);
}
