/**
 * What docs.descriptions and docs.examples look for in a document, each gap named by its JSON
 * pointer (both guidelines: 'Documentation by Example' / 'API Documentation').
 */
import { escapePointer, isJsonMediaType, isObj, type Obj, type OpenApiModel } from './document.ts';

export interface DocGap {
  /** JSON pointer of the operation, schema or property that lacks something. */
  readonly pointer: string;
  readonly what: string;
}

/** Operations without summary or description; schema properties without description. */
export function missingDescriptions(model: OpenApiModel): DocGap[] {
  const gaps: DocGap[] = [];
  for (const op of model.operations) {
    const text = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';
    if (!text(op.op.summary) && !text(op.op.description))
      gaps.push({ pointer: op.pointer, what: `operation ${op.method} ${op.path} has neither summary nor description` });
  }
  const seen = new Set<unknown>();
  const visit = (schema: unknown, pointer: string, depth: number): void => {
    if (!isObj(schema) || depth > 16 || seen.has(schema)) return;
    seen.add(schema);
    if (typeof schema.$ref === 'string') return; // judged where it is defined
    if (isObj(schema.properties)) {
      for (const [name, prop] of Object.entries(schema.properties)) {
        const at = `${pointer}/properties/${escapePointer(name)}`;
        if (!described(model, prop)) gaps.push({ pointer: at, what: `property "${name}" has no description` });
        visit(prop, at, depth + 1);
      }
    }
    for (const key of ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const) {
      const list = schema[key];
      if (Array.isArray(list)) for (const [i, s] of list.entries()) visit(s, `${pointer}/${key}/${i}`, depth + 1);
    }
    for (const key of ['items', 'additionalProperties', 'not'] as const) visit(schema[key], `${pointer}/${key}`, depth + 1);
  };
  const components = isObj(model.doc.components) && isObj(model.doc.components.schemas) ? model.doc.components.schemas : {};
  for (const [name, schema] of Object.entries(components)) visit(schema, `/components/schemas/${escapePointer(name)}`, 0);
  forEachMedia(model, (media, pointer) => visit(media.schema, `${pointer}/schema`, 0));
  return gaps;
}

/** A property is described by its own description, or (a $ref) by its target's. */
function described(model: OpenApiModel, prop: unknown): boolean {
  if (!isObj(prop)) return true; // boolean schemas carry nothing to describe
  if (typeof prop.description === 'string' && prop.description.trim()) return true;
  if (typeof prop.$ref === 'string') {
    const target = model.resolve(prop);
    return isObj(target) && typeof target.description === 'string' && target.description.trim() !== '';
  }
  // allOf: [{$ref}] with the description beside it is handled above; a lone wrapper counts through its ref.
  if (Array.isArray(prop.allOf) && prop.allOf.length === 1) return described(model, prop.allOf[0]);
  return false;
}

/** JSON request bodies that carry no example: not on the media type, the schema, nor every property. */
export function missingExamples(model: OpenApiModel): { gaps: DocGap[]; bodies: number } {
  const gaps: DocGap[] = [];
  let bodies = 0;
  for (const op of model.operations) {
    const body = model.jsonRequestBody(op);
    if (!body) continue;
    bodies++;
    if (hasExample(model, body.media)) continue;
    gaps.push({ pointer: body.pointer, what: `request body of ${op.method} ${op.path} (${body.mediaType}) has no example` });
  }
  return { gaps, bodies };
}

function hasExample(model: OpenApiModel, media: Obj): boolean {
  if (media.example !== undefined) return true;
  if (isObj(media.examples) && Object.keys(media.examples).length) return true;
  const schema = model.resolve(media.schema);
  if (!isObj(schema)) return false;
  if (schema.example !== undefined || (Array.isArray(schema.examples) && schema.examples.length)) return true;
  // Property by property (FastAPI's Field(example=…), as the backend guideline shows it): every
  // required property carries one, or every property when none is required.
  const properties = isObj(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required)
    ? schema.required.filter((k): k is string => typeof k === 'string' && k in properties)
    : [];
  const judged = required.length ? required.map((k) => properties[k]) : Object.values(properties);
  return (
    judged.length > 0 &&
    judged.every((p) => {
      const r = model.resolve(p);
      return isObj(r) && (r.example !== undefined || (Array.isArray(r.examples) && r.examples.length > 0));
    })
  );
}

/** Every request and response media object of every operation (refs followed), with its pointer. */
function forEachMedia(model: OpenApiModel, fn: (media: Obj, pointer: string) => void): void {
  const seen = new Set<string>();
  const each = (content: unknown, pointer: string): void => {
    if (!isObj(content)) return;
    for (const [type, media] of Object.entries(content)) {
      const at = `${pointer}/content/${escapePointer(type)}`;
      if (isObj(media) && !seen.has(at)) {
        seen.add(at);
        fn(media, at);
      }
    }
  };
  for (const op of model.operations) {
    const body = model.resolve(op.op.requestBody);
    if (isObj(body)) each(body.content, model.resolvedPointer(op.op.requestBody, `${op.pointer}/requestBody`));
    const responses = isObj(op.op.responses) ? op.op.responses : {};
    for (const [status, raw] of Object.entries(responses)) {
      const r = model.resolve(raw);
      if (isObj(r)) each(r.content, model.resolvedPointer(raw, `${op.pointer}/responses/${escapePointer(status)}`));
    }
  }
}

export { isJsonMediaType };
