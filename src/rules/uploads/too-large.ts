import type { RuleBehaviour } from '../types.ts';
import { judgeUploads } from './judge.ts';

/**
 * SPEC §6 uploads.too-large: a file of `max_bytes`+1 bytes → 413 or 400 with the error shape,
 * also when the service answers before reading it all (the harness streams the file and
 * records an early answer; a connection closed without any answer fails).
 */
export const tooLarge: RuleBehaviour = {
  probes: ['uploads:too-large'],
  check: (rec, ctx) => judgeUploads(rec, ctx, 'uploads:too-large', [413, 400], 'an upload of max_bytes+1'),
};
