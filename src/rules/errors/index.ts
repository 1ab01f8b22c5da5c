import { codeFormat } from './code-format.ts';
import { contentType } from './content-type.ts';
import { noInternalLeak } from './no-internal-leak.ts';
import { problemMembers } from './problem-members.ts';
import { shape } from './shape.ts';
import { statusMatches } from './status-matches.ts';
import { validationDetails } from './validation-details.ts';
import type { RuleBehaviour } from '../types.ts';

export const ERRORS_RULES: Record<string, RuleBehaviour> = {
  'errors.shape': shape,
  'errors.status-matches': statusMatches,
  'errors.problem-members': problemMembers,
  'errors.content-type': contentType,
  'errors.validation-details': validationDetails,
  'errors.code-format': codeFormat,
  'errors.no-internal-leak': noInternalLeak,
};
