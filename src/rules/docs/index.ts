import { descriptions } from './descriptions.ts';
import { errorStatuses } from './error-statuses.ts';
import { examples } from './examples.ts';
import { openapi } from './openapi.ts';
import { responseSchema } from './response-schema.ts';
import type { RuleBehaviour } from '../types.ts';

export const DOCS_RULES: Record<string, RuleBehaviour> = {
  'docs.openapi': openapi,
  'docs.descriptions': descriptions,
  'docs.examples': examples,
  'docs.response-schema': responseSchema,
  'docs.error-statuses': errorStatuses,
};
