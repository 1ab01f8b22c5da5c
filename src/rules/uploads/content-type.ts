import { judgeUploads } from './judge.ts';
import { defineRule } from '../define.ts';
import { uploadsContentTypeProbe } from '../../probes/uploads.ts';

/** SPEC §6 uploads.content-type: a file of a type outside `allowed_types` → 400 or 415 with the error shape. */
export const uploadsContentType = defineRule('uploads.content-type', {
  probes: [uploadsContentTypeProbe],
  check: (rec, ctx) => judgeUploads(rec, ctx, uploadsContentTypeProbe, [415, 400], 'an upload of a type outside allowed_types'),
});
