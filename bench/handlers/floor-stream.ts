import type { Readable } from 'node:stream';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetRawMessageContentCommand, WorkMailMessageFlowClient } from '@aws-sdk/client-workmailmessageflow';

// The fastest raw copy: the bytes stream from the Message Flow API straight into one S3 PutObject of the
// announced length (no buffering, download and upload overlap), nothing else: no hash, no spool, no metadata.
const flowClient = new WorkMailMessageFlowClient({});
const s3 = new S3Client({});

export const handler = async (event: { messageId: string }) => {
  const raw = await flowClient.send(new GetRawMessageContentCommand({ messageId: event.messageId }));
  // The SDK's stream is the HTTP response (IncomingMessage), whose Content-Length is the message size.
  const body = raw.messageContent as Readable & { headers?: Record<string, string> };
  const length = Number(body.headers?.['content-length']);
  const bucket = process.env.BENCH_JOURNAL_BUCKET ?? 'bench-journal';
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: `floor/${event.messageId}`,
      Body: body,
      ContentLength: Number.isFinite(length) ? length : undefined,
    }),
  );
};
