import { openApiDocument } from '../openapi-lookup.ts';
import { judgeFields } from './fields.ts';
import { defineRule } from '../define.ts';
import { openapiDocumentProbe } from '../../probes/docs.ts';
import { resourcesCreateProbe, resourcesListProbe, resourcesReadProbe } from '../../probes/resources.ts';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** SPEC §6 format.uuid-ids, run-wide: fields named `id` hold UUIDs (RFC 9562 text form, any version). */
export const formatUuidIds = defineRule('format.uuid-ids', {
  probes: [openapiDocumentProbe, resourcesListProbe, resourcesReadProbe, resourcesCreateProbe],
  runWide: true,
  check: (rec, ctx) =>
    judgeFields(
      rec,
      openApiDocument(rec, ctx.target),
      (f) =>
        typeof f.value === 'string' && UUID.test(f.value)
          ? undefined
          : {
              problem: 'is not a UUID',
              expected: 'a UUID, e.g. 550e8400-e29b-41d4-a716-446655440000',
              received: JSON.stringify(f.value),
            },
      { pass: 'all `id` fields are UUIDs', fail: 'named `id` are not UUIDs', nothing: 'the run saw no `id` field' },
      (f) => f.key === 'id',
    ),
});
