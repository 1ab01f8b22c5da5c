import { bodyExcerpt, errorResponses, failed, isObject, jsonBody, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { resourcesValidationProbe } from '../../probes/resources.ts';

/** Does a 422 body name the offending fields in the profile's way? */
function namesFields(body: unknown, format: 'problem' | 'envelope'): boolean {
  if (!isObject(body)) return false;
  if (format === 'problem') {
    return (
      Array.isArray(body.detail) &&
      body.detail.length > 0 &&
      body.detail.every(
        (d) => isObject(d) && Array.isArray(d.loc) && d.loc.length > 0 && typeof d.msg === 'string' && typeof d.type === 'string',
      )
    );
  }
  const details = isObject(body.error) ? body.error.details : undefined;
  return Array.isArray(details) ? details.length > 0 : isObject(details) && Object.keys(details).length > 0;
}

/** SPEC §6 errors.validation-details: 422 bodies name the offending fields. */
export const errorsValidationDetails = defineRule('errors.validation-details', {
  probes: [resourcesValidationProbe],
  runWide: true,
  check(rec, ctx) {
    const format = ctx.target.conventions.error_format;
    const judged = errorResponses(rec).filter((e) => e.response!.status === 422);
    if (!judged.length) return skipped('nothing-to-check', 'the run saw no 422 response');
    const expected = format === 'problem' ? '`detail` as a non-empty array of {loc, msg, type}' : 'a non-empty `error.details`';
    const findings: Finding[] = judged
      .filter((e) => !namesFields(jsonBody(e), format))
      .map((e) => ({
        message: `422 body does not name the offending fields: expected ${expected}`,
        exchanges: [e.id],
        at: format === 'problem' ? '$.detail' : '$.error.details',
        expected,
        received: bodyExcerpt(e, 160),
      }));
    return findings.length
      ? failed('422 bodies do not say which fields are wrong', findings)
      : passed(`all ${judged.length} 422 bodies name the offending fields`, judged);
  },
});
