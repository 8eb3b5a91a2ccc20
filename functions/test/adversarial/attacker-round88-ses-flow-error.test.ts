import { Logger } from '@aws-lambda-powertools/logger';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { guardSes } from '../../guard-ses/guard-ses.js';
import { mail, withPart } from './attacker-kit.js';
import { useTwinStack } from './twin-kit.js';

// Attacker round 88 (fault round 69's lead): an error that escapes guard-ses's chain outside any rule (a defect in
// wmflow's own code after the rules; here the invocation's report failing once, injected, as no input was found to
// cause one) followed the flow's `onError`, which guard-ses left at `fail-open`: it answered CONTINUE and the `.exe`
// went on to the rule's delivery actions, every protection skipped. guard-ses now holds it (`onFlowError: STOP_RULE`).
const stack = useTwinStack();
const STORED = { bucket: 'inbound-mail', keyPrefix: 'inbound/' };
const BASE = {
  ORGANIZATION_DOMAINS: 'corp.example',
  STORED_BUCKET: STORED.bucket,
  STORED_KEY_PREFIX: STORED.keyPrefix,
  BOUNCE_SENDER: 'postmaster@corp.example',
};

async function ses(bytes: Buffer, failReportOnce: boolean) {
  const handler = guardSes(BASE);
  const messageId = sesMessageId();
  await stack().s3.send(
    new PutObjectCommand({ Bucket: STORED.bucket, Key: `${STORED.keyPrefix}${messageId}`, Body: bytes }),
  );
  stack().ses.receive(messageId);
  const event = makeSesEvent({
    messageId,
    source: 'x@evil.example',
    recipients: ['bob@corp.example'],
    headers: [{ name: 'From', value: 'Ann <ann@evil.example>' }],
  });
  if (failReportOnce) {
    let thrown = false;
    for (const level of ['info', 'warn'] as const) {
      const original = Logger.prototype[level];
      vi.spyOn(Logger.prototype, level).mockImplementation(function (this: Logger, ...args: unknown[]) {
        if (args[0] === 'wmflow invocation' && !thrown) {
          thrown = true;
          throw new TypeError('a defect after the chain');
        }
        return (original as (...a: unknown[]) => void).apply(this, args);
      });
    }
  }
  return { answer: await handler(event, lambdaContext()), bounces: stack().ses.bounces(messageId) };
}

const EXE = mail(
  ['From: Ann <ann@evil.example>', 'Content-Type: multipart/mixed; boundary="b"'],
  withPart(
    [
      'Content-Type: application/octet-stream; name="invoice.exe"',
      'Content-Disposition: attachment; filename="invoice.exe"',
      'Content-Transfer-Encoding: base64',
      '',
      'TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAA=',
    ].join('\r\n'),
  ),
);
const LETTER = mail(['From: Ann <ann@evil.example>', 'Content-Type: text/plain'], 'See you at noon.');

afterEach(() => {
  vi.restoreAllMocks();
});

describe('A88-1: an error escaping guard-ses outside any rule', () => {
  it('holds a benign letter (STOP_RULE), never CONTINUE', async () => {
    expect((await ses(LETTER, true)).answer).toEqual({ disposition: 'STOP_RULE' });
  });
  it('holds the .exe whose bounce it had decided (STOP_RULE), never CONTINUE', async () => {
    expect((await ses(EXE, true)).answer).toEqual({ disposition: 'STOP_RULE' });
  });
  it('control: without the fault the letter is delivered and the .exe bounced', async () => {
    expect((await ses(LETTER, false)).answer).toEqual({ disposition: 'CONTINUE' });
    const exe = await ses(EXE, false);
    expect(exe.answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(exe.bounces.length).toBe(1);
  });
});
