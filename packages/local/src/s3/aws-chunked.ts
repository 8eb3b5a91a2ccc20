import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { crc32 } from 'node:zlib';
import { LocalStackError } from '../errors.js';
import { partFile } from './multipart-part.js';

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
  if (mismatch !== undefined) throw new LocalStackError(`aws-chunked ${mismatch}`);
  return { body: out, length, trailers };
}

// Trailers are optional: a body may end right after the final chunk.
function complete(state: State, pendingLength: number): boolean {
  return state === 'done' || (state === 'trailer' && pendingLength === 0);
}

/**
 * What is wrong with the `x-amz-checksum-*` fields of `fields` (trailers or request headers) against `body`, or
 * undefined when each matches; one of an algorithm the local S3 cannot compute is refused, not trusted. `crc` is
 * the body's CRC32 when the caller already has it.
 *
 * @example
 * ```ts
 * checksumMismatch([Buffer.from('hello')], { 'x-amz-checksum-crc32': 'AAAAAA==' }); // 'x-amz-checksum-crc32 AAAAAA== does not match the body'
 * ```
 */
export function checksumMismatch(
  body: readonly Buffer[],
  fields: Readonly<Record<string, string | string[] | undefined>>,
  crc?: number,
): string | undefined {
  for (const [name, expected] of Object.entries(fields)) {
    if (name === 'content-md5') {
      // Content-MD5 is a checksum too: S3 refuses bytes that do not match it (BadDigest).
      const hash = createHash('md5');
      for (const data of body) hash.update(data);
      const actual = hash.digest('base64');
      if (actual !== expected) return `Content-MD5 ${String(expected)} does not match the body`;
      continue;
    }
    if (!name.startsWith('x-amz-checksum-')) continue;
    const algorithm = name.slice('x-amz-checksum-'.length);
    // Not checksums: how a multipart upload combines them, which one it will use, and GetObject's request for them.
    if (algorithm === 'type' || algorithm === 'algorithm' || algorithm === 'mode') continue;
    let actual: string;
    if (algorithm === 'crc32') {
      const sum = Buffer.alloc(4);
      sum.writeUInt32BE(crc ?? body.reduce((value, data) => crc32(data, value), 0));
      actual = sum.toString('base64');
    } else if (algorithm === 'sha256' || algorithm === 'sha1') {
      const hash = createHash(algorithm);
      for (const data of body) hash.update(data);
      actual = hash.digest('base64');
    } else {
      return `${name}: the local S3 cannot verify it (use CRC32, SHA1 or SHA256)`;
    }
    if (actual !== expected) return `${name} ${String(expected)} does not match the body`;
  }
  return undefined;
}

/** A checksum computed a chunk at a time: CRC32, SHA1 or SHA256, as S3 spells them in `x-amz-checksum-*`. */
function digester(algorithm: string): { update(data: Buffer): void; digest(): Buffer } | undefined {
  if (algorithm === 'crc32') {
    let value = 0;
    return {
      update: (data) => {
        value = crc32(data, value);
      },
      digest: () => {
        const sum = Buffer.alloc(4);
        sum.writeUInt32BE(value);
        return sum;
      },
    };
  }
  if (algorithm !== 'sha1' && algorithm !== 'sha256') return undefined;
  const hash = createHash(algorithm);
  return { update: (data) => hash.update(data), digest: () => hash.digest() };
}

/**
 * What is wrong with CompleteMultipartUpload's `x-amz-checksum-*` headers, checked as S3 checks them against
 * the parts it names (in `uploadDir`): a full-object checksum against the joined bytes, a composite one
 * (`<base64>-<parts>`) against the checksum of the parts' checksums; undefined when each matches. One the
 * local S3 cannot compute is refused, not trusted; a part that is not there is left to the Complete (InvalidPart).
 *
 * @example
 * ```ts
 * await completeChecksumMismatch(uploadDir, xml, req.headers); // 'x-amz-checksum-crc32 … does not match the object'
 * ```
 */
export async function completeChecksumMismatch(
  uploadDir: string,
  xml: string,
  fields: Readonly<Record<string, string | string[] | undefined>>,
): Promise<string | undefined> {
  for (const [name, expected] of Object.entries(fields)) {
    if (!name.startsWith('x-amz-checksum-')) continue;
    const algorithm = name.slice('x-amz-checksum-'.length);
    if (algorithm === 'type' || algorithm === 'algorithm' || algorithm === 'mode') continue;
    if (digester(algorithm) === undefined)
      return `${name}: the local S3 cannot verify it (use CRC32, SHA1 or SHA256)`;
    const parts = [...xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
      number: Number(/<PartNumber>\s*(\d+)\s*<\/PartNumber>/.exec(m[1] ?? '')?.[1]),
      etag: (/<ETag>([\s\S]*?)<\/ETag>/.exec(m[1] ?? '')?.[1] ?? '').replace(/&quot;|&#34;|"/g, '').trim(),
    }));
    const composite = /-(\d+)$/.exec(String(expected));
    const whole = digester(algorithm) as NonNullable<ReturnType<typeof digester>>;
    try {
      for (const part of parts) {
        const own = digester(algorithm) as NonNullable<ReturnType<typeof digester>>;
        for await (const chunk of createReadStream(partFile(uploadDir, part.number, part.etag))) {
          (composite ? own : whole).update(chunk as Buffer);
        }
        if (composite) whole.update(own.digest());
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const actual = `${whole.digest().toString('base64')}${composite ? `-${parts.length}` : ''}`;
    if (actual !== expected) return `${name} ${String(expected)} does not match the object`;
  }
  return undefined;
}
