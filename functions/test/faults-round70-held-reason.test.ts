import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, type SesReceiptVerdicts, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { wmflow } from '../../packages/local/test/replay-helpers.js';
import { guardSes } from '../guard-ses/guard-ses.js';
import { useLocalStack } from './adversarial/stack.js';

// Fault round 70 (F70-1): a message guard-ses holds (STOP_RULE: round 83's `onInvalidEvent`, round 68's
// `onRetryableError`, or the junk policy) is kept by the template's quarantine rule under `quarantine/<messageId>`,
// and `wmflow quarantine list` showed its headers and SES's verdict headers only: why it was held was in the guard's
// log alone (expired with the log group's retention, searched by message id). An administrator releasing a message
// held because a protection could not decide cannot tell it from one the spam verdict held. guard-ses now records the
// reason beside the held message (`held/<messageId>.json` in the stored bucket), `quarantine list` shows it, and the
// release still delivers the held bytes alone, exactly.
const stack = useLocalStack(['inbound-mail']);
const BUCKET = 'inbound-mail';
const BASE = {
  ORGANIZATION_DOMAINS: 'corp.example',
  STORED_BUCKET: BUCKET,
  STORED_KEY_PREFIX: 'inbound/',
  BOUNCE_SENDER: 'postmaster@corp.example',
};

const letter = (messageId: string, extra = '') =>
  Buffer.from(
    [
      'From: Ann <ann@partner.example>',
      'To: bob@corp.example',
      'Subject: the quarterly figures',
      `Message-ID: <${messageId}@partner.example>`,
      'Date: Mon, 7 Dec 2026 09:00:00 +0000',
      'Content-Type: text/plain',
      '',
      `Please find the figures below.${extra}`,
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

/**
 * guard-ses on `bytes` as stored by the S3 action, the event describing `described` (another message when they differ);
 * then the quarantine rule's S3 action when it answered STOP_RULE. Returns the answer and the message id.
 */
async function receive(
  bytes: Buffer,
  options: { described?: Buffer; verdicts?: SesReceiptVerdicts; spoil?: (e: unknown) => void } = {},
) {
  const messageId = sesMessageId();
  const s3 = stack().s3;
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `inbound/${messageId}`, Body: bytes }));
  stack().ses.receive(messageId);
  const event = makeSesEvent({
    messageId,
    source: 'ann@partner.example',
    recipients: ['bob@corp.example'],
    headers: headersOf(options.described ?? bytes),
    verdicts: options.verdicts ?? {},
  });
  options.spoil?.(event);
  const answer = await guardSes(BASE)(event, lambdaContext());
  // The template's quarantine rule, reached after a STOP_RULE: SES's S3 action stores the message again.
  if (answer?.disposition === 'STOP_RULE')
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `quarantine/${messageId}`, Body: bytes }));
  return { answer, messageId };
}

const text = async (Key: string) =>
  Buffer.from(
    await (
      (await stack().s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }))).Body as {
        transformToByteArray(): Promise<Uint8Array>;
      }
    ).transformToByteArray(),
  );

async function listed(messageId: string) {
  const run = await wmflow(['quarantine', 'list', `s3://${BUCKET}/quarantine/`, '--json'], stack().env);
  const line = run.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((l) => l.key === `quarantine/${messageId}`);
  return { run, line };
}

