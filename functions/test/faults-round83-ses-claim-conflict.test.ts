import { bounceClaimKey } from '@wmflow/core/ses';
import { describe, expect, it } from 'vitest';
import { stored } from './fault-harness.js';
import { BUCKET, isClaim, sesClaimKit } from './ses-claim-kit.js';

// Fault round 83 on round 82's bounce claim (F82-3): a `409` is sent again up to three times within the claim's
// budget; still in conflict when they are spent, the claim was taken for another invocation's and the message stopped
// with no bounce. After an attempt whose answer was lost, the conflict may be that attempt's own write, which S3 stored
// under this invocation's token: nobody bounced the message. The claim is read back (the `s3:GetObject` round 82
// granted) before giving up: this invocation's token, the bounce is its own to send. Bounces are counted at the SES
// emulator; the faults are S3's own answers in S3's shape, played by a scripted proxy before the local S3.
const { t, received, invoke, watch } = sesClaimKit();
const CONFLICT = {
  do: 'answer' as const,
  status: 409,
  headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'F83CONFLICT0001' },
  body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>ConditionalRequestConflict</Code><Message>A conflicting operation occurred. If using PutObject you can retry the request.</Message><RequestId>F83CONFLICT0001</RequestId></Error>',
};
// A gateway's page: no S3 request named, so the attempt may or may not have reached S3.
const GATEWAY = {
  do: 'answer' as const,
  status: 502,
  headers: { 'content-type': 'text/html' },
  body: '<html><body>502 Bad Gateway</body></html>',
};

describe('guard-ses: a 409 that outlasts the claim’s retries (fault round 83)', () => {
  it('F83-1: the first claim stored and its answer lost, every later attempt answered 409: the claim read back is its own, one bounce', async () => {
    const { id, event } = await received();
    const { outcomes, stop } = watch(id);
    let claims = 0;
    let reads = 0;
    t.proxy.decide = (req) => {
      if (req.method === 'GET' && isClaim(req.url)) reads++;
      if (req.method !== 'PUT' || !isClaim(req.url)) return { do: 'forward' };
      claims++;
      return claims === 1 ? { do: 'apply-then-drop' } : CONFLICT;
    };
    try {
      expect(await invoke(event)).toEqual({ disposition: 'STOP_RULE_SET' });
    } finally {
      stop();
      t.proxy.decide = () => ({ do: 'forward' });
    }
    const claim = JSON.parse(
      (await stored(t.stack, BUCKET, bounceClaimKey('held/', id, ['bob@corp.example'])))?.toString() ?? '{}',
    );
    expect(claim).toMatchObject({ messageId: id, recipients: ['bob@corp.example'] });
    expect(claims).toBeGreaterThanOrEqual(4); // the lost one, then the SDK's and the three sent again, all in conflict
    expect(reads).toBe(1);
    expect(outcomes[0]?.bounce?.status, JSON.stringify(outcomes)).toBe('sent');
    expect(t.stack.ses.bounces(id)).toHaveLength(1);
  }, 30_000);

  it('held: the first claim lost before S3 (a gateway page), another invocation claims and bounces, the rest answered 409: one bounce in all', async () => {
    const { id, event } = await received();
    const { outcomes, stop } = watch(id);
    let claims = 0;
    let rival: Promise<unknown> | undefined;
    t.proxy.decide = async (req) => {
      if (req.method !== 'PUT' || !isClaim(req.url)) return { do: 'forward' };
      claims++;
      if (claims === 1) {
        rival = invoke(event);
        await rival;
        return GATEWAY;
      }
      // The rival's own claim went through (its first PUT, the second here); every later one of ours is in conflict.
      return claims === 2 ? { do: 'forward' } : CONFLICT;
    };
    try {
      const answer = await invoke(event);
      expect(await rival).toEqual({ disposition: 'STOP_RULE_SET' });
      expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
    } finally {
      stop();
      t.proxy.decide = () => ({ do: 'forward' });
    }
    expect(t.stack.ses.bounces(id), JSON.stringify(outcomes)).toHaveLength(1);
    expect(outcomes.map((o) => o.bounce?.status).sort()).toEqual(['failed', 'sent']);
    const other = outcomes.find((o) => o.bounce?.status !== 'sent');
    expect(other?.bounce?.reason).toMatch(/earlier invocation for this message/);
  }, 30_000);

  it('held: every attempt refused 409 by S3 in its own name, nothing lost: another invocation’s, no read, no bounce from this one', async () => {
    const { id, event } = await received();
    const { outcomes, stop } = watch(id);
    let reads = 0;
    t.proxy.decide = (req) => {
      if (req.method === 'GET' && isClaim(req.url)) reads++;
      if (req.method !== 'PUT' || !isClaim(req.url)) return { do: 'forward' };
      return CONFLICT;
    };
    try {
      expect(await invoke(event)).toEqual({ disposition: 'STOP_RULE_SET' });
    } finally {
      stop();
      t.proxy.decide = () => ({ do: 'forward' });
    }
    expect(reads).toBe(0);
    expect(t.stack.ses.bounces(id)).toHaveLength(0);
    expect(outcomes[0]?.bounce?.status).toBe('failed');
  }, 30_000);
  it('held: the first claim stored and its answer lost, the 412 read back answered 200 with a page that is no claim: its own (round 82), one bounce', async () => {
    const { id, event } = await received();
    const { outcomes, stop } = watch(id);
    let claims = 0;
    let reads = 0;
    t.proxy.decide = (req) => {
      if (req.method === 'GET' && isClaim(req.url)) {
        reads++;
        return {
          do: 'answer',
          status: 200,
          headers: { 'content-type': 'text/html' },
          body: '<html>ok</html>',
        };
      }
      if (req.method !== 'PUT' || !isClaim(req.url)) return { do: 'forward' };
      claims++;
      return claims === 1 ? { do: 'apply-then-drop' } : { do: 'forward' };
    };
    try {
      expect(await invoke(event)).toEqual({ disposition: 'STOP_RULE_SET' });
    } finally {
      stop();
      t.proxy.decide = () => ({ do: 'forward' });
    }
    expect(reads).toBe(1);
    expect(outcomes[0]?.bounce?.status, JSON.stringify(outcomes)).toBe('sent');
    expect(t.stack.ses.bounces(id)).toHaveLength(1);
  }, 30_000);
  it('held: the first claim stored and its answer lost, the read-back never answered: its own once the claim’s time is up (round 82), one bounce', async () => {
    const { id, event } = await received();
    const { outcomes, stop } = watch(id);
    let claims = 0;
    let reads = 0;
    t.proxy.decide = (req) => {
      if (req.method === 'GET' && isClaim(req.url)) {
        reads++;
        return { do: 'hang' };
      }
      if (req.method !== 'PUT' || !isClaim(req.url)) return { do: 'forward' };
      claims++;
      return claims === 1 ? { do: 'apply-then-drop' } : { do: 'forward' };
    };
    try {
      expect(await invoke(event)).toEqual({ disposition: 'STOP_RULE_SET' });
    } finally {
      stop();
      t.proxy.decide = () => ({ do: 'forward' });
    }
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(outcomes[0]?.bounce?.status, JSON.stringify(outcomes)).toBe('sent');
    expect(t.stack.ses.bounces(id)).toHaveLength(1);
  }, 30_000);
});
