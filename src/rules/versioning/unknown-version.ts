import { shapeFindings } from '../errors/error-body.ts';
import { describe, exchangesFromOutput, failed, passed, skipped, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { versioningUnknownVersionProbe } from '../../probes/versioning.ts';

/** SPEC §6 versioning.unknown-version: a path under /v99/ → 404 with the profile's error shape. */
export const versioningUnknownVersion = defineRule('versioning.unknown-version', {
  probes: [versioningUnknownVersionProbe],
  check(rec, ctx) {
    const judged = exchangesFromOutput(rec, versioningUnknownVersionProbe);
    if (!judged.length) return skipped('nothing-to-check', 'nothing was probed under /v99');
    const silent = judged.find((e) => !e.response);
    if (silent) return unanswered([silent]);
    const findings: Finding[] = [];
    for (const e of judged) {
      const s = e.response!.status;
      if (s !== 404) {
        findings.push({
          message: `${describe(e)}: an unknown version answered ${s}${s >= 200 && s < 300 ? ' (served as if it existed)' : ''}`,
          exchanges: [e.id],
          expected: '404 with the error shape',
          received: String(s),
        });
        continue;
      }
      findings.push(...shapeFindings(e, ctx));
    }
    return findings.length
      ? failed('unknown API versions are not answered 404 with the error shape', findings)
      : passed(`unknown versions answer 404 with the error shape (${judged.map(describe).join(', ')})`, judged);
  },
});
