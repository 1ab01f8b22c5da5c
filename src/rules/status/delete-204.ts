import { exchangeById, failed, passed, skipped, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { resourcesDeleteProbe } from '../../probes/resources.ts';
import { outputOf } from '../../probes/types.ts';

/** SPEC §6 status.delete-204: DELETE → 204 with an empty body; a following GET → 404. */
export const statusDelete204 = defineRule('status.delete-204', {
  probes: [resourcesDeleteProbe],
  check(rec) {
    const pairs = Object.values(outputOf(rec, resourcesDeleteProbe) ?? {});
    if (!pairs.length) return skipped('nothing-to-check', 'no item was created, so none was deleted');
    const findings: Finding[] = [];
    const seen = [];
    for (const pair of pairs) {
      const del = exchangeById(rec, pair.delete);
      const after = exchangeById(rec, pair.after);
      if (!del?.response) return unanswered(del ? [del] : []);
      seen.push(del);
      if (del.response.status !== 204) {
        findings.push({
          message: `DELETE answered ${del.response.status}, expected 204 No Content`,
          exchanges: [del.id],
          expected: '204',
          received: String(del.response.status),
        });
      } else if (del.response.bodyBytes > 0) {
        findings.push({
          message: `DELETE answered 204 with a ${del.response.bodyBytes}-byte body (204 has none)`,
          exchanges: [del.id],
          expected: 'empty body',
        });
      }
      if (after?.response && after.response.status !== 404) {
        findings.push({
          message: `GET after DELETE answered ${after.response.status}, expected 404 (the item should be gone)`,
          exchanges: [after.id],
          expected: '404',
          received: String(after.response.status),
        });
      }
      if (after) seen.push(after);
    }
    return findings.length
      ? failed('delete did not answer 204 and remove the item', findings)
      : passed(`${pairs.length} delete(s) answered 204 with no body; the item then answered 404`, seen);
  },
});
