import { S3Client } from '@aws-sdk/client-s3';
import { GetRawMessageContentCommand, WorkMailMessageFlowClient } from '@aws-sdk/client-workmailmessageflow';
import { simpleParser } from 'mailparser';

// A naive handler as the samples write it: every client and the full parser imported eagerly at init.
const flowClient = new WorkMailMessageFlowClient({});
export const s3 = new S3Client({});

export const handler = async (event: { messageId: string }) => {
  const raw = await flowClient.send(new GetRawMessageContentCommand({ messageId: event.messageId }));
  const bytes = await (
    raw.messageContent as { transformToByteArray(): Promise<Uint8Array> }
  ).transformToByteArray();
  const parsed = await simpleParser(Buffer.from(bytes));
  const type = String(parsed.headers.get('x-ses-spam-verdict') ?? '') === 'FAIL' ? 'MOVE_TO_JUNK' : 'DEFAULT';
  return { actions: [{ action: { type }, allRecipients: true }] };
};
