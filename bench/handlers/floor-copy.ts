import type { Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import { GetRawMessageContentCommand, WorkMailMessageFlowClient } from '@aws-sdk/client-workmailmessageflow';
import { Upload } from '@aws-sdk/lib-storage';

// The physical floor: stream the bytes from the Message Flow API straight into S3, nothing else.
const flowClient = new WorkMailMessageFlowClient({});
const s3 = new S3Client({});

export const handler = async (event: { messageId: string }) => {
  const raw = await flowClient.send(new GetRawMessageContentCommand({ messageId: event.messageId }));
  const bucket = process.env.BENCH_JOURNAL_BUCKET ?? 'bench-journal';
  await new Upload({
    client: s3,
    params: { Bucket: bucket, Key: `floor/${event.messageId}`, Body: raw.messageContent as Readable },
    queueSize: 1,
    partSize: 5 * 1024 * 1024,
  }).done();
};
