import { errorResponses, failed, passed, skipped } from '../support.ts';
import { shapeFindings } from './error-body.ts';
import { defineRule } from '../define.ts';
import { resourcesNotFoundProbe, routeUnknownProbe } from '../../probes/resources.ts';

/** SPEC §6 errors.shape, run-wide: every 4xx/5xx body matches the profile's error schema. */
export const errorsShape = defineRule('errors.shape', {
  probes: [resourcesNotFoundProbe, routeUnknownProbe],
  runWide: true,
  check(rec, ctx) {
    const errors = errorResponses(rec);
    if (!errors.length) return skipped('nothing-to-check', 'the run saw no 4xx/5xx response');
    const findings = errors.flatMap((e) => shapeFindings(e, ctx));
    return findings.length
      ? failed(
          `${new Set(findings.flatMap((f) => f.exchanges)).size} of ${errors.length} error responses do not have the ${ctx.target.conventions.error_format} error shape`,
          findings,
        )
      : passed(`all ${errors.length} error responses of the run have the ${ctx.target.conventions.error_format} error shape`, errors);
  },
});
