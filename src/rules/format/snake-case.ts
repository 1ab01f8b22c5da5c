import { openApiDocument } from '../openapi-lookup.ts';
import { judgeFields } from './fields.ts';
import { defineRule } from '../define.ts';
import { openapiDocumentProbe } from '../../probes/docs.ts';
import { healthProbe } from '../../probes/health.ts';
import { resourcesCreateProbe, resourcesListProbe, resourcesReadProbe } from '../../probes/resources.ts';

const SNAKE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

/** SPEC §6 format.snake-case, run-wide: JSON field names are snake_case (free-form maps excluded, SPEC §8). */
export const formatSnakeCase = defineRule('format.snake-case', {
  probes: [openapiDocumentProbe, resourcesListProbe, resourcesReadProbe, resourcesCreateProbe, healthProbe],
  runWide: true,
  check: (rec, ctx) =>
    judgeFields(
      rec,
      openApiDocument(rec, ctx.target),
      (f) =>
        SNAKE.test(f.key)
          ? undefined
          : {
              problem: 'is not snake_case',
              expected: 'snake_case, e.g. created_at',
              received: f.key,
            },
      { pass: 'all field names are snake_case', fail: 'are not snake_case', nothing: 'the run saw no JSON object with named fields' },
    ),
});
