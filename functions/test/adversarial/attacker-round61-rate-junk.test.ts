import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type FlowResponse, readResponse } from '@wmflow/core';
import { lambdaContext, makeFlowEvent, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { guard } from '../../guard/guard.js';
import { guardSes } from '../../guard-ses/guard-ses.js';
import { useTwinStack } from './twin-kit.js';

// A61-1: the rate rules run first in the guard's chain ("a burst is refused before the message is read"), and
// the first verdict settled wins. A documented rate limit with `"action": "junk"` (docs/deploy.md, RATE_LIMITS)
// settled MOVE_TO_JUNK before `ses-verdicts` and `attachments` ran: an outside sender who first sent `limit`
// harmless messages (the key `sender` is its own MAIL FROM) had its next message, a virus FAIL or an `.exe`,
// delivered to the recipient's Junk folder (on SES: quarantined, or delivered with JUNK_POLICY=deliver) instead
// of bounced. So did every message while the counter table could not answer under RATE_STORE_ON_ERROR=fail-closed.
// A limit whose verdict delivers (junk) now runs after the protections, still counting every message.
const stack = useTwinStack();
const CRLF = '\r\n';
const TO = ['bob@corp.example'];
const STORED = { bucket: 'inbound-mail', keyPrefix: 'inbound/' };

function message(top: string[], body: string[] = ['Content-Type: text/plain', '', 'Hello.']): Buffer {
  return Buffer.from(
    [
      ...top,
      'From: Mallory <mallory@evil.example>',
      'To: bob@corp.example',
      'Subject: Invoice',
      'Date: Sun, 29 Nov 2026 10:00:00 +0000',
      'Message-ID: <r61-rate@evil.example>',
      'MIME-Version: 1.0',
      ...body,
      '',
    ].join(CRLF),
  );
}

const clean = message(['X-SES-Spam-Verdict: PASS', 'X-SES-Virus-Verdict: PASS']);
const virus = message(['X-SES-Spam-Verdict: PASS', 'X-SES-Virus-Verdict: FAIL']);
const exe = message(
  ['X-SES-Spam-Verdict: PASS', 'X-SES-Virus-Verdict: PASS'],
  [
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'Invoice attached.',
    '--b',
    'Content-Type: application/octet-stream; name="invoice.exe"',
    'Content-Disposition: attachment; filename="invoice.exe"',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('MZ\x90\x00wmflow-attacker-r61').toString('base64'),
    '--b--',
  ],
);

const junkLimit = (name: string) =>
  JSON.stringify([{ name, key: 'sender', limit: 1, window: '1h', action: 'junk' }]);

async function workmail(env: Record<string, string>, bytes: Buffer, mailFrom: string) {
  const handler = guard({
    ORGANIZATION_DOMAINS: 'corp.example',
    UPDATES_BUCKET: 'updates',
    RATE_TABLE: 'wmflow-rate',
    ...env,
  });
  const messageId = stack().flow.load(bytes);
  const event = makeFlowEvent({ messageId, mailFrom, recipients: TO });
  const response = (await handler(event, lambdaContext())) as FlowResponse;
  return readResponse(response, TO, 'INBOUND').verdicts.get('bob@corp.example')?.type;
}

async function ses(
  env: Record<string, string>,
  bytes: Buffer,
  source: string,
  verdicts: { virus?: 'PASS' | 'FAIL' },
) {
  const handler = guardSes({
    ORGANIZATION_DOMAINS: 'corp.example',
    STORED_BUCKET: STORED.bucket,
    STORED_KEY_PREFIX: STORED.keyPrefix,
    BOUNCE_SENDER: 'postmaster@corp.example',
    RATE_TABLE: 'wmflow-rate',
    ...env,
  });
  const messageId = sesMessageId();
  await stack().s3.send(
    new PutObjectCommand({ Bucket: STORED.bucket, Key: `${STORED.keyPrefix}${messageId}`, Body: bytes }),
  );
  stack().ses.receive(messageId);
  const answer = await handler(
    makeSesEvent({ messageId, source, recipients: TO, verdicts: { spam: 'PASS', ...verdicts } }),
    lambdaContext(),
  );
  return { answer, bounces: stack().ses.bounces(messageId) };
}

describe('A61-1: a junk rate limit does not pre-empt the virus and attachment protections', () => {
  it('(control) the second clean message of the sender goes to Junk', async () => {
    const env = { RATE_LIMITS: junkLimit('r61-control') };
    expect(await workmail(env, clean, 'a1@evil.example')).toBe('DEFAULT');
    expect(await workmail(env, clean, 'a1@evil.example')).toBe('MOVE_TO_JUNK');
  });
  it('bounces a virus FAIL over the limit (WorkMail guard)', async () => {
    const env = { RATE_LIMITS: junkLimit('r61-virus') };
    expect(await workmail(env, clean, 'a2@evil.example')).toBe('DEFAULT');
    expect(await workmail(env, virus, 'a2@evil.example')).toBe('BOUNCE');
  });
  it('bounces an .exe over the limit (WorkMail guard)', async () => {
    const env = { RATE_LIMITS: junkLimit('r61-exe') };
    expect(await workmail(env, clean, 'a3@evil.example')).toBe('DEFAULT');
    expect(await workmail(env, exe, 'a3@evil.example')).toBe('BOUNCE');
  });
  it('still counts the bounced message: the next clean one goes to Junk', async () => {
    const env = { RATE_LIMITS: junkLimit('r61-count') };
    expect(await workmail(env, virus, 'a4@evil.example')).toBe('BOUNCE');
    expect(await workmail(env, clean, 'a4@evil.example')).toBe('MOVE_TO_JUNK');
  });
  it('bounces a virus FAIL while the counter table cannot answer (RATE_STORE_ON_ERROR=fail-closed)', async () => {
    const env = {
      RATE_TABLE: 'r61-no-such-table',
      RATE_STORE_ON_ERROR: 'fail-closed',
      RATE_LIMITS: junkLimit('r61-store'),
    };
    expect(await workmail(env, clean, 'a5@evil.example')).toBe('MOVE_TO_JUNK');
    expect(await workmail(env, virus, 'a5@evil.example')).toBe('BOUNCE');
  });
  it('bounces a virus FAIL over the limit on SES (guard-ses, JUNK_POLICY=deliver)', async () => {
    const env = { RATE_LIMITS: junkLimit('r61-ses'), JUNK_POLICY: 'deliver' };
    expect((await ses(env, clean, 'a6@evil.example', { virus: 'PASS' })).answer).toEqual({
      disposition: 'CONTINUE',
    });
    const { answer, bounces } = await ses(env, virus, 'a6@evil.example', { virus: 'FAIL' });
    expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(bounces).toHaveLength(1);
  });
});
