import { GetRawMessageContentCommand, WorkMailMessageFlowClient } from '@aws-sdk/client-workmailmessageflow';
import { simpleParser } from 'mailparser';

// The naive way, as the public WorkMail samples do it: download everything, parse everything.
const client = new WorkMailMessageFlowClient({});

export const handler = async (event: { messageId: string; envelope: { mailFrom: { address: string } } }) => {
  const raw = await client.send(new GetRawMessageContentCommand({ messageId: event.messageId }));
  const bytes = Buffer.from(
    await (raw.messageContent as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
  const parsed = await simpleParser(bytes);
  const spam = String(parsed.headers.get('x-ses-spam-verdict') ?? '');
  const blocked = event.envelope.mailFrom.address.toLowerCase().endsWith('@blocked.example');
  const type = spam === 'FAIL' || blocked ? 'MOVE_TO_JUNK' : 'DEFAULT';
  return { actions: [{ action: { type }, allRecipients: true }] };
};
