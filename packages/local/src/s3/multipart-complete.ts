import { createHash } from 'node:crypto';
import { constants, createReadStream, renameSync } from 'node:fs';
import { appendFile, copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { multipartEtag } from './multipart-etag.js';
import { partFile } from './multipart-part.js';
import { removeUpload } from './multipart-uploads.js';
import { S3Error, uploadFolder, writingPath } from './store-io.js';

/** The part of s3rver's file store that CompleteMultipartUpload uses. */
export interface MultipartStore {
  getResourcePath(bucket: string, key?: string, resource?: string): string;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
  putObjectMultipart(
    bucket: string,
    uploadId: string,
    parts: { number: number; etag: string }[],
  ): Promise<{ md5: string; size: number; key: string }>;
}

const MIN_PART_SIZE = 5 * 1024 * 1024;

/**
 * CompleteMultipartUpload as S3 does it, in place of s3rver's. s3rver streamed every part back through a
 * JavaScript MD5 into the object's file (about 100 ms for 25 MB, on the server's thread) and answered the
 * whole object's MD5 as its ETag. Here the object is the part files joined by the file system, each part
 * must be listed in ascending order with the ETag its upload was answered (else `InvalidPart` /
 * `InvalidPartOrder`, and nothing is stored), and the ETag is S3's for a multipart object: the MD5 of the
 * parts' MD5s, a dash, the number of parts.
 *
 * @example
 * ```ts
 * completeMultipartNatively((s3rver as unknown as { store: MultipartStore }).store);
 * ```
 */
export function completeMultipartNatively(store: MultipartStore): void {
  store.putObjectMultipart = async (bucket, uploadId, parts) => {
    const uploadDir = uploadFolder(store, bucket, uploadId);
    const [key, metadata] = await Promise.all([
      readFile(join(uploadDir, 'key'), 'utf8'),
      readFile(join(uploadDir, 'metadata'), 'utf8').then(
        (text) => JSON.parse(text) as Record<string, string>,
      ),
    ]);
    const digests: Buffer[] = [];
    let previous = 0;
    for (const part of parts) {
      if (part.number <= previous) {
        throw new S3Error('InvalidPartOrder', 'The list of parts was not in ascending order.');
      }
      previous = part.number;
      const md5 = await readFile(join(uploadDir, `${part.number}.md5`), 'utf8').catch(() => undefined);
      if (md5 === undefined || md5 !== part.etag) {
        throw new S3Error(
          'InvalidPart',
          "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.",
          { UploadId: uploadId, PartNumber: part.number },
        );
      }
      digests.push(Buffer.from(md5, 'hex'));
    }
    await refuseSmallParts(uploadDir, parts, uploadId);
    const objectPath = store.getResourcePath(bucket, key, 'object');
    await mkdir(dirname(objectPath), { recursive: true });
    // The bytes each listed ETag was answered for, even if the part was uploaded again since.
    const files = parts.map((part) => partFile(uploadDir, part.number, part.etag));
    const etag = multipartEtag(digests);
    // Joined in a file of its own, then renamed over the object with its side files written in the same
    // step, as a PUT stores: joined in place, a reader of the old object got the new bytes from its offset on.
    const temporary = writingPath(objectPath);
    let size: number;
    try {
      await joinFiles(files, temporary);
      ({ size } = await stat(temporary));
      renameSync(temporary, objectPath);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    await store.putMetadata(bucket, key, metadata, etag);
    await removeUpload(uploadDir);
    // The key too: the upload id names it only inside the store (store-changes.ts reports it).
    return { md5: etag, size, key };
  };
}

/** The part of s3rver's file store that CopyObject uses. */
export interface CopyStore {
  getResourcePath(bucket: string, key?: string, resource?: string): string;
  getMetadata(bucket: string, key: string): Promise<unknown>;
  copyObject(
    srcBucket: string,
    srcKey: string,
    destBucket: string,
    destKey: string,
    replacementMetadata: unknown,
  ): Promise<unknown>;
}

/**
 * CopyObject as S3 does it, over s3rver's: S3 stores a copy in one piece, so its ETag is the MD5 of its bytes, where
 * s3rver kept its source's (for an object stored in parts, `<md5 of md5s>-N`, which no copy on S3 has). Code that
 * told a copy from its source by ETag alone passed here and failed on AWS (fault round 61).
 *
 * @example
 * ```ts
 * copyAsOnePiece((s3rver as unknown as { store: CopyStore }).store);
 * ```
 */
export function copyAsOnePiece(store: CopyStore): void {
  const { copyObject } = store;
  store.copyObject = async (srcBucket, srcKey, destBucket, destKey, replacement) => {
    await copyObject.call(store, srcBucket, srcKey, destBucket, destKey, replacement);
    const objectPath = store.getResourcePath(destBucket, destKey, 'object');
    const md5 = createHash('md5');
    for await (const chunk of createReadStream(objectPath)) md5.update(chunk as Buffer);
    await writeFile(`${objectPath}.md5`, md5.digest('hex'));
    return store.getMetadata(destBucket, destKey);
  };
}

/** `target` becomes the files' bytes in order: the first copied by the file system, the rest appended. */
async function joinFiles(files: string[], target: string): Promise<void> {
  const [first, ...rest] = files;
  if (first === undefined) throw new S3Error('MalformedXML', 'A multipart upload needs at least one part.');
  await copyFile(first, target, constants.COPYFILE_EXCL);
  for (const file of rest) await appendFile(target, await readFile(file));
}

/** S3's 5 MiB floor for every part but the last: a client that cuts parts wrong fails here, not only on AWS. */
async function refuseSmallParts(
  uploadDir: string,
  parts: { number: number; etag: string }[],
  uploadId: string,
) {
  for (const part of parts.slice(0, -1)) {
    const { size } = await stat(partFile(uploadDir, part.number, part.etag));
    if (size < MIN_PART_SIZE) {
      throw new S3Error(
        'EntityTooSmall',
        'Your proposed upload is smaller than the minimum allowed object size.',
        {
          UploadId: uploadId,
          PartNumber: part.number,
          ProposedSize: size,
          MinSizeAllowed: MIN_PART_SIZE,
        },
      );
    }
  }
}
