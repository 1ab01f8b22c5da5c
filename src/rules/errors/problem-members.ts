import { describe, errorResponses, failed, isObject, jsonBody, passed, skipped } from '../support.ts';
import type { Exchange } from '../../http/exchange.ts';
import type { CheckContext, Finding, Recording } from '../types.ts';
import { defineRule } from '../define.ts';
import { shapeFindings } from './error-body.ts';
import { resourcesNotFoundProbe, routeUnknownProbe } from '../../probes/resources.ts';

/** JSON error bodies that are problems by the profile's schema: the ones this rule judges. */
const problemBodies = (rec: Recording, ctx: CheckContext): Exchange[] =>
  errorResponses(rec).filter((e) => isObject(jsonBody(e)) && !shapeFindings(e, ctx).length);

/**
 * SPEC §6 errors.problem-members: problem bodies carry `type` and `title` (RFC 9457 §3.1).
 * It judges the bodies that are problems by the profile's schema (where both members are
 * optional); a body that is no problem at all (`{"detail": "Not Found"}`, GitHub's
 * `{"message": …}`) is errors.shape's finding, and when no body is a problem this rule is blocked
 * by it: one cause, one finding (issue 13's field review: FastAPI, Prism over GitHub).
 */
export const errorsProblemMembers = defineRule('errors.problem-members', {
  probes: [resourcesNotFoundProbe, routeUnknownProbe],
  runWide: true,
  dependsOn: [{ rule: 'errors.shape', needs: 'error bodies in the problem format', when: (rec, ctx) => !problemBodies(rec, ctx).length }],
  check(rec, ctx) {
    const judged = problemBodies(rec, ctx);
    if (!judged.length) {
      const json = errorResponses(rec).filter((e) => isObject(jsonBody(e))).length;
      return skipped(
        'nothing-to-check',
        json ? `none of ${json} JSON error bodies is a problem (errors.shape judges them)` : 'the run saw no JSON error body',
      );
    }
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
