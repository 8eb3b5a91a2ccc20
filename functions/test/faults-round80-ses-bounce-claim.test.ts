import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type FlowOutcome, onFlowOutcome } from '@wmflow/core';
import { bounceClaimKey } from '@wmflow/core/ses';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { guardSes } from '../guard-ses/guard-ses.js';
import { EXE_MESSAGE } from './exe-message.js';
import { stored } from './fault-harness.js';
import { proxyBefore } from './scripted-proxy.js';

// Fault round 80 (F80-2), held probes of the bounce's claim (`held/<messageId>.bounce.json`, `If-None-Match: *`) with a
// proxy before S3: the claim applied and its answer lost, the SDK's retry answered 412 by the claim's own first
// attempt: still this invocation's, the bounce sent once; S3 answering the claim 503 past the SDK's retries: the bounce
// sent all the same, with a warning (a claim never costs a bounce).
const BUCKET = 'inbound-mail';
const t = proxyBefore('S3', [BUCKET]);
const ENV = {
  STORED_BUCKET: BUCKET,
  STORED_KEY_PREFIX: 'inbound/',
  BOUNCE_SENDER: 'postmaster@corp.example',
  ORGANIZATION_DOMAINS: 'corp.example',
};
type Bounced = FlowOutcome & { bounce?: { status: string; reason?: string } };
const isClaim = (url: string | undefined) => /\/held\/[^/]+\.bounce\.json/.test(url ?? '');

async function bounced(): Promise<{ id: string; outcome: Bounced | undefined; answer: unknown }> {
  const id = sesMessageId();
  await t.stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `inbound/${id}`, Body: EXE_MESSAGE }));
  t.stack.ses.receive(id);
  let outcome: Bounced | undefined;
  const stop = onFlowOutcome((o) => {
    if (o.messageId === id) outcome = o as Bounced;
  });
  try {
    const handler = guardSes(ENV) as unknown as (e: unknown, c: unknown) => Promise<unknown>;
    const answer = await handler(
      makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }),
      lambdaContext({ timeoutMs: 28_000 }),
    );
    return { id, outcome, answer };
  } finally {
    stop();
  }
}

describe('guard-ses: the bounce claim under S3 faults (fault round 80, held)', () => {
  it('the claim applied, its answer lost: the SDK retry’s 412 is its own, the bounce sent once', async () => {
    let claims = 0;
    t.proxy.decide = (req) => {
      if (req.method !== 'PUT' || !isClaim(req.url)) return { do: 'forward' };
      claims++;
      return claims === 1 ? { do: 'apply-then-drop' } : { do: 'forward' };
    };
    const { id, outcome, answer } = await bounced();
    t.proxy.decide = () => ({ do: 'forward' });
    expect(claims, JSON.stringify(outcome)).toBe(2);
    expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(outcome?.bounce?.status, JSON.stringify(outcome)).toBe('sent');
    expect(t.stack.ses.bounces(id)).toHaveLength(1);
    expect(
      (await stored(t.stack, BUCKET, bounceClaimKey('held/', id, ['bob@corp.example'])))?.toString(),
    ).toContain(id);
  });

  it('the claim answered 503 every time: the bounce sent all the same, with a warning', async () => {
    let claims = 0;
    t.proxy.decide = (req) => {
      if (req.method !== 'PUT' || !isClaim(req.url)) return { do: 'forward' };
      claims++;
      return {
        do: 'answer',
        status: 503,
        headers: { 'content-type': 'application/xml' },
        body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
      };
    };
    const { id, outcome } = await bounced();
    t.proxy.decide = () => ({ do: 'forward' });
    expect(claims).toBeGreaterThan(0);
    expect(outcome?.bounce?.status, JSON.stringify(outcome)).toBe('sent');
    expect(outcome?.warnings.join(' ')).toMatch(/could not be claimed .*SlowDown.* sent all the same/);
    expect(t.stack.ses.bounces(id)).toHaveLength(1);
    expect(await stored(t.stack, BUCKET, bounceClaimKey('held/', id, ['bob@corp.example']))).toBeUndefined();
  }, 30_000);
});
