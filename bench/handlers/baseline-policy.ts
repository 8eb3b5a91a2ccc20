import { GetRawMessageContentCommand, WorkMailMessageFlowClient } from '@aws-sdk/client-workmailmessageflow';
import { simpleParser } from 'mailparser';

// The same ten checks written the naive way: download, parse everything, then test.
const client = new WorkMailMessageFlowClient({});
const BLOCKED_EXT = /\.(exe|scr|js|vbs|bat|cmd|com|pif|msi|jar)$/i;

type Event = {
  messageId: string;
  envelope: { mailFrom: { address: string }; recipients: { address: string }[] };
};

export const handler = async (event: Event) => {
  const raw = await client.send(new GetRawMessageContentCommand({ messageId: event.messageId }));
  const bytes = Buffer.from(
    await (raw.messageContent as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
  const mail = await simpleParser(bytes);
  const from = event.envelope.mailFrom.address.toLowerCase();
  const header = (name: string) => String(mail.headers.get(name) ?? '');
  const subject = (mail.subject ?? '').toLowerCase();
  const text = (mail.text ?? '').toLowerCase();
  const fromName = (mail.from?.value[0]?.name ?? '').toLowerCase();
  const replyTo = mail.replyTo?.value[0]?.address?.split('@')[1] ?? '';
  const fromDomain = mail.from?.value[0]?.address?.split('@')[1] ?? '';
  let type = 'DEFAULT';
  let bounceMessage: string | undefined;
  if (from.endsWith('@spam.example') || from === 'bad@lottery.example') {
    type = 'BOUNCE';
    bounceMessage = 'Blocked sender.';
  } else if (header('x-ses-virus-verdict') === 'FAIL') {
    type = 'BOUNCE';
    bounceMessage = 'Virus.';
  } else if (header('x-ses-spam-verdict') === 'FAIL' || /dmarc=fail/.test(header('authentication-results'))) {
    type = 'MOVE_TO_JUNK';
  } else if (
    ['jane smith', 'dan brown'].some((n) => fromName.includes(n)) &&
    !from.endsWith('@corp.example')
  ) {
    type = 'MOVE_TO_JUNK';
  } else if (/wire transfer|gift cards/.test(subject)) {
    type = 'BOUNCE';
    bounceMessage = 'Payment requests must go through finance.';
  } else if (bytes.length > 30_000_000) {
    type = 'BOUNCE';
    bounceMessage = 'Message too large.';
  } else if (mail.attachments.some((a) => BLOCKED_EXT.test(a.filename ?? ''))) {
    type = 'BOUNCE';
    bounceMessage = 'Blocked attachment.';
  } else if (text.includes('urgent wire transfer')) {
    type = 'DROP';
  }
  void (replyTo && replyTo !== fromDomain); // the Reply-To check only notes
  const action = bounceMessage ? { type, parameters: { bounceMessage } } : { type };
  return { actions: [{ action, allRecipients: true }] };
};
