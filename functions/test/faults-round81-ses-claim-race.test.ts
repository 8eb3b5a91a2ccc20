import { PutObjectCommand } from '@aws-sdk/client-s3';
import { onFlowOutcome } from '@wmflow/core';
import { bounceClaimKey } from '@wmflow/core/ses';
import { makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { EXE_MESSAGE } from './exe-message.js';
import { stored } from './fault-harness.js';
import { type Bounced, BUCKET, isClaim, sesClaimKit } from './ses-claim-kit.js';

// Fault round 81 (F81-1): round 80's bounce claim (`held/<messageId>.bounce.json`, `If-None-Match: *`) took a 412 on
// any later attempt of the SDK's for its own first attempt, applied with its answer lost. But a first attempt S3
// refused (503 SlowDown, in S3's shape, naming its request) stored nothing: a 412 after it is another invocation's
// claim, made in the SDK's backoff between the two attempts (the same message delivered twice at once: an event
// delivered twice, Mail Manager's retry). Both invocations sent a bounce. Bounces are counted at the SES emulator.
const { t, received, invoke } = sesClaimKit();
const SLOW_DOWN = {
  do: 'answer' as const,
  status: 503,
  headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'F81SLOWDOWN0001' },
  body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>F81SLOWDOWN0001</RequestId></Error>',
};

describe('guard-ses: a 412 after an attempt S3 refused is another invocation’s claim (fault round 81)', () => {
  it('F81-1: the first claim refused 503, a second invocation claims and bounces meanwhile: one bounce in all', async () => {
    const { id, event } = await received();
    const outcomes: Bounced[] = [];
    const stop = onFlowOutcome((o) => {
      if (o.messageId === id) outcomes.push(o as Bounced);
    });
    let claims = 0;
    let rival: Promise<unknown> | undefined;
    t.proxy.decide = async (req) => {
      if (req.method !== 'PUT' || !isClaim(req.url)) return { do: 'forward' };
      claims++;
      if (claims !== 1) return { do: 'forward' };
      // While the first invocation's claim is on its way, the same message's second invocation runs whole.
      rival = invoke(event);
      await rival;
      return SLOW_DOWN;
    };
    try {
      const answer = await invoke(event);
      expect(await rival).toEqual({ disposition: 'STOP_RULE_SET' });
      expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
    } finally {
      stop();
      t.proxy.decide = () => ({ do: 'forward' });
    }
    expect(claims, JSON.stringify(outcomes)).toBe(3);
    expect(t.stack.ses.bounces(id), JSON.stringify(outcomes)).toHaveLength(1);
    const sent = outcomes.filter((o) => o.bounce?.status === 'sent');
    expect(sent, JSON.stringify(outcomes)).toHaveLength(1);
    const other = outcomes.find((o) => o.bounce?.status !== 'sent');
    expect(other?.bounce?.reason).toMatch(/earlier invocation for this message/);
    expect(
      (await stored(t.stack, BUCKET, bounceClaimKey('held/', id, ['bob@corp.example'])))?.toString(),
    ).toContain(id);
  }, 30_000);

  it('held: the first claim refused 503 and no rival: the SDK’s retry claims it, the bounce sent once', async () => {
    const { id, event } = await received();
    let outcome: Bounced | undefined;
    const stop = onFlowOutcome((o) => {
      if (o.messageId === id) outcome = o as Bounced;
    });
    let claims = 0;
    t.proxy.decide = (req) => {
      if (req.method !== 'PUT' || !isClaim(req.url)) return { do: 'forward' };
      claims++;
      return claims === 1 ? SLOW_DOWN : { do: 'forward' };
    };
    try {
      expect(await invoke(event)).toEqual({ disposition: 'STOP_RULE_SET' });
    } finally {
      stop();
      t.proxy.decide = () => ({ do: 'forward' });
    }
    expect(claims).toBe(2);
    expect(outcome?.bounce?.status, JSON.stringify(outcome)).toBe('sent');
    expect(outcome?.bounce?.claim).toBe(
      `s3://${BUCKET}/${bounceClaimKey('held/', id, ['bob@corp.example'])}`,
    );
    expect(t.stack.ses.bounces(id)).toHaveLength(1);
  }, 30_000);

  it('held: the first claim applied and its answer 503 (something in between): the 412 after it is its own, one bounce', async () => {
    const { id, event } = await received();
    let outcome: Bounced | undefined;
    const stop = onFlowOutcome((o) => {
      if (o.messageId === id) outcome = o as Bounced;
    });
    let claims = 0;
    t.proxy.decide = (req) => {
      if (req.method !== 'PUT' || !isClaim(req.url)) return { do: 'forward' };
      claims++;
      // A gateway's own 503 page after the claim went through: no S3 request named, so it proves nothing.
      return claims === 1
        ? {
            do: 'apply-then-answer',
            status: 503,
            headers: { 'content-type': 'text/html' },
            body: '<html>503</html>',
          }
        : { do: 'forward' };
    };
    try {
      expect(await invoke(event)).toEqual({ disposition: 'STOP_RULE_SET' });
    } finally {
      stop();
      t.proxy.decide = () => ({ do: 'forward' });
    }
    expect(claims).toBe(2);
    expect(outcome?.bounce?.status, JSON.stringify(outcome)).toBe('sent');
    expect(t.stack.ses.bounces(id)).toHaveLength(1);
  }, 30_000);
});

