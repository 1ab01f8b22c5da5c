/**
 * The OpenAPI document, fetched once and read by docs, versioning and discovery; the docs UI;
 * and the fields the document says a create body requires (status.validation-422 removes them).
 */
import { documentOf, DOCUMENT_PROBE, parseDocument } from '../openapi/document.ts';
import { collectProperties } from '../openapi/sample.ts';
import { validateDocument, type DocumentValidation } from '../openapi/validate.ts';
import { tally } from './support.ts';
import { defineProbe, type ProbeDef } from './types.ts';

export interface OpenApiOutput {
  /** Exchange that fetched the document. */
  readonly exchange: number;
  /** The document checked against the OpenAPI schemas of its version (absent when it could not be parsed). */
  readonly validation?: DocumentValidation;
}

/** Large services publish documents of several MB; keep them whole. */
const DOCUMENT_CAP = 32 * 1024 * 1024;

export const openapiDocumentProbe = defineProbe({
  name: DOCUMENT_PROBE,
  // Asked again with credentials when the anonymous request is refused.
  estimate: (t) =>
    tally([
      ['none', 1],
      [t.auth.bearer ? 'bearer' : 'api_key', 0, t.auth.bearer || t.auth.api_key ? 1 : 0],
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
    if (refused && (ctx.target.auth.bearer || ctx.target.auth.api_key))
      exchange = await fetch(ctx.target.auth.bearer ? 'bearer' : 'api_key');
    const parsed = parseDocument(exchange);
    return { exchange: exchange.id, ...('doc' in parsed ? { validation: await validateDocument(parsed.doc) } : {}) };
  },
});

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
