import { openApiDocument } from '../openapi-lookup.ts';
import type { RuleBehaviour } from '../types.ts';
import { judgeFields } from './fields.ts';

const SNAKE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

/** SPEC §6 format.snake-case, run-wide: JSON field names are snake_case (free-form maps excluded, SPEC §8). */
export const snakeCase: RuleBehaviour = {
  probes: ['openapi:document', 'resources:list', 'resources:read', 'resources:create', 'health'],
  runWide: true,
  check: (rec, ctx) => judgeFields(rec, openApiDocument(rec, ctx.target), (f) => (SNAKE.test(f.key) ? undefined : {
    problem: 'is not snake_case', expected: 'snake_case, e.g. created_at', received: f.key,
  }), { pass: 'all field names are snake_case', fail: 'are not snake_case', nothing: 'the run saw no JSON object with named fields' }),
};
