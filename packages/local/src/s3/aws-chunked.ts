import { crc32 } from 'node:zlib';
import { LocalStackError } from '../errors.js';
import { checksumMismatch } from './checksums.js';

/**
 * An `aws-chunked` body decoded: the object bytes and the trailing headers
 * (e.g. `x-amz-checksum-crc32`).
 *
 * @example
 * ```ts
 * const { body, trailers } = await decodeAwsChunked(req);
 * ```
 */
export interface DecodedChunks {
  /** The object bytes: views of the chunks received, never copied or joined (a body may be 25 MB). */
  readonly body: Buffer[];
  readonly length: number;
  readonly trailers: Record<string, string>;
}

const MAX_LINE = 4096;

type State = 'size' | 'data' | 'data-end' | 'trailer' | 'done';

/**
 * Decodes an `aws-chunked` request body (SigV4 streaming, signed or unsigned,
 * with or without trailers) into the object bytes, and verifies a CRC32
 * trailer when there is one. Throws {@link LocalStackError} on bad framing or
 * a checksum mismatch: never lets framing reach the stored object.
 *
 * @example
 * ```ts
 * const { body } = await decodeAwsChunked([Buffer.from('3\r\nabc\r\n0\r\n\r\n')]); // [<'abc'>]
 * ```
 */
export async function decodeAwsChunked(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): Promise<DecodedChunks> {
  const out: Buffer[] = [];
  const trailers: Record<string, string> = {};
  let pending: Buffer = Buffer.alloc(0);
  let state = 'size' as State;
  let left = 0;
  let length = 0;
  let crc = 0;
  for await (const chunk of source) {
    // Only a framing line split across two chunks is joined; data is kept as views of what arrived.
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    pending = pending.length === 0 ? bytes : Buffer.concat([pending, bytes]);
    for (;;) {
      if (state === 'data') {
        const take = Math.min(left, pending.length);
        if (take > 0) {
          const data = pending.subarray(0, take);
          out.push(data);
          crc = crc32(data, crc);
          length += take;
        }
        pending = pending.subarray(take);
        left -= take;
        if (left > 0) break;
        state = 'data-end';
        continue;
      }
      if (state === 'done') {
        if (pending.length > 0) throw new LocalStackError('aws-chunked body has bytes after its end');
        break;
      }
      const eol = pending.indexOf('\r\n');
      if (eol === -1) {
        if (pending.length > MAX_LINE) throw new LocalStackError('aws-chunked framing line is too long');
        break;
      }
      const line = pending.subarray(0, eol).toString('latin1');
      pending = pending.subarray(eol + 2);
      if (state === 'data-end') {
        if (line !== '') throw new LocalStackError('aws-chunked chunk is not followed by CRLF');
        state = 'size';
      } else if (state === 'size') {
        const size = /^([0-9a-fA-F]{1,8})(;.*)?$/.exec(line);
        if (!size) throw new LocalStackError(`bad aws-chunked size line "${line.slice(0, 80)}"`);
        left = Number.parseInt(size[1] as string, 16);
        state = left === 0 ? 'trailer' : 'data';
      } else if (line === '') {
        state = 'done';
      } else {
        const colon = line.indexOf(':');
        trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
    }
  }
  if (!complete(state, pending.length)) {
    throw new LocalStackError('aws-chunked body ends before its final chunk');
  }
  const mismatch = checksumMismatch(out, trailers, crc);
  if (mismatch !== undefined) throw new ChecksumMismatch(`aws-chunked ${mismatch}`);
  return { body: out, length, trailers };
}

// Trailers are optional: a body may end right after the final chunk.
function complete(state: State, pendingLength: number): boolean {
  return state === 'done' || (state === 'trailer' && pendingLength === 0);
}

/**
 * A trailer checksum that does not match the bytes: S3 answers `BadDigest` (the bytes changed on their way; the same
 * request may succeed again), not `InvalidRequest` as for bad framing.
 *
 * @example
 * ```ts
 * if (error instanceof ChecksumMismatch) sendS3Error(res, 400, 'BadDigest', error.message);
 * ```
 */
export class ChecksumMismatch extends LocalStackError {
  override name = 'ChecksumMismatch';
}
