import { randomUUID } from 'node:crypto';
import { readFile, rename, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { completeChecksumMismatch } from './checksums.js';
import type { MultipartStore } from './multipart-complete.js';
import { uploadFolder } from './store-io.js';
import { storeKey } from './store-key.js';

/** s3rver's upload ids: 16 random bytes in hex. Anything else is no upload (and no path into the store). */
const UPLOAD_ID = /^[0-9a-f]{32}$/;

/**
 * The life of a multipart upload as S3 keeps it, which s3rver does not: AbortMultipartUpload removes the
 * upload and its parts (s3rver: 405), and UploadPart, CompleteMultipartUpload and AbortMultipartUpload of
 * an upload that is not open for the key named (aborted, completed, another key's, or no upload id at
 * all) answer 404 NoSuchUpload. Without this, a Complete after an Abort stored the object, and a Complete
 * naming another key wrote the upload's own key past that key's `If-None-Match` check.
 *
 * @example
 * ```ts
 * const uploads = new MultipartUploads(store);
 * if (await uploads.handle(req, res, sendError)) return;
 * ```
 */
export class MultipartUploads {
  constructor(private readonly store: Pick<MultipartStore, 'getResourcePath'>) {}

  /** Answers the request when it is refused or is an Abort; resolves false for the caller to forward. */
  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    sendError: (status: number, code: string, message: string) => void,
  ): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://s3.local');
    const uploadId = url.searchParams.get('uploadId');
    if (uploadId === null || !['PUT', 'POST', 'DELETE'].includes(req.method ?? '')) return false;
    const named = storeKey(url.pathname);
    const folder =
      named && UPLOAD_ID.test(uploadId) ? uploadFolder(this.store, named.bucket, uploadId) : undefined;
    const key = folder && (await readFile(join(folder, 'key'), 'utf8').catch(() => undefined));
    if (!folder || key !== named?.key) {
      req.resume();
      sendError(
        404,
        'NoSuchUpload',
        'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      );
      return true;
    }
    if (req.method !== 'DELETE') return false;
    req.resume();
    await removeUpload(folder);
    res.writeHead(204).end();
    return true;
  }

  /**
   * What is wrong with a CompleteMultipartUpload's object checksum headers against the parts its XML names
   * (undefined when they match, or when it is no Complete of an upload that is there: that is answered as such).
   */
  async completeChecksums(req: IncomingMessage, xml: readonly Buffer[]): Promise<string | undefined> {
    const url = new URL(req.url ?? '/', 'http://s3.local');
    const uploadId = url.searchParams.get('uploadId');
    const named = storeKey(url.pathname);
    if (req.method !== 'POST' || uploadId === null || !named || !UPLOAD_ID.test(uploadId)) return undefined;
    const folder = uploadFolder(this.store, named.bucket, uploadId);
    return completeChecksumMismatch(folder, Buffer.concat(xml).toString('utf8'), req.headers);
  }
}

/**
 * Ends an upload's folder (Complete, Abort). The folder is first renamed away, in one step: a part still being
 * stored can then no longer add a file to it (it answers NoSuchUpload), and the removal cannot fail on a file
 * such a part created meanwhile (ENOTEMPTY, which failed a Complete that had already stored the object).
 */
export async function removeUpload(folder: string): Promise<void> {
  const gone = join(dirname(folder), `.removed-${randomUUID()}`);
  try {
    await rename(folder, gone);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  await rm(gone, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
}
