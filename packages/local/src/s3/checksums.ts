import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { crc32 } from 'node:zlib';
import { partFile } from './multipart-part.js';

type Fields = Readonly<Record<string, string | string[] | undefined>>;

/** The `x-amz-checksum-<algorithm>` fields that are checksums, as [name, algorithm, value]. */
function checksumFields(fields: Fields): [string, string, unknown][] {
  return Object.entries(fields).flatMap(([name, value]): [string, string, unknown][] => {
    if (!name.startsWith('x-amz-checksum-')) return [];
    const algorithm = name.slice('x-amz-checksum-'.length);
    // Not checksums: how a multipart upload combines them, which one it will use, and GetObject's request for them.
    return algorithm === 'type' || algorithm === 'algorithm' || algorithm === 'mode'
      ? []
      : [[name, algorithm, value]];
  });
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

const unverifiable = (name: string) => `${name}: the local S3 cannot verify it (use CRC32, SHA1 or SHA256)`;

/**
 * What is wrong with the checksums of `fields` (trailers or request headers: `x-amz-checksum-*`, `content-md5`)
 * against `body`, or undefined when each matches; one of an algorithm the local S3 cannot compute is refused, not
 * trusted. `crc` is the body's CRC32 when the caller already has it.
 *
 * @example
 * ```ts
 * checksumMismatch([Buffer.from('hello')], { 'x-amz-checksum-crc32': 'AAAAAA==' }); // 'x-amz-checksum-crc32 AAAAAA== does not match the body'
 * ```
 */
export function checksumMismatch(body: readonly Buffer[], fields: Fields, crc?: number): string | undefined {
  const md5 = fields['content-md5'];
  if (md5 !== undefined) {
    // Content-MD5 is a checksum too: S3 refuses bytes that do not match it (BadDigest).
    const hash = createHash('md5');
    for (const data of body) hash.update(data);
    if (hash.digest('base64') !== md5) return `Content-MD5 ${String(md5)} does not match the body`;
  }
  for (const [name, algorithm, expected] of checksumFields(fields)) {
    let actual: Buffer;
    if (algorithm === 'crc32' && crc !== undefined) {
      actual = Buffer.alloc(4);
      actual.writeUInt32BE(crc);
    } else {
      const sum = digester(algorithm);
      if (!sum) return unverifiable(name);
      for (const data of body) sum.update(data);
      actual = sum.digest();
    }
    if (actual.toString('base64') !== expected) return `${name} ${String(expected)} does not match the body`;
  }
  return undefined;
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
  fields: Fields,
): Promise<string | undefined> {
  const checksums = checksumFields(fields);
  if (checksums.length === 0) return undefined;
  const parts = [...xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
    number: Number(/<PartNumber>\s*(\d+)\s*<\/PartNumber>/.exec(m[1] ?? '')?.[1]),
    etag: (/<ETag>([\s\S]*?)<\/ETag>/.exec(m[1] ?? '')?.[1] ?? '').replace(/&quot;|&#34;|"/g, '').trim(),
  }));
  for (const [name, algorithm, expected] of checksums) {
    const whole = digester(algorithm);
    if (!whole) return unverifiable(name);
    const composite = /-(\d+)$/.test(String(expected));
    try {
      for (const part of parts) {
        const own = digester(algorithm) as NonNullable<typeof whole>;
        for await (const chunk of createReadStream(partFile(uploadDir, part.number, part.etag)))
          (composite ? own : whole).update(chunk as Buffer);
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
