/**
 * Uploads (SPEC §6 uploads.*): a file of `max_bytes`+1 bytes, streamed from a generator and
 * never held in memory, and a small file of a type outside `allowed_types`. Both are writes
 * (POST), so both are mutating; a path with `{id}` uploads to an item the harness created.
 */
import type { Resource, Target, Upload } from '../config/target.ts';
import { multipartBody, type MultipartFile } from '../http/multipart.ts';
import { createdItem, credentialFor, resourcesCreateProbe } from './resources.ts';
import { idOf, tally } from './support.ts';
import { defineProbe, type ProbeContext, type ProbeDef, type RequestEstimate } from './types.ts';

export interface UploadProbeOutput {
  readonly upload: string;
  readonly exchange?: number;
  /** Why nothing was sent for this upload. */
  readonly skipped?: string;
  readonly fileBytes?: number;
  readonly fileType?: string;
}

/** Types no document service should take, tried in order: the first not allowed is sent. */
const DISALLOWED_CANDIDATES = ['application/x-msdownload', 'application/x-sh', 'image/svg+xml', 'application/octet-stream'];

export function uploadResource(target: Target, upload: Upload): Resource | undefined {
  return upload.resource ? target.resources.find((r) => r.name === upload.resource) : target.resources[0];
}

/** Head and tail that make the filler a plausible file of the type (the size must be the only fault). */
function framing(type: string): Pick<MultipartFile, 'head' | 'tail'> {
  if (type === 'application/json' || type.endsWith('+json')) return { head: '{"conformance_padding": "', tail: '"}' };
  if (type === 'application/pdf') return { head: '%PDF-1.7\n%', tail: '\n%%EOF\n' };
  if (type === 'text/html') return { head: '<!doctype html><p>', tail: '</p>\n' };
  return {};
}

const extension = (type: string): string =>
  (
    ({
      'application/json': 'json',
      'application/pdf': 'pdf',
      'text/plain': 'txt',
      'text/html': 'html',
      'text/csv': 'csv',
      'application/x-msdownload': 'exe',
      'application/x-sh': 'sh',
      'image/svg+xml': 'svg',
    }) as Record<string, string>
  )[type] ?? 'bin';

async function sendUpload(
  ctx: ProbeContext,
  upload: Upload,
  file: Omit<MultipartFile, 'field' | 'filename'>,
  purpose: string,
): Promise<UploadProbeOutput> {
  const resource = uploadResource(ctx.target, upload);
  let path = upload.path;
  if (path.includes('{id}')) {
    const itemId = resource ? createdItem(ctx, resource)?.itemId : undefined;
    if (!itemId)
      return {
        upload: upload.path,
        skipped: `no ${resource?.name ?? 'resource'} item was created to upload to (its create failed or has no body)`,
      };
    path = path.replace('{id}', encodeURIComponent(itemId));
  }
  const body = multipartBody({ ...file, field: upload.field, filename: `conformance-upload.${extension(file.contentType)}` });
  // Streams at ≥1 MB/s at worst: the budget grows with the size.
  const timeoutMs = ctx.target.timeoutMs + Math.ceil(body.bytes / 1_000_000) * 1000;
  const exchange = await ctx.send({
    purpose,
    method: 'POST',
    path,
    credential: credentialFor(ctx.target, resource),
    headers: { 'content-type': body.contentType },
    stream: body,
    timeoutMs,
  });
  // A service that wrongly accepts may have created an item: it is deleted at the end.
  const status = exchange.response?.status ?? 0;
  const createdId = status >= 200 && status < 300 ? idOf(exchange) : undefined;
  if (createdId && resource && !upload.path.includes('{id}')) ctx.created(resource, createdId);
  return { upload: upload.path, exchange: exchange.id, fileBytes: file.bytes, fileType: file.contentType };
}

/**
 * One request per upload (none to an item path when no item was created); an upload to the
 * collection that a faulty service accepts leaves an item the cleanup deletes.
 */
function uploadsEstimate(t: Target, uploads: readonly Upload[]): RequestEstimate {
  return tally(
    uploads.map((u) => {
      const r = uploadResource(t, u);
      const toItem = u.path.includes('{id}');
      const sent = toItem && !r?.create ? 0 : 1;
      return [credentialFor(t, r), sent, toItem ? sent : 2 * sent];
    }),
  );
}

export const uploadsTooLargeProbe = defineProbe({
  name: 'uploads:too-large',
  mutating: true,
  needs: [resourcesCreateProbe],
  estimate: (t) => uploadsEstimate(t, t.uploads),
  run: async (ctx) => {
    const out: UploadProbeOutput[] = [];
    for (const upload of ctx.target.uploads) {
      const type = upload.allowedTypes[0] ?? 'application/octet-stream';
      out.push(
        await sendUpload(
          ctx,
          upload,
          { contentType: type, bytes: upload.maxBytes + 1, ...framing(type) },
          `upload a ${type} file of max_bytes+1 (${upload.maxBytes + 1} bytes), streamed`,
        ),
      );
    }
    return out;
  },
});

export const uploadsContentTypeProbe = defineProbe({
  name: 'uploads:content-type',
  mutating: true,
  needs: [resourcesCreateProbe],
  estimate: (t) =>
    uploadsEstimate(
      t,
      t.uploads.filter((u) => u.allowedTypes.length),
    ),
  run: async (ctx) => {
    const out: UploadProbeOutput[] = [];
    for (const upload of ctx.target.uploads) {
      const allowed = upload.allowedTypes.map((t) => t.toLowerCase());
      if (!allowed.length) {
        out.push({ upload: upload.path, skipped: 'allowed_types is not declared' });
        continue;
      }
      const type = DISALLOWED_CANDIDATES.find((t) => !allowed.includes(t))!;
      out.push(
        await sendUpload(
          ctx,
          upload,
          { contentType: type, bytes: Math.min(1024, upload.maxBytes), head: 'MZ' },
          `upload a small file of type ${type}, outside allowed_types (${allowed.join(', ')})`,
        ),
      );
    }
    return out;
  },
});

export const UPLOAD_PROBES: readonly ProbeDef[] = [uploadsTooLargeProbe, uploadsContentTypeProbe];
