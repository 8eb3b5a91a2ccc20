import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  GetRawMessageContentCommand,
  PutRawMessageContentCommand,
  WorkMailMessageFlowClient,
} from '@aws-sdk/client-workmailmessageflow';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';

// The naive way: download, parse fully, rebuild the whole message, upload it from a buffer.
const flowClient = new WorkMailMessageFlowClient({});
const s3 = new S3Client({ forcePathStyle: process.env.AWS_S3_FORCE_PATH_STYLE === 'true' });
const BANNER = 'This message came from outside the organization.';

export const handler = async (event: { messageId: string }) => {
  const raw = await flowClient.send(new GetRawMessageContentCommand({ messageId: event.messageId }));
  const bytes = Buffer.from(
    await (raw.messageContent as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
  const parsed = await simpleParser(bytes);
  const rebuilt = await new MailComposer({
    from: parsed.from?.text,
    to: Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : parsed.to?.text,
    subject: `[EXTERNAL] ${parsed.subject ?? ''}`,
    date: parsed.date,
    messageId: parsed.messageId,
    text: `${BANNER}\n\n${parsed.text ?? ''}`,
    html: parsed.html ? `<p>${BANNER}</p>${parsed.html}` : undefined,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename,
      content: a.content,
      contentType: a.contentType,
    })),
  })
    .compile()
    .build();
  const bucket = process.env.BENCH_UPDATES_BUCKET ?? 'bench-updates';
  const key = `baseline/${event.messageId}`;
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: rebuilt }));
  let updated = true;
  try {
    await flowClient.send(
      new PutRawMessageContentCommand({
        messageId: event.messageId,
        content: { s3Reference: { bucket, key } },
      }),
    );
  } catch {
    updated = false;
  }
  return { actions: [{ action: { type: 'DEFAULT' }, allRecipients: true }], updated };
};
