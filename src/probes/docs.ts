/**
 * The OpenAPI document, fetched once and read by docs, versioning and discovery; the docs UI;
 * and the fields the document says a create body requires (status.validation-422 removes them).
 */
import { hasCredential } from '../config/target.ts';
import { documentOf, DOCUMENT_PROBE, parseDocument } from '../openapi/document.ts';
import { readFileSync, statSync } from 'node:fs';
import { isUrlSource, type SourceOutput } from '../openapi/source.ts';
import { collectProperties } from '../openapi/sample.ts';
import { validateDocument, type DocumentValidation } from '../openapi/validate.ts';
import { tally } from './support.ts';
import { defineProbe, type ProbeContext, type ProbeDef } from './types.ts';

export interface OpenApiOutput {
  /** Exchange that fetched the document. */
  readonly exchange: number;
  /** The document `openapi_source` declares, which discovery and the schema rules read instead (SPEC §3). */
  readonly source?: SourceOutput;
  /** The document checked against the OpenAPI schemas of its version (absent when it could not be parsed). */
  readonly validation?: DocumentValidation;
  /**
   * Why the body, read whole, is not a document, when the recording keeps only its head
   * (a hostile 50 MB body must not travel to every worker): judged here, once.
   */
  readonly problem?: string;
}

/** Large services publish documents of several MB (GitHub's: 13 MB); keep them whole up to 64 MB (SPEC §7). */
const DOCUMENT_CAP = 64 * 1024 * 1024;

/** A body that is not a document is kept in the recording only this far (the client's small body cap). */
const HEAD_BYTES = 16 * 1024;

export const openapiDocumentProbe = defineProbe({
  name: DOCUMENT_PROBE,
  // Asked again with credentials when the anonymous request is refused.
  estimate: (t) =>
    tally([
      ['none', 1 + (t.openapiSource && isUrlSource(t.openapiSource) ? 1 : 0)],
      [hasCredential(t, 'bearer') ? 'bearer' : 'api_key', 0, hasCredential(t, 'bearer') || t.auth.api_key ? 1 : 0],
    ]),
  run: async (ctx): Promise<OpenApiOutput> => {
    const fetch = (credential: 'none' | 'bearer' | 'api_key') =>
      ctx.send({
        purpose: `fetch the OpenAPI document${credential === 'none' ? '' : ' with credentials (it refused an anonymous request)'}`,
        method: 'GET',
        path: ctx.target.openapi,
        credential,
        scope: 'docs',
        bodyCap: DOCUMENT_CAP,
        headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.1' },
      });
    let exchange = await fetch('none');
    // FastAPI serves its document publicly; some services put it behind their credentials.
    const refused = exchange.response?.status === 401 || exchange.response?.status === 403;
    if (refused && (hasCredential(ctx.target, 'bearer') || ctx.target.auth.api_key))
      exchange = await fetch(hasCredential(ctx.target, 'bearer') ? 'bearer' : 'api_key');
    const parsed = parseDocument(exchange);
    const source = ctx.target.openapiSource ? await readSource(ctx.target.openapiSource, ctx) : undefined;
    const withSource = source ? { source } : {};
    const large = Buffer.byteLength(exchange.response?.body ?? '') > HEAD_BYTES;
    if ('doc' in parsed && large && typeof parsed.doc.openapi !== 'string' && typeof parsed.doc.swagger !== 'string') {
      // Large and not a description at all (50 MB of spaces around `{}`): judged here, kept as its head.
      const problem = 'is not an OpenAPI description (no `openapi` or `swagger` version field)';
      ctx.client.keepHead(exchange.id, problem);
      return { exchange: exchange.id, problem, ...withSource };
    }
    if ('doc' in parsed) return { exchange: exchange.id, validation: await validateDocument(parsed.doc), ...withSource };
    // A cut body is re-read as cut by every reader (not judged); any other problem is judged here, once.
    if (parsed.truncated || !exchange.response) return { exchange: exchange.id, ...withSource };
    ctx.client.keepHead(exchange.id, parsed.problem);
    return { exchange: exchange.id, problem: parsed.problem, ...withSource };
  },
});

/** Larger files are refused rather than held twice in every worker's recording. */
const MAX_FILE = 64 * 1024 * 1024;

function readSourceFile(location: string): SourceOutput {
  try {
    const size = statSync(location).size;
    if (size > MAX_FILE) return { location, problem: `is ${size} bytes, over the ${MAX_FILE} bytes the harness reads` };
    return { location, text: readFileSync(location, 'utf8') };
  } catch (e) {
    return { location, problem: `cannot be read: ${(e as Error).message.split('\n')[0]}` };
  }
}

/** A URL source goes without credentials or the target's headers: it may be on another origin. */
async function readSource(location: string, ctx: ProbeContext): Promise<SourceOutput> {
  if (!isUrlSource(location)) return readSourceFile(location);
  const exchange = await ctx.send({
    purpose: 'fetch the OpenAPI document openapi_source names',
    method: 'GET',
    url: location,
    credential: 'none',
    scope: 'docs',
    bodyCap: DOCUMENT_CAP,
    headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.1' },
  });
  return { location, exchange: exchange.id };
}

export const docsUiProbe = defineProbe({
  name: 'docs:ui',
  estimate: () => ({ none: 1 }),
  run: async (ctx) =>
    (
      await ctx.send({
        purpose: 'open the docs UI',
        method: 'GET',
        path: ctx.target.docsUi,
        credential: 'none',
        scope: 'docs',
        headers: { accept: 'text/html' },
      })
    ).id,
});

export const openapiRequiredFieldsProbe = defineProbe({
  name: 'openapi:required-fields',
  needs: [openapiDocumentProbe],
  estimate: () => ({}), // reads the document openapi:document fetched
  run: async (ctx): Promise<Record<string, string[]>> => {
    const found = documentOf({ exchanges: ctx.client.exchanges, outputs: { [DOCUMENT_PROBE]: ctx.output(openapiDocumentProbe) } });
    if (!('model' in found)) return {};
    const out: Record<string, string[]> = {};
    for (const r of ctx.target.resources) {
      const create = found.model.match('POST', r.collection);
      const body = create ? found.model.jsonRequestBody(create) : undefined;
      if (!body) continue;
      const { required } = collectProperties(found.model, body.media.schema);
      if (required.length) out[r.name] = [...new Set(required)];
    }
    return out;
  },
});

export const DOCS_PROBES: readonly ProbeDef[] = [openapiDocumentProbe, docsUiProbe, openapiRequiredFieldsProbe];
