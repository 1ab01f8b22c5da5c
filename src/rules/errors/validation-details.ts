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
  return namedField(isObject(body.error) ? body.error.details : undefined) !== undefined;
}

/** Members of an entry whose value says where (SPEC §8). */
const WHERE = ['field', 'loc', 'path', 'name'] as const;
/** Keys of `details` that say what or why, not where: a details object with only these names no field. */
const NOT_FIELDS = new Set([
  'message',
  'msg',
  'reason',
  'description',
  'detail',
  'error',
  'code',
  'hint',
  'type',
  'title',
  'status',
  'summary',
  'info',
]);

/**
 * SPEC §8 (envelope profile): `error.details` names at least one offending field, as a key
 * (`{"name": [...]}`) or as the value of a `field`, `loc`, `path` or `name` member of an entry
 * in `details`, `details.errors` or `details.fields`. Details that say what went wrong but not
 * where name none. Returns the first field named.
 */
function namedField(details: unknown): string | undefined {
  const fromEntries = (entries: readonly unknown[]): string | undefined => {
    for (const entry of entries) {
      if (!isObject(entry)) continue;
      for (const key of WHERE) {
        const v = entry[key];
        if (typeof v === 'string' && v.trim()) return v;
        if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v.join('.');
      }
    }
    return undefined;
  };
  if (Array.isArray(details)) return fromEntries(details);
  if (!isObject(details)) return undefined;
  for (const key of ['errors', 'fields'] as const) {
    const inner = details[key];
    if (Array.isArray(inner)) {
      const found = fromEntries(inner);
      if (found) return found;
    } else if (isObject(inner)) {
      const found = Object.keys(inner).find((k) => !NOT_FIELDS.has(k));
      if (found) return found;
    }
  }
  return Object.keys(details).find((k) => k !== 'errors' && k !== 'fields' && !NOT_FIELDS.has(k));
}

/** SPEC §6 errors.validation-details: 422 bodies name the offending fields (SPEC §8 reading). */
export const errorsValidationDetails = defineRule('errors.validation-details', {
  probes: [resourcesValidationProbe],
  runWide: true,
  check(rec, ctx) {
    const format = ctx.target.conventions.error_format;
    const judged = errorResponses(rec).filter((e) => e.response!.status === 422);
    if (!judged.length) return skipped('nothing-to-check', 'the run saw no 422 response');
    const expected =
      format === 'problem'
        ? '`detail` as a non-empty array of {loc, msg, type}'
        : '`error.details` naming a field (as a key, or a field/loc/path/name member of an entry)';
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
