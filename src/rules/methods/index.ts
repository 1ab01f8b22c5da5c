import { deleteIdempotent } from './delete-idempotent.ts';
import { getSafe } from './get-safe.ts';
import { putIdempotent } from './put-idempotent.ts';
import type { RuleBehaviour } from '../types.ts';

export const METHODS_RULES: Record<string, RuleBehaviour> = {
  'methods.put-idempotent': putIdempotent,
  'methods.delete-idempotent': deleteIdempotent,
  'methods.get-safe': getSafe,
};
