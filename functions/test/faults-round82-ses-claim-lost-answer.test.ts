import { join } from 'node:path';
import { bounceClaimKey } from '@wmflow/core/ses';
import { describe, expect, it } from 'vitest';
import { loadTemplate } from './cfn.js';
import { stored } from './fault-harness.js';
import { allowed, grantsOf, S3_ARN } from './iam-check.js';
import { BUCKET, isClaim, sesClaimKit } from './ses-claim-kit.js';

// Fault round 82 (F82-1): the lead round 81 left open. guard-ses claims a bounce with `If-None-Match: *` before
// SendBounce; a 412 on the SDK's later attempt, after an attempt whose answer proves nothing (S3's `500 InternalError`,
// a reset, a gateway's page), was read as that attempt's own claim. But such an attempt may as well have stored nothing
// (S3 documents that a 500 may or may not have been applied), and the SDK's backoff is time enough for another
// invocation of the same message (an event delivered twice, Mail Manager's retry) to claim the bounce and send it: the
// 412 is then the other's, and the message bounced twice. Only a read of the claim tells; the claim now carries the
// invocation's own token. Bounces are counted at the SES emulator.
const { t, received, invoke, watch } = sesClaimKit();
// S3's own 500, in its shape and naming its request: S3 says a 500 may or may not have been carried out.
const INTERNAL = {
  do: 'answer' as const,
  status: 500,
  headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'F82INTERNAL0001' },
  body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message><RequestId>F82INTERNAL0001</RequestId></Error>',
};
const ACCESS_DENIED = {
  do: 'answer' as const,
  status: 403,
  headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'F82DENIED0001' },
  body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>F82DENIED0001</RequestId></Error>',
};

// S3's answer to a conditional write while another write of the same key is in progress ("you can retry the request").
const CONFLICT = {
  do: 'answer' as const,
  status: 409,
  headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'F82CONFLICT0001' },
  body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>ConditionalRequestConflict</Code><Message>A conflicting operation occurred. If using PutObject you can retry the request.</Message><RequestId>F82CONFLICT0001</RequestId></Error>',
};

