import type { RuleBehaviour } from '../types.ts';
import { judgeUploads } from './judge.ts';

/** SPEC §6 uploads.content-type: a file of a type outside `allowed_types` → 400 or 415 with the error shape. */
export const contentType: RuleBehaviour = {
  probes: ['uploads:content-type'],
  check: (rec, ctx) => judgeUploads(rec, ctx, 'uploads:content-type', [415, 400], 'an upload of a type outside allowed_types'),
};
