import { booleanPrefix } from './boolean-prefix.ts';
import { jsonContentType } from './json-content-type.ts';
import { responseEnvelope } from './response-envelope.ts';
import { snakeCase } from './snake-case.ts';
import { timestamps } from './timestamps.ts';
import { uuidIds } from './uuid-ids.ts';
import type { RuleBehaviour } from '../types.ts';

export const FORMAT_RULES: Record<string, RuleBehaviour> = {
  'format.json-content-type': jsonContentType,
  'format.snake-case': snakeCase,
  'format.timestamps': timestamps,
  'format.boolean-prefix': booleanPrefix,
  'format.uuid-ids': uuidIds,
  'format.response-envelope': responseEnvelope,
};
