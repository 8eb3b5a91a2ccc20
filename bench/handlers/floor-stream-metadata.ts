import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetRawMessageContentCommand, WorkMailMessageFlowClient } from '@aws-sdk/client-workmailmessageflow';

// The least a journal of issue 15's design can do: the streamed floor's copy (hashed while it streams, with
// If-None-Match: *), then, once S3 has acknowledged it, the metadata object (sha256 and size) in a second
// PutObject. Nothing else: no spool, no retry, no read-back, no framework.
const flowClient = new WorkMailMessageFlowClient({});
const s3 = new S3Client({});

export const handler = async (event: { messageId: string }) => {
  const raw = await flowClient.send(new GetRawMessageContentCommand({ messageId: event.messageId }));
  const source = raw.messageContent as Readable & { headers?: Record<string, string> };
  const length = Number(source.headers?.['content-length']);
  const bucket = process.env.BENCH_JOURNAL_BUCKET ?? 'bench-journal';
  const hash = createHash('sha256');
  let size = 0;
  const body = new PassThrough();
  source.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
  });
  source.pipe(body);
  const key = `design-floor/${event.messageId}`;
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: length, IfNoneMatch: '*' }),
  );
  const metadata = JSON.stringify({ key, messageId: event.messageId, sha256: hash.digest('hex'), size });
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: `${key}.json`,
      Body: metadata,
      ContentType: 'application/json',
      IfNoneMatch: '*',
    }),
  );
};
