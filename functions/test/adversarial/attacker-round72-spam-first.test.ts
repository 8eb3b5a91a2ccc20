import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type FlowResponse, readResponse } from '@wmflow/core';
import { lambdaContext, makeFlowEvent, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { guard } from '../../guard/guard.js';
import { guardSes } from '../../guard-ses/guard-ses.js';
import { useTwinStack } from './twin-kit.js';

// A72-1: `ses-verdicts` ran before `attachments` and `impersonation`, and the first verdict settled wins. A spam
// FAIL is the cheapest verdict an outside sender can earn (a spammy subject and body): its default action, Junk,
// settled every recipient, so the attachment policy never ran and an `.exe` went to the Junk folder (on SES:
// quarantined, or delivered with JUNK_POLICY=deliver) instead of bouncing, as a junk rate limit's did before
// attacker round 61. With the documented SPAM_ACTION=deliver it settled DEFAULT: the `.exe` reached the inbox and a
// protected name's impersonation was not sent to Junk. A verdict of SES's that still delivers (Junk, deliver) now
// runs after the protections; one that refuses (bounce, drop) still runs first.
const stack = useTwinStack();
const CRLF = '\r\n';
const TO = ['bob@corp.example'];
const STORED = { bucket: 'inbound-mail', keyPrefix: 'inbound/' };

function message(
  spam: 'PASS' | 'FAIL',
  virus: 'PASS' | 'FAIL',
  body: string[] = ['Content-Type: text/plain', '', 'Hello.'],
  from = 'Mallory <mallory@evil.example>',
): Buffer {
  return Buffer.from(
    [
      `X-SES-Spam-Verdict: ${spam}`,
      `X-SES-Virus-Verdict: ${virus}`,
      `From: ${from}`,
      'To: bob@corp.example',
      'Subject: WIN A PRIZE NOW',
      'Date: Sun, 06 Dec 2026 10:00:00 +0000',
      'Message-ID: <r72-spam@evil.example>',
      'MIME-Version: 1.0',
      ...body,
      '',
    ].join(CRLF),
  );
}

const withFile = (name: string, bytes: string) => [
  'Content-Type: multipart/mixed; boundary="b"',
  '',
  '--b',
  'Content-Type: text/plain',
  '',
  'Claim your prize: open the attachment.',
  '--b',
  `Content-Type: application/octet-stream; name="${name}"`,
  `Content-Disposition: attachment; filename="${name}"`,
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from(bytes).toString('base64'),
  '--b--',
];
const EXE = withFile('prize.exe', 'MZ\x90\x00wmflow-attacker-r72');
const PDF = withFile('prize.pdf', '%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

async function workmail(env: Record<string, string>, bytes: Buffer, mailFrom = 'mallory@evil.example') {
  const handler = guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: 'updates', ...env });
  const messageId = stack().flow.load(bytes);
  const event = makeFlowEvent({ messageId, mailFrom, recipients: TO });
  const response = (await handler(event, lambdaContext())) as FlowResponse;
  return readResponse(response, TO, 'INBOUND').verdicts.get('bob@corp.example')?.type;
}

async function ses(
  env: Record<string, string>,
  bytes: Buffer,
  verdicts: { spam: 'PASS' | 'FAIL'; virus: 'PASS' | 'FAIL' },
) {
  const handler = guardSes({
    ORGANIZATION_DOMAINS: 'corp.example',
    STORED_BUCKET: STORED.bucket,
    STORED_KEY_PREFIX: STORED.keyPrefix,
    BOUNCE_SENDER: 'postmaster@corp.example',
    ...env,
  });
  const messageId = sesMessageId();
  await stack().s3.send(
    new PutObjectCommand({ Bucket: STORED.bucket, Key: `${STORED.keyPrefix}${messageId}`, Body: bytes }),
  );
  stack().ses.receive(messageId);
  const answer = await handler(
    makeSesEvent({ messageId, source: 'mallory@evil.example', recipients: TO, verdicts }),
    lambdaContext(),
  );
  return { answer, bounces: stack().ses.bounces(messageId) };
}

describe('A72-1: a spam verdict that delivers does not pre-empt the attachment and impersonation checks', () => {
  it('bounces an .exe in a spam FAIL message at the defaults (WorkMail guard)', async () => {
    expect(await workmail({}, message('FAIL', 'PASS', EXE))).toBe('BOUNCE');
  });
  it('bounces an .exe in a spam FAIL message with SPAM_ACTION=deliver', async () => {
    expect(await workmail({ SPAM_ACTION: 'deliver' }, message('FAIL', 'PASS', EXE))).toBe('BOUNCE');
  });
  it('bounces an .exe in a virus FAIL message with VIRUS_ACTION=junk', async () => {
    expect(await workmail({ VIRUS_ACTION: 'junk' }, message('PASS', 'FAIL', EXE))).toBe('BOUNCE');
  });
  it('sends a protected name to Junk in a spam FAIL message with SPAM_ACTION=deliver', async () => {
    const bytes = message('FAIL', 'PASS', undefined, 'Jane Doe <jane.doe@evil.example>');
    expect(await workmail({ SPAM_ACTION: 'deliver', PROTECTED_NAMES: 'Jane Doe' }, bytes)).toBe(
      'MOVE_TO_JUNK',
    );
  });
  it('bounces an .exe in a spam FAIL message on SES (guard-ses, JUNK_POLICY=deliver)', async () => {
    const { answer, bounces } = await ses({ JUNK_POLICY: 'deliver' }, message('FAIL', 'PASS', EXE), {
      spam: 'FAIL',
      virus: 'PASS',
    });
    expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(bounces).toHaveLength(1);
  });
  it('bounces an .exe in a spam FAIL message on SES at the defaults (not quarantined)', async () => {
    const { answer, bounces } = await ses({}, message('FAIL', 'PASS', EXE), { spam: 'FAIL', virus: 'PASS' });
    expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(bounces).toHaveLength(1);
  });

  describe('controls', () => {
    it('a spam FAIL with a PDF still goes to Junk; with SPAM_ACTION=deliver it is delivered', async () => {
      expect(await workmail({}, message('FAIL', 'PASS', PDF))).toBe('MOVE_TO_JUNK');
      expect(await workmail({ SPAM_ACTION: 'deliver' }, message('FAIL', 'PASS', PDF))).toBe('DEFAULT');
    });
    it('a clean message is delivered, and a virus FAIL still bounces', async () => {
      expect(await workmail({}, message('PASS', 'PASS', PDF))).toBe('DEFAULT');
      expect(await workmail({}, message('PASS', 'FAIL', PDF))).toBe('BOUNCE');
    });
    it('SPAM_ACTION=bounce still bounces a spam FAIL with the spam message', async () => {
      expect(await workmail({ SPAM_ACTION: 'bounce' }, message('FAIL', 'PASS'))).toBe('BOUNCE');
    });
    it('a virus FAIL with VIRUS_ACTION=junk and no blocked file still goes to Junk', async () => {
      expect(await workmail({ VIRUS_ACTION: 'junk' }, message('PASS', 'FAIL', PDF))).toBe('MOVE_TO_JUNK');
    });
    it('on SES a spam FAIL with a PDF is quarantined as Junk, not bounced', async () => {
      const { answer, bounces } = await ses({}, message('FAIL', 'PASS', PDF), {
        spam: 'FAIL',
        virus: 'PASS',
      });
      expect(answer).not.toEqual({ disposition: 'CONTINUE' });
      expect(bounces).toHaveLength(0);
    });
  });
});