describe('F70-1: why guard-ses held a message, beside the held message', () => {
  it('an event it cannot read (onInvalidEvent): the reason recorded, listed, and the release delivers the held bytes', async () => {
    const bytes = letter('unread-1');
    const { answer, messageId } = await receive(bytes, {
      // A verdict status SES does not send today: the event fails validation, no rule runs.
      spoil: (e) => {
        const [record] = (e as { Records: { ses: { receipt: { spamVerdict: { status: string } } } }[] })
          .Records;
        if (record) record.ses.receipt.spamVerdict.status = 'MAYBE';
      },
    });
    expect(answer).toEqual({ disposition: 'STOP_RULE' });
    const record = JSON.parse((await text(`held/${messageId}.json`)).toString()) as Record<string, unknown>;
    expect(record).toMatchObject({ messageId, disposition: 'STOP_RULE', cause: 'invalid-event' });
    expect(record.reason).toMatch(/could not be read/);
    const { run, line } = await listed(messageId);
    expect(line, run.stderr).toMatchObject({
      held: { cause: 'invalid-event', reason: expect.stringMatching(/could not be read/) },
    });
    const human = await wmflow(['quarantine', 'list', `s3://${BUCKET}/quarantine/`], stack().env);
    expect(human.stdout).toMatch(/held \(invalid-event\): the event could not be read/);
    const released = await wmflow(
      [
        'quarantine',
        'release',
        `s3://${BUCKET}/quarantine/${messageId}`,
        '--etag',
        line?.etag as string,
        '--to',
        `s3://${BUCKET}/delivered/`,
      ],
      stack().env,
    );
    expect([released.code, released.stdout], released.stderr).toEqual([
      0,
      expect.stringMatching(/^released: /),
    ]);
    expect((await text(`delivered/${messageId}`)).equals(bytes)).toBe(true);
  }, 60_000);

  it('a protection that could not decide (onRetryableError: the stored object is another message): the reason names the error', async () => {
    const stored = letter('stored-2');
    const { answer, messageId } = await receive(stored, { described: letter('received-2') });
    expect(answer).toEqual({ disposition: 'STOP_RULE' });
    const { run, line } = await listed(messageId);
    expect(line, run.stderr).toMatchObject({
      held: { cause: 'retryable-error', reason: expect.stringMatching(/another message/) },
    });
  }, 60_000);

  it("the junk policy (SES's spam verdict FAIL): the reason names the rule that decided", async () => {
    const { answer, messageId } = await receive(letter('spam-3'), { verdicts: { spam: 'FAIL' } });
    expect(answer).toEqual({ disposition: 'STOP_RULE' });
    const { run, line } = await listed(messageId);
    expect(line, run.stderr).toMatchObject({
      held: { cause: 'verdict', reason: expect.stringMatching(/enforce-ses-verdicts/) },
    });
  }, 60_000);

  it('held: a message delivered (CONTINUE) leaves no record; one quarantined with none is listed, "no reason recorded", exit 0', async () => {
    const { answer, messageId } = await receive(letter('fine-4'));
    expect(answer).toEqual({ disposition: 'CONTINUE' });
    await expect(text(`held/${messageId}.json`)).rejects.toThrow();
    // Quarantined by an older guard, or by hand: listed, its reason said to be unknown rather than left out.
    const bytes = letter('old-4');
    const oldId = sesMessageId();
    await stack().s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `quarantine/${oldId}`, Body: bytes }));
    const { run, line } = await listed(oldId);
    expect(line, run.stderr).toMatchObject({ held: null });
    const human = await wmflow(['quarantine', 'list', `s3://${BUCKET}/quarantine/`], stack().env);
    expect(human.stdout).toMatch(
      new RegExp(`quarantine/${oldId}[^\\n]*\\n[^\\n]*\\n    held: no reason recorded`),
    );
  }, 60_000);

  it("a record that names another message is not shown as this one's reason: listed as not readable, exit 1", async () => {
    const bytes = letter('mixed-5');
    const id = sesMessageId();
    await stack().s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `quarantine/${id}`, Body: bytes }));
    await stack().s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `held/${id}.json`,
        Body: JSON.stringify({
          messageId: 'someoneelse',
          disposition: 'STOP_RULE',
          cause: 'verdict',
          reason: 'x',
        }),
      }),
    );
    const { run, line } = await listed(id);
    expect(line, run.stderr).toMatchObject({
      held: null,
      heldError: expect.stringMatching(/names another message/),
    });
    expect(run.code).toBe(1);
    // A role that may not read the records lists without them, saying so on every row: exit 0.
    const without = await wmflow(
      ['quarantine', 'list', `s3://${BUCKET}/quarantine/`, '--reasons', 'none'],
      stack().env,
    );
    expect(without.code, without.stderr).toBe(0);
    expect(without.stdout).toMatch(/held: reason not read \(--reasons none\)/);
    expect(without.stdout).not.toMatch(/held \(/);
  }, 60_000);
});
