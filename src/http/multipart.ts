/**
 * multipart/form-data bodies produced by a generator, one reused chunk at a time, so an upload
 * of any size costs the harness a few hundred KiB of memory (SPEC §6 uploads.too-large: "the
 * harness streams it, never buffers it whole"). The exact length is known up front, so the
 * request carries a Content-Length a service can refuse early on.
 */
import { randomBytes } from 'node:crypto';

const CHUNK = 64 * 1024;

export interface MultipartFile {
  /** Form field name (targets.yaml uploads[].field). */
  readonly field: string;
  readonly filename: string;
  readonly contentType: string;
  /** Size of the file part's content in bytes. */
  readonly bytes: number;
  /** First bytes of the content (e.g. "%PDF-1.7\n" or '{"pad":"'); the rest is filler. */
  readonly head?: string;
  /** Last bytes of the content (e.g. '"}' to close a JSON document). */
  readonly tail?: string;
}

export interface MultipartBody {
  readonly contentType: string;
  readonly bytes: number;
  readonly body: AsyncIterable<Uint8Array>;
  readonly description: string;
  /** curl -F argument reproducing the file part with a file of the same size. */
  readonly curlForm: readonly string[];
}

export function multipartBody(file: MultipartFile): MultipartBody {
  const boundary = `conformance-${randomBytes(12).toString('hex')}`;
  const opening = Buffer.from(
    `--${boundary}\r\n` +
      `Content-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\n` +
      `Content-Type: ${file.contentType}\r\n\r\n`,
  );
  const closing = Buffer.from(`\r\n--${boundary}--\r\n`);
  const head = Buffer.from(file.head ?? '');
  const tail = Buffer.from(file.tail ?? '');
  if (head.length + tail.length > file.bytes) throw new Error(`a ${file.bytes}-byte file cannot hold its head and tail`);
  const fillerBytes = file.bytes - head.length - tail.length;
  const bytes = opening.length + file.bytes + closing.length;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    bytes,
    body: parts(opening, head, fillerBytes, tail, closing),
    description: `(multipart/form-data, ${bytes} bytes, streamed: field "${file.field}", file "${file.filename}" of ${file.bytes} bytes, type ${file.contentType})`,
    curlForm: [`${file.field}=@${file.filename};type=${file.contentType}`],
  };
}

async function* parts(opening: Buffer, head: Buffer, fillerBytes: number, tail: Buffer, closing: Buffer): AsyncIterable<Uint8Array> {
  yield opening;
  if (head.length) yield head;
  // One filler chunk, reused: its content never changes, so a chunk still queued in the
  // socket when the next is handed over is the same bytes.
  const filler = Buffer.alloc(Math.min(CHUNK, Math.max(fillerBytes, 1)), 0x78);
  let left = fillerBytes;
  while (left > 0) {
    const n = Math.min(filler.length, left);
    yield n === filler.length ? filler : filler.subarray(0, n);
    left -= n;
  }
  if (tail.length) yield tail;
  yield closing;
}
