/**
 * Reading the target's OpenAPI document (fetched once by the `openapi:document` probe): its
 * paths as the target serves them, the operation an exchange hit, and the schema of a response,
 * walked as far as rules need (free-form maps, SPEC §8). Pure: the document is in the recording.
 */
import type { Target } from '../config/target.ts';
import { jsonBody, type Exchange } from '../http/exchange.ts';
import { exchangeById, isObject } from './support.ts';
import type { Recording } from './types.ts';
import { openapiDocumentProbe } from '../probes/docs.ts';
import { outputOf } from '../probes/types.ts';
import { documentOf } from '../openapi/document.ts';

type Json = Record<string, unknown>;

export interface OpenApiDoc {
  readonly doc: Json;
  /** The request that fetched the document; none when `openapi_source` is a file. */
  readonly exchange?: Exchange;
  /** Where the document came from: the served path, or `openapi_source`. */
  readonly location: string;
  /** Path the document's `servers[0]` adds below the target's base URL ('' when none). */
  readonly prefix: string;
}

/**
 * The document rules read: the one `openapi_source` declares (SPEC §3), else the served one;
 * undefined when there is none (404, not JSON, no `paths`).
 */
export function openApiDocument(rec: Recording, target: Target): OpenApiDoc | undefined {
  const out = outputOf(rec, openapiDocumentProbe);
  if (out?.source) {
    const found = documentOf(rec);
    if (!('model' in found)) return undefined;
    const documentUrl = found.exchange?.request.url ?? `${target.baseUrl}${target.openapi}`;
    return {
      doc: found.model.doc,
      ...(found.exchange ? { exchange: found.exchange } : {}),
      location: found.location,
      prefix: serverPrefix(found.model.doc, target, documentUrl),
    };
  }
  const exchange = exchangeById(rec, out?.exchange);
  const status = exchange?.response?.status ?? 0;
  if (!exchange || status < 200 || status >= 300) return undefined;
  const doc = jsonBody(exchange);
  if (!isObject(doc) || !isObject(doc.paths)) return undefined;
  return { doc, exchange, location: exchange.path, prefix: serverPrefix(doc, target, exchange.request.url) };
}

/** `servers[0].url` as a path below the target's base path (relative server URLs resolve against the document's URL). */
function serverPrefix(doc: Json, target: Target, documentUrl: string): string {
  const first = Array.isArray(doc.servers) ? (doc.servers[0] as { url?: unknown } | undefined) : undefined;
  if (typeof first?.url !== 'string') return '';
  let path: string;
  try {
    path = new URL(first.url.replace(/\{[^}]*\}/g, 'x'), documentUrl).pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
  if (target.basePath && (path === target.basePath || path.startsWith(`${target.basePath}/`))) path = path.slice(target.basePath.length);
  return path;
}

/** Every path of the document as the client sees it under the base URL. */
export function documentedPaths(api: OpenApiDoc): string[] {
  return Object.keys(api.doc.paths as Json).map((p) => `${api.prefix}${p}`);
}

function templateRegex(template: string): RegExp {
  const escaped = template.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[^/]+')}/?$`);
}

interface PathEntry {
  readonly regex: RegExp;
  readonly item: unknown;
}

/**
 * The document's paths as regexes, literal paths first; built once per document and prefix
 * (every rule looks up every exchange, and GitHub's description has ~900 paths).
 */
const pathTables = new WeakMap<Json, Map<string, readonly PathEntry[]>>();

function pathTable(api: OpenApiDoc): readonly PathEntry[] {
  let byPrefix = pathTables.get(api.doc);
  if (!byPrefix) pathTables.set(api.doc, (byPrefix = new Map()));
  let table = byPrefix.get(api.prefix);
  if (!table) {
    const params = (template: string): number => template.match(/\{/g)?.length ?? 0;
    table = Object.entries(api.doc.paths as Json)
      .sort(([a], [b]) => params(a) - params(b))
      .map(([template, item]) => ({ regex: templateRegex(`${api.prefix}${template}`), item }));
    byPrefix.set(api.prefix, table);
  }
  return table;
}

/** The operation object an exchange hit, preferring literal paths over templated ones. */
export function operationFor(api: OpenApiDoc, method: string, path: string): Json | undefined {
  const m = method.toLowerCase();
  for (const { regex, item } of pathTable(api)) {
    if (!regex.test(path)) continue;
    const op = isObject(item) ? item[m] : undefined;
    if (isObject(op)) return op;
  }
  return undefined;
}

/** The JSON schema of a response to `op` with `status`: exact code, then NXX, then default. */
export function responseSchema(api: OpenApiDoc, op: Json, status: number): unknown {
  const responses = isObject(op.responses) ? op.responses : {};
  const response = resolveRef(api.doc, responses[String(status)] ?? responses[`${Math.floor(status / 100)}XX`] ?? responses.default);
  if (!isObject(response)) return undefined;
  if (isObject(response.content)) {
    const entries = Object.entries(response.content);
    const json = entries.find(([type]) => type === 'application/json') ?? entries.find(([type]) => /[/+]json\b/.test(type));
    return json && isObject(json[1]) ? json[1].schema : undefined;
  }
  return response.schema; // Swagger 2
}

export function resolveRef(doc: Json, schema: unknown, depth = 0): unknown {
  if (!isObject(schema) || typeof schema.$ref !== 'string' || depth > 20) return schema;
  const ref = schema.$ref;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const part of ref
    .slice(2)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    node = isObject(node) ? node[part] : undefined;
  }
  return resolveRef(doc, node, depth + 1);
}

/** A schema with $ref resolved and allOf/anyOf/oneOf branches merged (properties unioned): enough to walk a body. */
export function flatten(doc: Json, schema: unknown, depth = 0): Json | undefined {
  const s = resolveRef(doc, schema);
  if (!isObject(s) || depth > 20) return undefined;
  const branches = ['allOf', 'anyOf', 'oneOf'].flatMap((k) => (Array.isArray(s[k]) ? (s[k] as unknown[]) : []));
  if (!branches.length) return s;
  const merged: Json = { ...s };
  const properties: Json = isObject(s.properties) ? { ...s.properties } : {};
  for (const b of branches) {
    const f = flatten(doc, b, depth + 1);
    if (!f) continue;
    if (isObject(f.properties)) Object.assign(properties, f.properties);
    if (merged.additionalProperties === undefined && f.additionalProperties !== undefined)
      merged.additionalProperties = f.additionalProperties;
    if (merged.items === undefined && f.items !== undefined) merged.items = f.items;
  }
  if (Object.keys(properties).length) merged.properties = properties;
  return merged;
}

/**
 * How a schema declares an object (SPEC §8: an object declared with only additionalProperties
 * is a free-form map): 'any-map' (no properties, additionalProperties true or {}: contents are
 * the client's data), 'typed-map' (no properties, additionalProperties a schema: keys are
 * data, values follow that schema), or 'object'.
 */
export function objectKind(schema: Json | undefined): 'any-map' | 'typed-map' | 'object' {
  if (!schema) return 'object';
  const hasProperties = isObject(schema.properties) && Object.keys(schema.properties).length > 0;
  const ap = schema.additionalProperties;
  if (hasProperties || ap === undefined || ap === false) return 'object';
  if (ap === true || (isObject(ap) && Object.keys(ap).length === 0)) return 'any-map';
  return 'typed-map';
}
