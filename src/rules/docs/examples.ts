import { missingExamples } from '../../openapi/lint.ts';
import { failed, passed, skipped } from '../support.ts';
import { documentFor, READABLE_DOCUMENT } from './document.ts';
import { defineRule } from '../define.ts';
import { openapiDocumentProbe } from '../../probes/docs.ts';

/**
 * SPEC §6 docs.examples: request body schemas carry examples. Judged on JSON request bodies
 * (an example of a file upload says nothing); an example on the media type, on the schema,
 * or on every required property of the schema (every property when none is required) counts
 * (FastAPI puts Field(example=…) on properties).
 */
export const docsExamples = defineRule('docs.examples', {
  probes: [openapiDocumentProbe],
  dependsOn: [READABLE_DOCUMENT],
  check(rec) {
    const doc = documentFor(rec);
    if ('outcome' in doc) return doc.outcome;
    const { gaps, bodies } = missingExamples(doc.model);
    if (!bodies) return skipped('nothing-to-check', 'the document has no JSON request body');
    if (gaps.length) {
      return failed(
        `${gaps.length} of ${bodies} JSON request bodies carry no example`,
        gaps.map((g) => ({
          message: `${g.what} (at ${g.pointer})`,
          exchanges: doc.exchange ? [doc.exchange.id] : [],
          at: g.pointer,
          expected: 'an example',
          received: 'none',
        })),
      );
    }
    return passed(`all ${bodies} JSON request bodies carry examples`, doc.exchange ? [doc.exchange] : []);
  },
});
