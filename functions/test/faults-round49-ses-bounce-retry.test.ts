import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type FlowOutcome, onFlowOutcome } from '@wmflow/core';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { guardSes } from '../guard-ses/guard-ses.js';
import { EXE_MESSAGE } from './exe-message.js';
import { type Act, proxyBefore } from './scripted-proxy.js';

// F49-1: SendBounce is not idempotent (no token; SES sends a bounce per call it carries out). The SDK's standard retry
// sent it again when the first call reached SES and its answer was lost (a connection reset, a 5xx from something in
// between after SES had sent it): the sender got two bounces, and the outcome said one was sent. A call that may have
// reached SES is not sent again now: the bounce is reported failed, "may have been sent", and the message stays stopped.
// A call SES refused with its own error (throttled: nothing sent) is still retried.
const BUCKET = 'inbound-mail';
const t = proxyBefore('SES', [BUCKET]);

type Bounced = FlowOutcome & { bounce?: { status: string; reason?: string; bounceId?: string } };

async function bounceThrough(
  first: Act,
): Promise<{ id: string; outcome: Bounced | undefined; calls: number }> {
  const id = sesMessageId();
  await t.stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `inbound/${id}`, Body: EXE_MESSAGE }));
  t.stack.ses.receive(id);
  let calls = 0;
  t.proxy.decide = (_req, body) => {
    if (!body.toString().includes('Action=SendBounce')) return { do: 'forward' };
    calls++;
    return calls === 1 ? first : { do: 'forward' };
  };
  let outcome: Bounced | undefined;
  const stop = onFlowOutcome((o) => {
    if (o.messageId === id) outcome = o as Bounced;
  });
  try {
    const answer = await guardSes({
      STORED_BUCKET: BUCKET,
      STORED_KEY_PREFIX: 'inbound/',
      BOUNCE_SENDER: 'postmaster@corp.example',
      ORGANIZATION_DOMAINS: 'corp.example',
    })(makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }), lambdaContext());
    expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
  } finally {
    stop();
    t.proxy.decide = () => ({ do: 'forward' });
  }
  return { id, outcome, calls };
}

describe('F49-1: SendBounce carried out by SES, its answer lost', () => {
  const lost: [string, Act][] = [
    ['the connection reset after SES answered', { do: 'apply-then-drop' }],
    [
      'a 502 page from something in between after SES answered',
      {
        do: 'apply-then-answer',
        status: 502,
        headers: { 'content-type': 'text/html' },
        body: '<html>bad gateway</html>',
      },
    ],
    [
      'a 500 InternalFailure after SES answered',
      {
        do: 'apply-then-answer',
        status: 500,
        headers: { 'content-type': 'text/xml' },
        body: '<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>x</Message></Error><RequestId>r</RequestId></ErrorResponse>',
      },
    ],
  ];
  for (const [name, act] of lost)
    it(`${name}: not sent again (one bounce), reported failed as possibly sent`, async () => {
      const { id, outcome, calls } = await bounceThrough(act);
      const facts = JSON.stringify({
        bounce: outcome?.bounce,
        calls,
        bounces: t.stack.ses.bounces(id).length,
      });
      expect(t.stack.ses.bounces(id), facts).toHaveLength(1);
      expect(calls, facts).toBe(1);
      expect(outcome?.bounce?.status, facts).toBe('failed');
      expect(outcome?.bounce?.reason, facts).toMatch(/may have been sent/);
    }, 30_000);
});

describe('F49-1: SendBounce refused by SES itself (nothing sent)', () => {
  it('a Throttling error is retried: one bounce, reported sent', async () => {
    const { id, outcome, calls } = await bounceThrough({
      do: 'answer',
      status: 400,
      // SES's own refusal names its request in the header and the document alike (round 57 trusts no other).
      headers: { 'content-type': 'text/xml', 'x-amzn-RequestId': 'r' },
      body: '<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Maximum sending rate exceeded.</Message></Error><RequestId>r</RequestId></ErrorResponse>',
    });
    const facts = JSON.stringify({ bounce: outcome?.bounce, calls, bounces: t.stack.ses.bounces(id).length });
    expect(calls, facts).toBe(2);
    expect(t.stack.ses.bounces(id), facts).toHaveLength(1);
    expect(outcome?.bounce?.status, facts).toBe('sent');
  }, 30_000);
});
