/** The document the docs rules read, or the outcome when there is none to judge. */
import { documentOf, type OpenApiModel } from '../../openapi/document.ts';
import type { Exchange } from '../../http/exchange.ts';
import { skipped } from '../support.ts';
import type { Dependency, Outcome, Recording } from '../types.ts';

/** `exchange`: the request that fetched the document (none when `openapi_source` is a file); `location`: where it came from. */
export function documentFor(rec: Recording): { model: OpenApiModel; exchange?: Exchange; location: string } | { outcome: Outcome } {
  const found = documentOf(rec);
  if ('model' in found) return found;
  // SPEC §6: prerequisite `openapi`, judged at run time (docs.openapi reports the document itself).
  return { outcome: skipped('missing-prerequisite', `${found.problem}; nothing to judge (docs.openapi says why)`) };
}

/**
 * SPEC §7 "one cause, one finding": an OpenAPI document that cannot be read (or was not served)
 * fails docs.openapi; the rules that read the document are blocked by it.
 */
export const READABLE_DOCUMENT: Dependency = {
  rule: 'docs.openapi',
  needs: 'a readable OpenAPI document',
  when: (rec) => !('model' in documentOf(rec)),
};
