import { failed, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { documentFor } from './document.ts';
import { documentedTraffic, opLabel } from './traffic.ts';
import { defineRule } from '../define.ts';
import { openapiDocumentProbe } from '../../probes/docs.ts';

/** SPEC §6 docs.error-statuses, run-wide: every 4xx seen for a documented operation is documented (or covered by 4XX/default). */
export const docsErrorStatuses = defineRule('docs.error-statuses', {
  probes: [openapiDocumentProbe],
  runWide: true,
  check(rec) {
    const doc = documentFor(rec);
    if ('outcome' in doc) return doc.outcome;
    const seen = documentedTraffic(rec, doc.model).filter((m) => m.exchange.response.status >= 400 && m.exchange.response.status < 500);
    if (!seen.length) return skipped('nothing-to-check', 'no 4xx response of the run hit a documented operation');
    const findings: Finding[] = [];
    for (const { exchange: e, op } of seen) {
      if (doc.model.response(op, e.response.status)) continue;
      const documented = doc.model.documentedStatuses(op);
      findings.push({
        message: `${opLabel(op)} answered ${e.response.status}, which it does not document (documented: ${documented.join(', ') || 'none'})`,
        exchanges: [e.id],
        at: `${op.pointer}/responses`,
        expected: `${e.response.status}, 4XX or default documented`,
        received: `documented: ${documented.join(', ')}`,
      });
    }
    const statuses = [...new Set(seen.map((m) => m.exchange.response.status))].sort().join(', ');
    if (findings.length)
      return failed(`${findings.length} of ${seen.length} 4xx responses have a status their operation does not document`, findings);
    return passed(
      `${seen.length} 4xx responses (${statuses}) are all documented for their operations`,
      seen.map((m) => m.exchange),
    );
  },
});
