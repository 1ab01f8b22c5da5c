/**
 * Discovery: the resources, uploads and streams of a target that declares no resources,
 * derived from its OpenAPI document.
 *   - a resource: a collection path without parameters that has a list GET and a create POST,
 *     and an item path below it with exactly one path parameter and a GET;
 *   - request bodies: the document's examples, else the smallest valid instance;
 *   - an upload: a multipart POST whose file property states its limit (`maxLength`) and
 *     whose encoding names the accepted types;
 *   - a stream: a GET whose 200 answers text/event-stream, with one path parameter that
 *     belongs to a discovered resource.
 * Every other operation is listed with the reason it is not probed. Pure.
 */
import type { DiscoveryReport, Resource, Stream, Target, Upload } from '../config/target.ts';
import { isObj, type Obj, type OpenApiModel, type Operation } from './document.ts';
import { buildBody, collectProperties } from './sample.ts';

const paramsOf = (template: string): string[] => [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
const label = (op: Operation): string => `${op.method} ${op.path}`;

function requiresAuth(model: OpenApiModel, op: Operation): boolean {
  const security = Array.isArray(op.op.security) ? op.op.security : Array.isArray(model.doc.security) ? model.doc.security : [];
  // No requirement, or an empty one ({}) among the alternatives, means anonymous access works.
  return security.length > 0 && !security.some((s) => isObj(s) && Object.keys(s).length === 0);
}

export function discover(model: OpenApiModel, target: Target, source: string): DiscoveryReport {
  const ops = model.operations;
  const covered = new Set<Operation>();
  const notProbed: { operation: string; reason: string }[] = [];
  const resources: Resource[] = [];
  const bodies: Record<string, { create?: string; update?: string }> = {};
  const itemParam = new Map<string, string>(); // resource name → its item path parameter name
  const byPath = (path: string, method: string): Operation | undefined => ops.find((o) => o.path === path && o.method === method);
  const pageSize = target.conventions.pagination === 'cursor' ? 50 : 20;

  // Operations the harness probes anyway, by their own targets.yaml keys.
  for (const op of ops) {
    if ([target.health, target.ready, target.openapi, target.docsUi].includes(op.path)) covered.add(op);
  }

  const collections = [...new Set(ops.map((o) => o.path))].filter((p) => !p.includes('{'));
  for (const path of collections) {
    const list = byPath(path, 'GET');
    const create = byPath(path, 'POST');
    if (!list || !create || covered.has(list)) continue;
    if (list.deprecated && create.deprecated) {
      for (const op of [list, create])
        notProbed.push({ operation: label(op), reason: 'deprecated: its successor version is probed instead' });
      covered.add(list).add(create);
      continue;
    }
    const itemPath = [...new Set(ops.map((o) => o.path))].find((p) => {
      if (!p.startsWith(`${path}/`)) return false;
      const rest = p.slice(path.length + 1);
      return /^\{[^}/]+\}$/.test(rest) && byPath(p, 'GET') !== undefined;
    });
    if (!itemPath) continue; // reported below as an operation without an item path
    const segments = path.split('/').filter(Boolean);
    let name = segments.at(-1)!;
    if (resources.some((r) => r.name === name)) name = segments.join('-');
    const createBody = model.jsonRequestBody(create);
    const built = createBody ? buildBody(model, createBody.media, createBody.pointer) : undefined;
    const replace = byPath(itemPath, 'PUT') ?? byPath(itemPath, 'PATCH');
    const updateBody = replace ? model.jsonRequestBody(replace) : undefined;
    const builtUpdate = updateBody ? buildBody(model, updateBody.media, updateBody.pointer) : undefined;
    const createValue = built && 'body' in built ? built.body : undefined;
    const updateValue = builtUpdate && 'body' in builtUpdate ? builtUpdate.body : undefined;
    const invalid = createValue && createBody ? invalidBody(model, createBody.media, createValue) : undefined;
    resources.push({
      name,
      collection: path,
      item: itemPath.replace(/\{[^}]+\}$/, '{id}'),
      ...(createValue ? { create: createValue } : {}),
      ...(invalid ? { invalid } : {}),
      ...(updateValue ? { update: updateValue } : {}),
      requiresAuth: requiresAuth(model, list),
      seedItems: 3 * pageSize + 1,
      discovered: true,
    });
    itemParam.set(name, paramsOf(itemPath)[0]!);
    bodies[name] = {
      ...(built
        ? { create: 'body' in built ? built.source : `none: ${built.problem}` }
        : { create: 'none: the create operation takes no JSON body' }),
      ...(replace
        ? {
            update: builtUpdate
              ? 'body' in builtUpdate
                ? builtUpdate.source
                : `none: ${builtUpdate.problem}`
              : 'none: the update operation takes no JSON body',
          }
        : {}),
    };
    if (!createValue)
      notProbed.push({
        operation: label(create),
        reason: `no valid create body could be built (${bodies[name]!.create}); creating, updating and deleting ${name} are not probed`,
      });
    covered.add(list).add(create);
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const op = byPath(itemPath, method);
      if (op) covered.add(op);
    }
    const patch = byPath(itemPath, 'PATCH');
    if (patch && byPath(itemPath, 'PUT')) {
      notProbed.push({ operation: label(patch), reason: 'the harness updates with PUT' });
      covered.add(patch);
    } else if (patch) covered.add(patch);
  }

  const resourceFor = (op: Operation): string | undefined => {
    const params = paramsOf(op.path);
    if (params.length === 0) return undefined;
    const byName = [...itemParam].find(([, param]) => param === params[0]);
    if (byName) return byName[0];
    const byPrefix = resources.find((r) => op.path.startsWith(`${r.item.replace('{id}', '')}`) || op.path.startsWith(`${r.collection}/{`));
    if (byPrefix) return byPrefix.name;
    return resources.length === 1 ? resources[0]!.name : undefined;
  };

  const uploads: Upload[] = [];
  const streams: Stream[] = [];
  for (const op of ops) {
    if (covered.has(op)) continue;
    covered.add(op);
    const params = paramsOf(op.path);
    if (op.deprecated) {
      notProbed.push({ operation: label(op), reason: 'deprecated: its successor version is probed instead' });
      continue;
    }
    const upload = op.method === 'POST' ? multipartFile(model, op) : undefined;
    if (upload) {
      if (params.length > 1) {
        notProbed.push({ operation: label(op), reason: 'an upload with more than one path parameter' });
        continue;
      }
      const resource = params.length ? resourceFor(op) : undefined;
      if (params.length && !resource) {
        notProbed.push({ operation: label(op), reason: `cannot tell which resource's id {${params[0]}} takes; declare it under uploads:` });
        continue;
      }
      if (upload.maxBytes === undefined) {
        notProbed.push({
          operation: label(op),
          reason: `an upload whose limit the document does not state (maxLength of "${upload.field}"); declare it under uploads: with max_bytes`,
        });
        continue;
      }
      uploads.push({
        path: params.length ? op.path.replace(/\{[^}]+\}/, '{id}') : op.path,
        ...(resource ? { resource } : {}),
        field: upload.field,
        maxBytes: upload.maxBytes,
        allowedTypes: upload.allowedTypes,
      });
      continue;
    }
    if (op.method === 'GET' && answersEventStream(model, op)) {
      const resource = params.length === 1 ? resourceFor(op) : undefined;
      if (params.length === 1 && resource) streams.push({ path: op.path.replace(/\{[^}]+\}/, '{id}'), resource });
      else
        notProbed.push({
          operation: label(op),
          reason:
            params.length === 1
              ? `cannot tell which resource's id {${params[0]}} takes; declare it under streams:`
              : 'an event stream without exactly one path parameter; declare it under streams:',
        });
      continue;
    }
    notProbed.push({ operation: label(op), reason: reasonNotProbed(op, params, ops) });
  }

  return { source, resources, uploads, streams, bodies, notProbed };
}

