import { openApiDocument } from '../openapi-lookup.ts';
import { judgeFields } from './fields.ts';
import { defineRule } from '../define.ts';
import { openapiDocumentProbe } from '../../probes/docs.ts';
import { healthProbe } from '../../probes/health.ts';
import { resourcesCreateProbe, resourcesListProbe, resourcesReadProbe } from '../../probes/resources.ts';

/** SPEC §6 format.boolean-prefix (platform), run-wide: boolean fields start with `is_` or `has_`. */
export const formatBooleanPrefix = defineRule('format.boolean-prefix', {
  probes: [openapiDocumentProbe, resourcesListProbe, resourcesReadProbe, resourcesCreateProbe, healthProbe],
  runWide: true,
  check: (rec, ctx) =>
    judgeFields(
      rec,
      openApiDocument(rec, ctx.target),
      (f) =>
        /^(is|has)_/.test(f.key)
          ? undefined
          : {
              problem: 'is a boolean without an is_/has_ prefix',
              expected: `is_${f.key} (or has_…)`,
              received: `${f.key}: ${String(f.value)}`,
            },
      { pass: 'all boolean fields start with is_ or has_', fail: 'are booleans without is_/has_', nothing: 'the run saw no boolean field' },
      (f) => typeof f.value === 'boolean',
    ),
});
