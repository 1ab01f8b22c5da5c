import { describe, errorResponses, failed, isObject, jsonBody, passed, skipped } from '../support.ts';
import type { Finding, Recording } from '../types.ts';
import { defineRule } from '../define.ts';
import { resourcesNotFoundProbe, routeUnknownProbe } from '../../probes/resources.ts';

const jsonErrorBodies = (rec: Recording): Record<string, unknown>[] =>
  errorResponses(rec).flatMap((e) => {
    const body = jsonBody(e);
    return isObject(body) ? [body] : [];
  });

/**
 * SPEC §6 errors.problem-members: problem bodies carry `type` and `title` (RFC 9457 §3.1).
 * Error bodies that are not problem details at all (`{"detail": "Not Found"}`: no `type`, no
 * `title` anywhere) are errors.shape's finding; this rule is then blocked by it, not a second
 * failure for the same cause (issue 13's field review, FastAPI).
 */
export const errorsProblemMembers = defineRule('errors.problem-members', {
  probes: [resourcesNotFoundProbe, routeUnknownProbe],
  runWide: true,
  dependsOn: [
    {
      rule: 'errors.shape',
      needs: 'error bodies in the problem format',
      when: (rec) => !jsonErrorBodies(rec).some((b) => 'type' in b || 'title' in b),
    },
  ],
  check(rec) {
    const judged = errorResponses(rec).filter((e) => isObject(jsonBody(e)));
    if (!judged.length) return skipped('nothing-to-check', 'the run saw no JSON error body');
    const findings: Finding[] = [];
    for (const e of judged) {
      const body = jsonBody(e) as Record<string, unknown>;
      for (const member of ['type', 'title']) {
        if (typeof body[member] !== 'string') {
          findings.push({
            message: `problem body lacks \`${member}\``,
            exchanges: [e.id],
            at: `$.${member}`,
            expected: 'a string',
            received: body[member] === undefined ? 'absent' : JSON.stringify(body[member]),
          });
        }
      }
    }
    return findings.length
      ? failed(
          `problem bodies lack type/title (e.g. ${describe(judged.find((e) => findings.some((f) => f.exchanges.includes(e.id)))!)})`,
          findings,
        )
      : passed(`all ${judged.length} problem bodies carry type and title`, judged);
  },
});
