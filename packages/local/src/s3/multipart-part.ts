import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { md5Count, S3Error, uploadFolder } from './store-io.js';

/** The part of s3rver's file store that UploadPart uses. */
export interface PartStore {
  getResourcePath(bucket: string, key?: string, resource?: string): string;
  putPart(
    bucket: string,
    uploadId: string,
    partNumber: number | string,
    content: Readable,
  ): Promise<{ size: number; md5: string }>;
}

/**
 * The file of part `number` whose MD5 is `md5`: parts are kept by content, so the bytes joined for an
 * ETag are the bytes that ETag was answered for, whatever is uploaded again meanwhile.
 *
 * @example
 * ```ts
 * partFile('/uploads/abc', 1, 'd41d8cd98f00b204e9800998ecf8427e'); // '/uploads/abc/1.d41d8cd98f00b204e9800998ecf8427e'
 * ```
 */
export function partFile(uploadDir: string, number: number, md5: string): string {
  return join(uploadDir, `${number}.${md5}`);
}

/**
 * UploadPart in place of s3rver's, which answered once its MD5 had seen the bytes but before its file
 * had them, rewrote a part's file in place under a Complete joining it (another part's bytes under the
 * old ETag), and let a write error (the upload removed by Abort or Complete meanwhile) crash the
 * process. Here a part is written to a fresh file, named by its MD5 once whole, and only then becomes the
 * part's current ETag (`<n>.md5`); a part whose upload is gone answers NoSuchUpload.
 *
 * @example
 * ```ts
 * storePartsByContent((s3rver as unknown as { store: PartStore }).store);
 * ```
 */
export function storePartsByContent(store: PartStore): void {
  store.putPart = async (bucket, uploadId, partNumber, content) => {
    const uploadDir = uploadFolder(store, bucket, uploadId);
    const number = Number(partNumber);
    const temporary = join(uploadDir, `${number}.writing-${randomBytes(8).toString('hex')}`);
    const count = md5Count();
    try {
      await pipeline(content, count.through(), createWriteStream(temporary, { flags: 'wx' }));
      const { size, md5 } = count.result();
      await rename(temporary, partFile(uploadDir, number, md5));
      await writeFile(join(uploadDir, `${number}.md5`), md5);
      return { size, md5 };
    } catch (error) {
      await rm(temporary, { force: true });
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new S3Error('NoSuchUpload', 'The specified upload does not exist.', { UploadId: uploadId });
      }
      throw error;
    }
  };
}
