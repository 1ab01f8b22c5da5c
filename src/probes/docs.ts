/** The OpenAPI document, fetched once and read by docs, versioning and discovery. */
import type { ProbeDef } from './types.ts';

export interface OpenApiOutput {
  /** Exchange that fetched the document. */
  readonly exchange: number;
}

export const DOCS_PROBES: readonly ProbeDef[] = [
  {
    name: 'openapi:document',
    estimate: () => ({ none: 1 }),
    run: async (ctx): Promise<OpenApiOutput> => ({
      exchange: (await ctx.send({
        purpose: 'fetch the OpenAPI document', method: 'GET', path: ctx.target.openapi, credential: 'none', scope: 'docs',
      })).id,
    }),
  },
];
