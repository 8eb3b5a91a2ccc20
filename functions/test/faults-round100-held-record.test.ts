import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, type SesReceiptVerdicts, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { guardSes } from '../guard-ses/guard-ses.js';
import { useLocalStack } from './adversarial/stack.js';

// Fault round 100: SES may run guard-ses's receipt rule twice for one message (the Lambda action retried). Each
// invocation that holds the message (STOP_RULE) records why under `held/<messageId>.json`, the one record `wmflow
// quarantine list` shows. Written unconditionally, the later invocation's record replaced the earlier one's: a message
// the first held on a decision (SES's spam verdict FAIL, the junk policy) and the second on a failure to decide (an event it could not
// read) was listed as held because "the event could not be read", and the decision was gone from the record an
// administrator reads before releasing it. The record is now written only where none is (If-None-Match); one already
// there is read and kept in the new one, a decision's cause ahead of a failure's.
const stack = useLocalStack(['inbound-mail']);
const BUCKET = 'inbound-mail';
const BASE = {
  ORGANIZATION_DOMAINS: 'corp.example',
  STORED_BUCKET: BUCKET,
  STORED_KEY_PREFIX: 'inbound/',
  BOUNCE_SENDER: 'postmaster@corp.example',
};

const letter = (id: string) =>
  Buffer.from(
    [
      'From: Ann <ann@partner.example>',
      'To: bob@corp.example',
      'Subject: the quarterly figures',
      `Message-ID: <${id}@partner.example>`,
      'Date: Mon, 7 Dec 2026 09:00:00 +0000',
      'Content-Type: text/plain',
      '',
      'Please find the figures below.',
      '',
    ].join('\r\n'),
  );

const headersOf = (bytes: Buffer) => {
  const text = bytes.toString('utf-8');
  return text
    .slice(0, text.indexOf('\r\n\r\n'))
    .split('\r\n')
    .map((line) => ({
      name: line.slice(0, line.indexOf(':')),
      value: line.slice(line.indexOf(':') + 1).trim(),
    }));
};

/** A message stored by the S3 action, as SES received it once. */
async function stored(bytes: Buffer): Promise<string> {
  const messageId = sesMessageId();
  await stack().s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `inbound/${messageId}`, Body: bytes }));
  stack().ses.receive(messageId);
  return messageId;
}

/** One invocation of guard-ses for the message (SES may make two). */
async function invoke(
  messageId: string,
  bytes: Buffer,
  options: { verdicts?: SesReceiptVerdicts; unreadable?: boolean } = {},
) {
  const event = makeSesEvent({
    messageId,
    source: 'ann@partner.example',
    recipients: ['bob@corp.example'],
    headers: headersOf(bytes),
    verdicts: options.verdicts ?? {},
  });
  if (options.unreadable) {
    // A verdict status SES does not send today: the event fails validation (onInvalidEvent holds it).
    const [record] = (
      event as unknown as { Records: { ses: { receipt: { spamVerdict: { status: string } } } }[] }
    ).Records;
    if (record) record.ses.receipt.spamVerdict.status = 'MAYBE';
  }
  return guardSes(BASE)(event, lambdaContext());
}

async function record(messageId: string): Promise<Record<string, unknown>> {
  const out = await stack().s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `held/${messageId}.json` }));
  return JSON.parse(await (out.Body as { transformToString(): Promise<string> }).transformToString());
}

describe('fault round 100: the hold record under two invocations of one message', () => {
  it('held on a decision (spam verdict FAIL), then again on a failure to decide: the record keeps the decision', async () => {
    const bytes = letter('r100-spam');
    const messageId = await stored(bytes);
    expect(await invoke(messageId, bytes, { verdicts: { spam: 'FAIL' } })).toEqual({
      disposition: 'STOP_RULE',
    });
    expect(await record(messageId)).toMatchObject({ cause: 'verdict' });
    expect(await invoke(messageId, bytes, { unreadable: true })).toEqual({ disposition: 'STOP_RULE' });
    const kept = await record(messageId);
    expect(kept).toMatchObject({ messageId, disposition: 'STOP_RULE', cause: 'verdict' });
    expect(kept.reason).toMatch(/could not be read/);
    expect(kept.reason).toMatch(/enforce-ses-verdicts/);
  }, 30_000);

  it('held on a failure to decide, then on a decision: the decision is the cause, the earlier failure still said', async () => {
    const bytes = letter('r100-later');
    const messageId = await stored(bytes);
    await invoke(messageId, bytes, { unreadable: true });
    await invoke(messageId, bytes, { verdicts: { spam: 'FAIL' } });
    const kept = await record(messageId);
    expect(kept).toMatchObject({ cause: 'verdict' });
    expect(kept.reason).toMatch(/^enforce-ses-verdicts/);
    expect(kept.reason).toMatch(/could not be read/);
  }, 30_000);

  it('benign control: the same hold twice leaves one reason, said once', async () => {
    const bytes = letter('r100-twice');
    const messageId = await stored(bytes);
    await invoke(messageId, bytes, { verdicts: { spam: 'FAIL' } });
    const first = await record(messageId);
    await invoke(messageId, bytes, { verdicts: { spam: 'FAIL' } });
    const second = await record(messageId);
    expect(second.cause).toBe('verdict');
    expect(second.reason).toBe(first.reason);
  }, 30_000);

  it('benign control: a message delivered (CONTINUE) leaves no record', async () => {
    const bytes = letter('r100-clean');
    const messageId = await stored(bytes);
    expect(await invoke(messageId, bytes)).toEqual({ disposition: 'CONTINUE' });
    await expect(record(messageId)).rejects.toThrow();
  }, 30_000);
});