describe('guard-ses: a 412 after an attempt whose answer proves nothing is read back (fault round 82)', () => {
  it('F82-1: the first claim answered 500 unstored, a second invocation claims and bounces meanwhile: one bounce', async () => {
    const { id, event } = await received();
    const { outcomes, stop } = watch(id);
    let claims = 0;
    let rival: Promise<unknown> | undefined;
    t.proxy.decide = async (req) => {
      if (req.method !== 'PUT' || !isClaim(req.url)) return { do: 'forward' };
      claims++;
      if (claims !== 1) return { do: 'forward' };
      // The first invocation's claim is lost on its way (S3 answers 500, nothing stored); meanwhile the same message's
      // second invocation runs whole.
      rival = invoke(event);
      await rival;
      return INTERNAL;
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
    expect(outcomes.filter((o) => o.bounce?.status === 'sent')).toHaveLength(1);
    const other = outcomes.find((o) => o.bounce?.status !== 'sent');
    expect(other?.bounce?.reason).toMatch(/earlier invocation for this message/);
  }, 30_000);

  it('held: the first claim applied and its connection dropped, no rival: the 412 read back as its own, one bounce', async () => {
    const { id, event } = await received();
    const { outcomes, stop } = watch(id);
    let claims = 0;
    t.proxy.decide = (req) => {
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
    expect(claims).toBe(2);
    expect(outcomes[0]?.bounce?.status, JSON.stringify(outcomes)).toBe('sent');
    expect(t.stack.ses.bounces(id)).toHaveLength(1);
    const claim = JSON.parse(
      (await stored(t.stack, BUCKET, bounceClaimKey('held/', id, ['bob@corp.example'])))?.toString() ?? '{}',
    );
    expect(claim).toMatchObject({ messageId: id, recipients: ['bob@corp.example'] });
  }, 30_000);

  it('held: the first claim applied, answered 500, and the read-back refused (a role without the grant): its own, one bounce', async () => {
    const { id, event } = await received();
    const { outcomes, stop } = watch(id);
    let claims = 0;
    let reads = 0;
    t.proxy.decide = (req) => {
      if (!isClaim(req.url)) return { do: 'forward' };
      if (req.method === 'GET') {
        reads++;
        return ACCESS_DENIED;
      }
      if (req.method !== 'PUT') return { do: 'forward' };
      claims++;
      return claims === 1 ? { ...INTERNAL, do: 'apply-then-answer' as const } : { do: 'forward' };
    };
    try {
      expect(await invoke(event)).toEqual({ disposition: 'STOP_RULE_SET' });
    } finally {
      stop();
      t.proxy.decide = () => ({ do: 'forward' });
    }
    expect(claims).toBe(2);
    expect(reads).toBe(1);
    expect(outcomes[0]?.bounce?.status, JSON.stringify(outcomes)).toBe('sent');
    expect(t.stack.ses.bounces(id)).toHaveLength(1);
  }, 30_000);

  it('F82-1: the deployed role may read a bounce claim back (and, since round 100, a hold record), nothing else', async () => {
    const names = {
      InboundBucket: BUCKET,
      'InboundBucket.Arn': `${S3_ARN}${BUCKET}`,
      BounceSenderIdentity: 'x',
    };
    const template = await loadTemplate(join(import.meta.dirname, '../../template-ses.yaml'));
    const grants = grantsOf(template, 'GuardSesFunction', names);
    const arn = (key: string) => `${S3_ARN}${BUCKET}/${key}`;
    const claim = bounceClaimKey('held/', 'o3vd0000', ['bob@corp.example']);
    expect(allowed(grants, { action: 's3:GetObject', resource: arn(claim) })).toBe(true);
    // Fault round 100: a hold record already there (another invocation of the message held it) is read and kept.
    expect(allowed(grants, { action: 's3:GetObject', resource: arn('held/o3vd0000.json') })).toBe(true);
    expect(allowed(grants, { action: 's3:GetObject', resource: arn('quarantine/o3vd0000') })).toBe(false);
  });

  it('held: the same event delivered again later finds the claim on its first attempt and sends nothing, reading nothing', async () => {
    const { id, event } = await received();
    const { outcomes, stop } = watch(id);
    let reads = 0;
    try {
      expect(await invoke(event)).toEqual({ disposition: 'STOP_RULE_SET' });
      t.proxy.decide = (req) => {
        if (req.method === 'GET' && isClaim(req.url)) reads++;
        return { do: 'forward' };
      };
      expect(await invoke(event)).toEqual({ disposition: 'STOP_RULE_SET' });
    } finally {
      stop();
      t.proxy.decide = () => ({ do: 'forward' });
    }
    expect(reads).toBe(0);
    expect(t.stack.ses.bounces(id)).toHaveLength(1);
    expect(outcomes.map((o) => o.bounce?.status)).toEqual(['sent', 'failed']);
  }, 30_000);

  // F82-3: a 409 was taken as another invocation's claim on any attempt. After an attempt whose answer was lost it may be
  // that attempt's own write, still in progress at S3 when the SDK's next attempt arrived: the claim was then stored
  // under this invocation's token and nobody bounced the message (stopped, the sender never told).
  it('F82-3: the first claim lost on its way back, the next answered 409 while it was still being stored: the bounce sent once', async () => {
    const { id, event } = await received();
    const { outcomes, stop } = watch(id);
    let claims = 0;
    t.proxy.decide = (req) => {
      if (req.method !== 'PUT' || !isClaim(req.url)) return { do: 'forward' };
      claims++;
      if (claims === 1) return { do: 'apply-then-drop' };
      return claims === 2 ? CONFLICT : { do: 'forward' };
    };
    try {
      expect(await invoke(event)).toEqual({ disposition: 'STOP_RULE_SET' });
    } finally {
      stop();
      t.proxy.decide = () => ({ do: 'forward' });
    }
    expect(outcomes[0]?.bounce?.status, JSON.stringify(outcomes)).toBe('sent');
    expect(t.stack.ses.bounces(id)).toHaveLength(1);
    expect(claims).toBe(3);
  }, 30_000);

  it('held: another invocation’s claim in progress (409), then stored: the retried claim finds it, one bounce in all', async () => {
    const { id, event } = await received();
    const { outcomes, stop } = watch(id);
    let claims = 0;
    let rival: Promise<unknown> | undefined;
    let reads = 0;
    t.proxy.decide = async (req) => {
      if (req.method === 'GET' && isClaim(req.url)) reads++;
      if (req.method !== 'PUT' || !isClaim(req.url)) return { do: 'forward' };
      claims++;
      if (claims !== 1) return { do: 'forward' };
      rival = invoke(event);
      await rival;
      return CONFLICT;
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
    expect(reads).toBe(0); // S3 refused the first attempt in its own name: nothing to read back
  }, 30_000);
});
