import { missingDescriptions } from '../../openapi/lint.ts';
import { failed, passed } from '../support.ts';
import { documentFor } from './document.ts';
import { defineRule } from '../define.ts';
import { openapiDocumentProbe } from '../../probes/docs.ts';

/** SPEC §6 docs.descriptions: every operation has a summary or description; schema properties have descriptions. */
export const docsDescriptions = defineRule('docs.descriptions', {
  probes: [openapiDocumentProbe],
  check(rec) {
    const doc = documentFor(rec);
    if ('outcome' in doc) return doc.outcome;
    const gaps = missingDescriptions(doc.model);
    if (gaps.length) {
      return failed(
        `${gaps.length} operation(s) or propert(ies) of the document lack a description`,
        gaps.map((g) => ({
          message: `${g.what} (at ${g.pointer})`,
          exchanges: [doc.exchange.id],
          at: g.pointer,
          expected: 'a summary/description',
          received: 'none',
        })),
      );
    }
    return passed(`all ${doc.model.operations.length} operations and every schema property are described`, [doc.exchange]);
  },
});
