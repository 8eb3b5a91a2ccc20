import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type FlowOutcome, onFlowOutcome } from '@wmflow/core';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { guardSes } from '../guard-ses/guard-ses.js';
import { EXE_MESSAGE } from './exe-message.js';
import { type Act, proxyBefore } from './scripted-proxy.js';

// F57-2: SendBounce carried out by SES, then answered by something in between with a 4xx in SES's own error shape
// (Throttling: a gateway's or proxy's own rate limit dressed as SES's). Taken for SES's refusal ("nothing sent"),
// the SDK sent it again: the sender got two bounces, the outcome said one was sent. SES names the request it
// refuses, in its x-amzn-RequestId header and in its error document alike; a 4xx without that (or naming two
// requests) is no proof SES did nothing: not sent again, reported failed, "may have been sent". SES's own
// Throttling (both ids, the same) is still retried, as round 49 wants.
const BUCKET = 'inbound-mail';
const t = proxyBefore('SES', [BUCKET]);

type Bounced = FlowOutcome & { bounce?: { status: string; reason?: string; bounceId?: string } };

async function bounceThrough(
  acts: Act[],
): Promise<{ id: string; outcome: Bounced | undefined; calls: number }> {
  const id = sesMessageId();
  await t.stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `inbound/${id}`, Body: EXE_MESSAGE }));
  t.stack.ses.receive(id);
  let calls = 0;
  t.proxy.decide = (_req, body) => {
    if (!body.toString().includes('Action=SendBounce')) return { do: 'forward' };
    calls++;
    return acts[calls - 1] ?? { do: 'forward' };
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

const throttled = (requestId: string) =>
  `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Maximum sending rate exceeded.</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
const ID = '7c1f3a52-5b1e-4f0e-9d55-0d4c3c6b8f21';
const XML = { 'content-type': 'text/xml' };

describe('F57-2: SendBounce carried out, then a 4xx in SES’s shape from something in between', () => {
  const forged: [string, Act][] = [
    [
      'Throttling without SES’s request id header',
      { do: 'apply-then-answer', status: 400, headers: XML, body: throttled(ID) },
    ],
    [
      'Throttling whose header and document name different requests',
      {
        do: 'apply-then-answer',
        status: 400,
        headers: { ...XML, 'x-amzn-RequestId': 'a0a0a0a0-0000-4000-8000-000000000000' },
        body: throttled(ID),
      },
    ],
    [
      'a 403 AccessDenied without SES’s request id header',
      {
        do: 'apply-then-answer',
        status: 403,
        headers: XML,
        body: throttled(ID).replace('Throttling', 'AccessDenied'),
      },
    ],
  ];
  for (const [name, act] of forged)
    it(`${name}: not sent again (one bounce), reported failed as possibly sent`, async () => {
      const r = await bounceThrough([act]);
      const facts = JSON.stringify({
        bounce: r.outcome?.bounce,
        calls: r.calls,
        bounces: t.stack.ses.bounces(r.id).length,
      });
      expect(t.stack.ses.bounces(r.id), facts).toHaveLength(1);
      expect(r.calls, facts).toBe(1);
      expect(r.outcome?.bounce?.status, facts).toBe('failed');
      expect(r.outcome?.bounce?.reason, facts).toMatch(/may have been sent/);
    }, 30_000);

  it('control: SES’s own Throttling (its request id in header and document) is retried: one bounce, sent', async () => {
    const r = await bounceThrough([
      { do: 'answer', status: 400, headers: { ...XML, 'x-amzn-RequestId': ID }, body: throttled(ID) },
    ]);
    const facts = JSON.stringify({
      bounce: r.outcome?.bounce,
      calls: r.calls,
      bounces: t.stack.ses.bounces(r.id).length,
    });
    expect(r.calls, facts).toBe(2);
    expect(t.stack.ses.bounces(r.id), facts).toHaveLength(1);
    expect(r.outcome?.bounce?.status, facts).toBe('sent');
  }, 30_000);

  it('control: the emulator’s own refusal names its request as SES does: reported as refused, not as possibly sent', async () => {
    // BounceSender outside what SES accepts for the message: the emulator refuses, nothing is sent.
    const id = sesMessageId();
    await t.stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `inbound/${id}`, Body: EXE_MESSAGE }));
    // Not received by SES: SendBounce is refused (MessageRejected or the like).
    let outcome: Bounced | undefined;
    const stop = onFlowOutcome((o) => {
      if (o.messageId === id) outcome = o as Bounced;
    });
    try {
      await guardSes({
        STORED_BUCKET: BUCKET,
        STORED_KEY_PREFIX: 'inbound/',
        BOUNCE_SENDER: 'postmaster@corp.example',
        ORGANIZATION_DOMAINS: 'corp.example',
      })(makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }), lambdaContext());
    } finally {
      stop();
    }
    expect(t.stack.ses.bounces(id)).toHaveLength(0);
    expect(outcome?.bounce?.status).toBe('failed');
    expect(outcome?.bounce?.reason).not.toMatch(/may have been sent/);
  }, 30_000);
});

describe('F57-2 (held): SES’s own refusal cut mid-way', () => {
  const cuts: [string, Act][] = [
    ['re-sent chunked, ended well-formed after 100 bytes', { do: 'forward-chunked-cut', keep: 100 }],
    [
      'delimited by the connection’s close, cut after 100 bytes',
      { do: 'forward-close-delimited', keep: 100 },
    ],
  ];
  for (const [name, act] of cuts)
    it(`${name}: not sent again, reported as possibly sent (a cut answer proves neither way)`, async () => {
      // Not received by SES: the emulator refuses the SendBounce (a 4xx naming its request), and the proxy cuts it.
      const id = sesMessageId();
      await t.stack.s3.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: `inbound/${id}`, Body: EXE_MESSAGE }),
      );
      let calls = 0;
      t.proxy.decide = (_req, body) => {
        if (!body.toString().includes('Action=SendBounce')) return { do: 'forward' };
        calls++;
        return act;
      };
      let outcome: Bounced | undefined;
      const stop = onFlowOutcome((o) => {
        if (o.messageId === id) outcome = o as Bounced;
      });
      try {
        await guardSes({
          STORED_BUCKET: BUCKET,
          STORED_KEY_PREFIX: 'inbound/',
          BOUNCE_SENDER: 'postmaster@corp.example',
          ORGANIZATION_DOMAINS: 'corp.example',
        })(makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }), lambdaContext());
      } finally {
        stop();
        t.proxy.decide = () => ({ do: 'forward' });
      }
      const facts = JSON.stringify({ bounce: outcome?.bounce, calls });
      expect(calls, facts).toBe(1);
      expect(outcome?.bounce?.status, facts).toBe('failed');
      expect(outcome?.bounce?.reason, facts).toMatch(/may have been sent/);
    }, 30_000);
});
