/**
 * The OpenAPI document of a target as the checks read it: parsed from the exchange that
 * fetched it (JSON or YAML), its operations, local `$ref`s resolved, and live requests matched
 * to documented operations by method and path template (concrete segments win over templated
 * ones, as OpenAPI 3 says). Pure; one model per distinct document per process.
 */
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { jsonBody, mediaType, type Exchange } from '../http/exchange.ts';
import { SchemaValidator } from './schema.ts';

export type Obj = Record<string, unknown>;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface Operation {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Path template as documented, e.g. /v2/documents/{document_id}. */
  readonly path: string;
  /** JSON pointer of the operation object in the document. */
  readonly pointer: string;
  readonly op: Obj;
  /** Path-item and operation parameters, resolved (operation ones win). */
  readonly parameters: readonly Obj[];
  readonly deprecated: boolean;
}

export interface DocumentedResponse {
  /** The responses key that covers the status: "404", "4XX" or "default". */
  readonly key: string;
  readonly pointer: string;
  readonly response: Obj;
}

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const escapePointer = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1');
const unescapePointer = (segment: string): string => segment.replace(/~1/g, '/').replace(/~0/g, '~');

const MAX_YAML = 8 * 1024 * 1024;

/** Parses the document an exchange carries: JSON, else YAML. */
export function parseDocument(e: Exchange | undefined): { doc: Obj } | { problem: string } {
  if (!e?.response) return { problem: e?.error ? `no response: ${e.error.message}` : 'the document was not fetched' };
  if (e.response.status !== 200) return { problem: `answered ${e.response.status}` };
  if (e.response.droppedBytes) return { problem: `the document is larger than the ${e.response.body.length} bytes kept` };
  let value = jsonBody(e);
  const text = e.response.body.trimStart();
  if (value === undefined && text) {
    // A body that opens like JSON and does not parse is broken JSON, not YAML; and YAML is
    // parsed only up to a size where a hostile document cannot stall the run.
    if (/^[{[]/.test(text) && !/yaml/.test(mediaType(e))) return { problem: 'the body is not valid JSON' };
    if (text.length > MAX_YAML) return { problem: `the body is not JSON, and at ${text.length} bytes too large to read as YAML` };
    try {
      value = parseYaml(e.response.body, { maxAliasCount: 100 });
    } catch (err) {
      return {
        problem: `the body is neither JSON nor YAML (${mediaType(e) || 'no content type'}): ${(err as Error).message.split('\n')[0]}`,
      };
    }
  }
  if (!isObj(value)) return { problem: 'the body is not a JSON or YAML object' };
  return { doc: value };
}

interface CompiledPath {
  readonly template: string;
  readonly regex: RegExp;
  readonly literalSegments: number;
  readonly params: number;
}

function compileTemplate(template: string): CompiledPath {
  const segments = template.split('/');
  let literalSegments = 0;
  let params = 0;
  const body = segments
    .map((segment) => {
      if (!segment.includes('{')) {
        literalSegments++;
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
      return segment
        .split(/(\{[^}]*\})/)
        .map((piece) => {
          if (/^\{[^}]*\}$/.test(piece)) {
            params++;
            return '[^/]+';
          }
          return piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        })
        .join('');
    })
    .join('/');
  return { template, regex: new RegExp(`^${body}$`), literalSegments, params };
}

export class OpenApiModel {
  readonly version: string;
  readonly operations: readonly Operation[];
  private readonly compiled: readonly CompiledPath[];
  private readonly serverPaths: readonly string[];
  private readonly schemaValidator: SchemaValidator;

  constructor(
    readonly doc: Obj,
    key: string,
  ) {
    this.version = typeof doc.openapi === 'string' ? doc.openapi : typeof doc.swagger === 'string' ? `swagger ${doc.swagger}` : 'unknown';
    const ops: Operation[] = [];
    const paths = isObj(doc.paths) ? doc.paths : {};
    for (const [path, rawItem] of Object.entries(paths)) {
      const item = this.resolve(rawItem);
      if (!isObj(item)) continue;
      const shared = Array.isArray(item.parameters) ? item.parameters : [];
      for (const method of HTTP_METHODS) {
        const op = item[method];
        if (!isObj(op)) continue;
        const own = Array.isArray(op.parameters) ? op.parameters : [];
        const byKey = new Map<string, Obj>();
        for (const p of [...shared, ...own]) {
          const param = this.resolve(p);
          if (isObj(param)) byKey.set(`${String(param.in)}:${String(param.name)}`, param);
        }
        ops.push({
          method: method.toUpperCase(),
          path,
          pointer: `/paths/${escapePointer(path)}/${method}`,
          op,
          parameters: [...byKey.values()],
          deprecated: op.deprecated === true,
        });
      }
    }
    this.operations = ops;
    this.compiled = Object.keys(paths)
      .map(compileTemplate)
      .sort((a, b) => b.literalSegments - a.literalSegments || a.params - b.params);
    this.serverPaths = (Array.isArray(doc.servers) ? doc.servers : [])
      .map((s) => (isObj(s) && typeof s.url === 'string' ? serverPath(s.url) : ''))
      .filter((p) => p && p !== '/');
    this.schemaValidator = new SchemaValidator(doc, this.version, key);
  }

  /** The value at a JSON pointer ("" is the document). */
  at(pointer: string): unknown {
    if (pointer === '' || pointer === '#') return this.doc;
    let node: unknown = this.doc;
    for (const raw of pointer.replace(/^#/, '').split('/').slice(1)) {
      const key = unescapePointer(decodeURIComponent(raw));
      if (Array.isArray(node)) node = node[Number(key)];
      else if (isObj(node)) node = node[key];
      else return undefined;
    }
    return node;
  }

  /** Follows local `$ref`s (at most 32 hops); external refs resolve to undefined. */
  resolve(node: unknown): unknown {
    let current = node;
    for (let hops = 0; hops < 32 && isObj(current) && typeof current.$ref === 'string'; hops++) {
      if (!current.$ref.startsWith('#')) return undefined;
      current = this.at(current.$ref);
    }
    return current;
  }

  /** The pointer a node stands at, following its `$ref`s from `pointer`. */
  resolvedPointer(node: unknown, pointer: string): string {
    let current = node;
    let at = pointer;
    for (let hops = 0; hops < 32 && isObj(current) && typeof current.$ref === 'string' && current.$ref.startsWith('#'); hops++) {
      at = current.$ref.slice(1);
      current = this.at(at);
    }
    return at;
  }

  /**
   * The documented operation a request hit: by method, then path template against the path
   * relative to base_url (or to a server URL's path, when the document names one).
   */
  match(method: string, path: string, absolutePath?: string): Operation | undefined {
    const candidates = [path];
    for (const prefix of this.serverPaths) {
      if (absolutePath?.startsWith(prefix)) candidates.push(absolutePath.slice(prefix.length) || '/');
    }
    const m = method.toUpperCase();
    for (const candidate of candidates) {
      // Most specific template first; one without this method gives way to the next (as routers do).
      for (const template of this.compiled) {
        if (!template.regex.test(candidate)) continue;
        const op = this.operations.find((o) => o.path === template.template && o.method === m);
        if (op) return op;
      }
    }
    return undefined;
  }

  /** The response object documented for a status: exact code, then range (4XX), then default. */
  response(op: Operation, status: number): DocumentedResponse | undefined {
    const responses = isObj(op.op.responses) ? op.op.responses : {};
    const range = `${String(status)[0]}XX`;
    const key = [String(status), range, range.toLowerCase(), 'default'].find((k) => k in responses);
    if (key === undefined) return undefined;
    const pointer = `${op.pointer}/responses/${escapePointer(key)}`;
    const response = this.resolve(responses[key]);
    if (!isObj(response)) return undefined;
    return { key, pointer: this.resolvedPointer(responses[key], pointer), response };
  }

  /** Statuses an operation documents, for messages. */
  documentedStatuses(op: Operation): string[] {
    return Object.keys(isObj(op.op.responses) ? op.op.responses : {});
  }

  /** Validates a value against the schema at `pointer` (compiled once per process). */
  validate(pointer: string, value: unknown): ReturnType<SchemaValidator['validate']> {
    return this.schemaValidator.validate(pointer, value);
  }

  /** The JSON request body schema of an operation and its pointer. */
  jsonRequestBody(op: Operation): { media: Obj; pointer: string; mediaType: string } | undefined {
    const body = this.resolve(op.op.requestBody);
    if (!isObj(body) || !isObj(body.content)) return undefined;
    const base = this.resolvedPointer(op.op.requestBody, `${op.pointer}/requestBody`);
    const type = Object.keys(body.content).find(isJsonMediaType);
    if (!type) return undefined;
    const media = body.content[type];
    return isObj(media) ? { media, pointer: `${base}/content/${escapePointer(type)}`, mediaType: type } : undefined;
  }
}

export function isJsonMediaType(type: string): boolean {
  const t = type.split(';')[0]!.trim().toLowerCase();
  return t === 'application/json' || t.endsWith('+json');
}

function serverPath(url: string): string {
  try {
    return new URL(url, 'http://server.invalid').pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
}

const models = new Map<string, OpenApiModel>();
const MAX_MODELS = 16;

/** The model of a parsed document, shared by every check of the process (schemas compile once). */
export function modelOf(doc: Obj, text: string): OpenApiModel {
  const key = createHash('sha256').update(text).digest('hex').slice(0, 24);
  let model = models.get(key);
  if (!model) {
    if (models.size >= MAX_MODELS) models.delete(models.keys().next().value!);
    model = new OpenApiModel(doc, key);
    models.set(key, model);
  }
  return model;
}

export const DOCUMENT_PROBE = 'openapi:document';

/** The target's document as a recording (or a probe) holds it: the model, or why there is none. */
export function documentOf(source: {
  readonly exchanges: readonly Exchange[];
  readonly outputs: Readonly<Record<string, unknown>>;
}): { model: OpenApiModel; exchange: Exchange } | { problem: string; exchange?: Exchange } {
  const out = source.outputs[DOCUMENT_PROBE] as { exchange?: number } | undefined;
  const exchange = out?.exchange === undefined ? undefined : source.exchanges.find((e) => e.id === out.exchange);
  if (!exchange) return { problem: 'the OpenAPI document was not fetched' };
  const parsed = parseDocument(exchange);
  if ('problem' in parsed) return { problem: `the OpenAPI document at ${exchange.path} ${parsed.problem}`, exchange };
  if (!isObj(parsed.doc.paths)) return { problem: `the OpenAPI document at ${exchange.path} has no paths object`, exchange };
  return { model: modelOf(parsed.doc, exchange.response!.body), exchange };
}
