import { judgeUploads } from './judge.ts';
import { defineRule } from '../define.ts';
import { uploadsTooLargeProbe } from '../../probes/uploads.ts';

/**
 * SPEC §6 uploads.too-large: a file of `max_bytes`+1 bytes → 413 or 400 with the error shape,
 * also when the service answers before reading it all (the harness streams the file and
 * records an early answer; a connection closed without any answer fails).
 */
export const uploadsTooLarge = defineRule('uploads.too-large', {
  probes: [uploadsTooLargeProbe],
  check: (rec, ctx) => judgeUploads(rec, ctx, uploadsTooLargeProbe, [413, 400], 'an upload of max_bytes+1'),
});
