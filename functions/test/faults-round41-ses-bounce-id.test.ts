import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type FlowOutcome, onFlowOutcome } from '@wmflow/core';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { guardSes } from '../guard-ses/guard-ses.js';
import { EXE_MESSAGE } from './exe-message.js';
import { proxyBefore } from './scripted-proxy.js';

// F41-4 (low): SendBounce answered 200 without a MessageId (an intermediary's answer, SES having sent nothing) is
// recorded as `bounce: { status: 'sent', bounceId: '' }` and the recipients as BOUNCE (packages/core/src/ses/send-bounce.ts):
// the outcome says the sender was told, when nothing says SES bounced anything. The S3 writes of the journal count
// only with an ETag; the bounce counts with nothing. (The message is stopped either way: no mail is delivered wrongly.)
const BUCKET = 'inbound-mail';
const t = proxyBefore('SES', [BUCKET]);

describe('F41-4: SendBounce answered 200 without a MessageId', () => {
  it('is not recorded as a bounce sent', async () => {
    const id = sesMessageId();
    await t.stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `inbound/${id}`, Body: EXE_MESSAGE }));
    t.stack.ses.receive(id);
    t.proxy.decide = (_req, body) =>
      body.toString().includes('Action=SendBounce')
        ? {
            do: 'answer',
            status: 200,
            headers: { 'content-type': 'text/xml' },
            body: '<SendBounceResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendBounceResult/><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></SendBounceResponse>',
          }
        : { do: 'forward' };
    let outcome: (FlowOutcome & { bounce?: { status: string; bounceId?: string } }) | undefined;
    const stop = onFlowOutcome((o) => {
      if (o.messageId === id) outcome = o as typeof outcome;
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
    }
    const facts = JSON.stringify({ bounce: outcome?.bounce, bounces: t.stack.ses.bounces(id).length });
    expect(t.stack.ses.bounces(id), facts).toHaveLength(0);
    expect(outcome?.bounce?.status, facts).toBe('failed');
  }, 30_000);
});
