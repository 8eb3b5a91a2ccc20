import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetRawMessageContentCommand, WorkMailMessageFlowClient } from '@aws-sdk/client-workmailmessageflow';

// The naive way: buffer the whole message, then put it in one request.
const flowClient = new WorkMailMessageFlowClient({});
const s3 = new S3Client({});

export const handler = async (event: { messageId: string }) => {
  const raw = await flowClient.send(new GetRawMessageContentCommand({ messageId: event.messageId }));
  const bytes = await (
    raw.messageContent as { transformToByteArray(): Promise<Uint8Array> }
  ).transformToByteArray();
  const bucket = process.env.BENCH_JOURNAL_BUCKET ?? 'bench-journal';
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `baseline/${event.messageId}`, Body: bytes }));
};
