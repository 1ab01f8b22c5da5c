import { describe, errorResponses, failed, isObject, jsonBody, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { resourcesNotFoundProbe, routeUnknownProbe } from '../../probes/resources.ts';

/**
 * SPEC §6 errors.status-matches: a problem's `status` member equals the HTTP status. A `status`
 * that is no integer is the schema's finding (errors.shape), not a disagreement to report again.
 */
export const errorsStatusMatches = defineRule('errors.status-matches', {
  probes: [resourcesNotFoundProbe, routeUnknownProbe],
  runWide: true,
  check(rec) {
    const judged = errorResponses(rec).filter((e) => {
      const b = jsonBody(e);
      return isObject(b) && Number.isInteger(b.status);
    });
    if (!judged.length) return skipped('nothing-to-check', 'no error body of the run carried an integer `status` member');
    const findings: Finding[] = [];
    for (const e of judged) {
      const member = (jsonBody(e) as Record<string, unknown>).status;
      if (member !== e.response!.status) {
        findings.push({
          message: `${describe(e)} but the body says status ${JSON.stringify(member)}`,
          exchanges: [e.id],
          at: '$.status',
          expected: String(e.response!.status),
          received: JSON.stringify(member),
        });
      }
    }
    return findings.length
      ? failed('problem `status` disagrees with the HTTP status', findings)
      : passed(`all ${judged.length} problem bodies repeat their HTTP status`, judged);
  },
});