function reasonNotProbed(op: Operation, params: string[], ops: readonly Operation[]): string {
  if (params.length > 1) return 'more than one path parameter: only top-level collections and their items are discovered';
  if (params.length === 1 && !/\/\{[^}]+\}$/.test(op.path))
    return 'a path below an item: only top-level collections and their items are discovered';
  if (params.length === 0 && op.method === 'GET' && !ops.some((o) => o.path === op.path && o.method === 'POST'))
    return 'a collection without a create POST: nothing to create, read or delete';
  if (params.length === 0 && op.method === 'POST' && !ops.some((o) => o.path === op.path && o.method === 'GET'))
    return 'a POST without a list GET on the same path: not a collection';
  if (params.length === 0) return 'a collection without an item path with one parameter and a GET';
  return 'an item path whose collection has no list GET and create POST';
}

function answersEventStream(model: OpenApiModel, op: Operation): boolean {
  const documented = model.response(op, 200);
  const content = documented && isObj(documented.response.content) ? documented.response.content : {};
  return Object.keys(content).some((t) => t.toLowerCase().startsWith('text/event-stream'));
}

/** The file part of a multipart request body: its field, stated limit and accepted types. */
function multipartFile(model: OpenApiModel, op: Operation): { field: string; maxBytes?: number; allowedTypes: string[] } | undefined {
  const body = model.resolve(op.op.requestBody);
  if (!isObj(body) || !isObj(body.content)) return undefined;
  const media = body.content['multipart/form-data'];
  if (!isObj(media)) return undefined;
  const { properties } = collectProperties(model, media.schema);
  for (const [field, raw] of Object.entries(properties)) {
    const p = model.resolve(raw);
    if (!isObj(p) || !(p.format === 'binary' || typeof p.contentMediaType === 'string' || p.contentEncoding !== undefined)) continue;
    if (p.format !== 'binary' && p.contentMediaType === 'application/json') continue; // a JSON text field, not a file
    const encoding = isObj(media.encoding) && isObj(media.encoding[field]) ? (media.encoding[field] as Obj) : {};
    const fromEncoding =
      typeof encoding.contentType === 'string'
        ? encoding.contentType
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean)
        : [];
    const fromSchema =
      typeof p.contentMediaType === 'string' && p.contentMediaType !== 'application/octet-stream' ? [p.contentMediaType] : [];
    const allowedTypes = (fromEncoding.length ? fromEncoding : fromSchema).filter((t) => !t.includes('*'));
    return { field, ...(typeof p.maxLength === 'number' ? { maxBytes: p.maxLength } : {}), allowedTypes };
  }
  return undefined;
}

/** A body the service must refuse with 422: a required string emptied below its minLength. */
function invalidBody(model: OpenApiModel, media: Obj, valid: Record<string, unknown>): Record<string, unknown> | undefined {
  const { properties, required } = collectProperties(model, media.schema);
  for (const name of required) {
    const p = model.resolve(properties[name]);
    if (isObj(p) && typeof p.minLength === 'number' && p.minLength > 0 && typeof valid[name] === 'string') return { ...valid, [name]: '' };
  }
  for (const name of required) {
    const p = model.resolve(properties[name]);
    if (isObj(p) && (p.type === 'integer' || p.type === 'number') && typeof p.minimum === 'number')
      return { ...valid, [name]: p.minimum - 1 };
  }
  return undefined;
}
