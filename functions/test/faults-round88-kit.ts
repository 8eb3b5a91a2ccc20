// Fault round 88's shared helpers: a staged write S3 answers 200 for while storing fewer bytes, and one invocation
// of a WorkMail rewrite (outbound-policy's disclaimer, the guard's strip) whose delivered bytes are then checked.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { PutObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import type { LocalStack } from '@wmflow/local';
import type { Act } from './scripted-proxy.js';
import { pathOf } from './scripted-proxy.js';

/** The MD5 of `bytes` as S3 quotes it in an ETag. */
export const md5ETag = (bytes: Uint8Array) => `"${createHash('md5').update(bytes).digest('hex')}"`;

/**
 * What S3 does with a PutObject or an UploadPart whose body was cut on its way (Content-Length cut to match, an
 * unsigned payload): it stores the first `keep(body)` bytes, straight into the stack's S3, and answers 200 with their
 * ETag.
 */
export async function storeShort(
  stack: LocalStack,
  req: IncomingMessage,
  body: Buffer,
  keep: (body: Buffer) => number,
): Promise<Act> {
  const [Bucket = '', ...key] = pathOf(req).slice(1).split('/');
  const short = body.subarray(0, keep(body));
  const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
  const UploadId = query.get('uploadId');
  const target = { Bucket, Key: key.join('/'), Body: short };
  // An UploadPart (its part cut), or a PutObject.
  if (UploadId)
    await stack.s3.send(
      new UploadPartCommand({ ...target, UploadId, PartNumber: Number(query.get('partNumber')) }),
    );
  else await stack.s3.send(new PutObjectCommand(target));
  return { do: 'answer', status: 200, headers: { etag: md5ETag(short) }, body: '' };
}