// Fault round 81 (F81-2): SES invokes a receipt rule's Lambda action with the recipients that rule matched
// (`receipt.recipients`); a message whose recipients match two rules (one a domain or an address, each with guard-ses)
// reaches it twice under one message id, each invocation for its own recipients. Round 80's claim was per message id:
// the second rule's recipients were stopped unbounced ('an earlier invocation … already sent its bounce'), though the
// bounce sent named only the first rule's.
describe('guard-ses: two receipt rules for one message, each its own recipients (fault round 81)', () => {
  it('F81-2: each rule’s recipients bounced once, a duplicate of either not again', async () => {
    const id = sesMessageId();
    await t.stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `inbound/${id}`, Body: EXE_MESSAGE }));
    t.stack.ses.receive(id);
    const destination = ['bob@corp.example', 'carol@corp.example'];
    const first = makeSesEvent({ messageId: id, recipients: ['bob@corp.example'], destination });
    const second = makeSesEvent({ messageId: id, recipients: ['carol@corp.example'], destination });
    const outcomes: Bounced[] = [];
    const stop = onFlowOutcome((o) => {
      if (o.messageId === id) outcomes.push(o as Bounced);
    });
    try {
      expect(await invoke(first)).toEqual({ disposition: 'STOP_RULE_SET' });
      expect(await invoke(second)).toEqual({ disposition: 'STOP_RULE_SET' });
      // The second rule's event delivered again: its recipients are not bounced twice.
      expect(await invoke(second)).toEqual({ disposition: 'STOP_RULE_SET' });
    } finally {
      stop();
    }
    const bounced = t.stack.ses.bounces(id).map((b) => b.recipients.map((r) => r.recipient));
    expect(bounced, JSON.stringify(outcomes)).toEqual([['bob@corp.example'], ['carol@corp.example']]);
    expect(outcomes.map((o) => o.bounce?.status)).toEqual(['sent', 'sent', 'failed']);
    expect(outcomes[2]?.bounce?.reason).toMatch(/earlier invocation for this message/);
    for (const who of ['bob@corp.example', 'carol@corp.example'])
      expect(
        JSON.parse((await stored(t.stack, BUCKET, bounceClaimKey('held/', id, [who])))?.toString() ?? '{}'),
      ).toMatchObject({ messageId: id, recipients: [who] });
  }, 30_000);
});
