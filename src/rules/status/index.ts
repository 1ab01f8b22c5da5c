import { create201 } from './create-201.ts';
import { delete204 } from './delete-204.ts';
import { noServerErrors } from './no-server-errors.ts';
import { read200 } from './read-200.ts';
import { malformedBody400 } from './malformed-body-400.ts';
import { methodNotAllowed405 } from './method-not-allowed-405.ts';
import { notFound404 } from './not-found-404.ts';
import { unknownRoute404 } from './unknown-route-404.ts';
import { validation422 } from './validation-422.ts';
import { update200 } from './update-200.ts';
import type { RuleBehaviour } from '../types.ts';

export const STATUS_RULES: Record<string, RuleBehaviour> = {
  'status.create-201': create201,
  'status.read-200': read200,
  'status.update-200': update200,
  'status.delete-204': delete204,
  'status.not-found-404': notFound404,
  'status.unknown-route-404': unknownRoute404,
  'status.validation-422': validation422,
  'status.malformed-body-400': malformedBody400,
  'status.method-not-allowed-405': methodNotAllowed405,
  'status.no-server-errors': noServerErrors,
};
