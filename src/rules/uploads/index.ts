import { contentType } from './content-type.ts';
import { tooLarge } from './too-large.ts';
import type { RuleBehaviour } from '../types.ts';

export const UPLOADS_RULES: Record<string, RuleBehaviour> = {
  'uploads.too-large': tooLarge,
  'uploads.content-type': contentType,
};
