import { createHash } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { LocalStack } from '../src/index.js';

export const MiB = 1024 * 1024;
export const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Multipart steps on one bucket of the stack, through its S3 client. */
export function multipart(stack: LocalStack, bucket: string) {
  const create = async (key: string): Promise<string> => {
    const { UploadId } = await stack.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    return UploadId as string;
  };
  const part = async (key: string, uploadId: string, PartNumber: number, body: Buffer): Promise<string> => {
    const out = await stack.s3.send(
      new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber, Body: body }),
    );
    return out.ETag ?? '';
  };
  const complete = (
    key: string,
    uploadId: string,
    parts: { PartNumber: number; ETag: string }[],
    IfNoneMatch?: string,
  ) =>
    stack.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
        IfNoneMatch,
      }),
    );
  /** The stored object's SHA-256 (large buffers compare slowly in `toEqual`), or the error's name. */
  const read = async (key: string): Promise<string> => {
    try {
      const got = await stack.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return sha(await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
    } catch (error) {
      return (error as Error).name;
    }
  };
  /** All parts uploaded in order, with their ETags. */
  const upload = async (key: string, parts: Buffer[]) => {
    const uploadId = await create(key);
    const etags: string[] = [];
    for (const [i, body] of parts.entries()) etags.push(await part(key, uploadId, i + 1, body));
    return { uploadId, etags };
  };
  return { create, part, complete, read, upload };
}
