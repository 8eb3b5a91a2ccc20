import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { guardSes } from '../../guard-ses/guard-ses.js';
import { attackerKit, mail } from './attacker-kit.js';
import { useTwinStack } from './twin-kit.js';

// A73-1: round 72 made outside mail From the organization's own address, with DMARC failed for it, impersonation;
// it read "own" as routing does (isInternal: the listed domains only). A made-up subdomain
// (`From: Payroll <payroll@hr.corp.example>`) is what a reader takes for the organization's own (as round 52 read
// it in a display name), and DMARC judges it by the organization's record (`sp=none`): SES reports
// `dmarc=fail header.from=hr.corp.example` and hands it on. It was only tagged [EXTERNAL]; it is now Junk, on
// WorkMail and on SES alike.
const stack = useTwinStack();
const kit = attackerKit(stack);
const STORED = { bucket: 'inbound-mail', keyPrefix: 'inbound/' };
const ENV = { PROTECTED_NAMES: 'Jane Doe' };

const results = (dmarc: string, dkim = 'dkim=none', envelope = 'payroll@hr.corp.example') =>
  `Authentication-Results: amazonses.com;\r\n spf=fail (spfCheck: domain of hr.corp.example does not designate 203.0.113.9 as permitted sender) client-ip=203.0.113.9; envelope-from=${envelope}; helo=mx.evil.example;\r\n ${dkim};\r\n ${dmarc};`;
const message = (auth: string, from: string, extra: string[] = []) =>
  mail(
    [auth, `From: ${from}`, ...extra, 'Content-Type: text/plain'],
    'Please update your bank details today.',
  );
const verdict = async (bytes: Buffer, mailFrom = 'x@evil.example', env: Record<string, string> = ENV) =>
  (await kit.inbound(bytes, env, mailFrom)).verdict;

async function ses(from: string, dmarc: 'PASS' | 'FAIL') {
  const handler = guardSes({
    ORGANIZATION_DOMAINS: 'corp.example',
    STORED_BUCKET: STORED.bucket,
    STORED_KEY_PREFIX: STORED.keyPrefix,
    BOUNCE_SENDER: 'postmaster@corp.example',
    ...ENV,
  });
  const bytes = mail([`From: ${from}`, 'Content-Type: text/plain'], 'Please update your bank details today.');
  const messageId = sesMessageId();
  await stack().s3.send(
    new PutObjectCommand({ Bucket: STORED.bucket, Key: `${STORED.keyPrefix}${messageId}`, Body: bytes }),
  );
  stack().ses.receive(messageId);
  return handler(
    makeSesEvent({
      messageId,
      // The organization's own mail passes DMARC on SPF for its own envelope (attacker round 104).
      source: dmarc === 'PASS' ? 'bounces@news.corp.example' : 'x@evil.example',
      recipients: ['bob@corp.example'],
      headers: [
        { name: 'To', value: 'bob@corp.example' },
        { name: 'Subject', value: 'Invoice' },
        { name: 'From', value: from },
      ],
      verdicts: { spf: dmarc === 'PASS' ? 'PASS' : 'FAIL', dkim: 'GRAY', dmarc },
    }),
    lambdaContext(),
  );
}

const SUB_FAIL = 'dmarc=fail (p=NONE sp=NONE) header.from=hr.corp.example';

describe('A73-1: a subdomain of the organization as the From, failing DMARC, on outside mail', () => {
  it('junks `From: Payroll <payroll@hr.corp.example>` with dmarc=fail for it', async () => {
    expect(await verdict(message(results(SUB_FAIL), 'Payroll <payroll@hr.corp.example>'))).toBe(
      'MOVE_TO_JUNK',
    );
  });
  it('junks a bare `From: payroll@HR.Corp.Example.` (case, trailing dot)', async () => {
    expect(await verdict(message(results(SUB_FAIL), 'payroll@HR.Corp.Example.'))).toBe('MOVE_TO_JUNK');
  });
  it('junks a subdomain From beside a second From of a domain that passes its own DMARC', async () => {
    const auth = results(
      'dmarc=pass header.from=evil.example',
      'dkim=pass header.i=@evil.example',
      'x@evil.example',
    );
    expect(await verdict(message(auth, 'payroll@hr.corp.example, x@evil.example'))).toBe('MOVE_TO_JUNK');
  });
  it('junks it on SES (guard-ses: the receipt says DMARC FAIL)', async () => {
    expect(await ses('Payroll <payroll@hr.corp.example>', 'FAIL')).toEqual({ disposition: 'STOP_RULE' });
  });

  describe('controls', () => {
    it('the organization’s aligned subdomain with dmarc=pass is delivered', async () => {
      const auth = results(
        'dmarc=pass header.from=news.corp.example',
        'dkim=pass header.i=@news.corp.example',
      );
      const bytes = message(auth, 'Corp News <news@news.corp.example>', [
        'DKIM-Signature: v=1; a=rsa-sha256; d=news.corp.example; s=s1; h=from; bh=x; b=y',
      ]);
      expect(await verdict(bytes, 'bounce@news.corp.example')).toBe('DEFAULT');
    });
    it('a subdomain From with no DMARC result is left as an organization From is: tagged, delivered', async () => {
      expect(await verdict(message(results('dmarc=none'), 'payroll@hr.corp.example'))).toBe('DEFAULT');
    });
    it('a look-alike domain ending in the organization’s name is not its subdomain', async () => {
      const auth = results('dmarc=fail header.from=evilcorp.example', 'dkim=none', 'x@evilcorp.example');
      expect(await verdict(message(auth, 'Ann <ann@evilcorp.example>'))).toBe('DEFAULT');
    });
    it('an outside From failing its own DMARC beside a DMARC fail for nothing of ours is not impersonation', async () => {
      const auth = results('dmarc=fail header.from=partner.example', 'dkim=none', 'ann@partner.example');
      expect(await verdict(message(auth, 'Ann <ann@partner.example>'), 'ann@partner.example')).toBe(
        'DEFAULT',
      );
    });
    it('on SES, an organization subdomain From with DMARC PASS is delivered', async () => {
      expect(await ses('Corp News <news@news.corp.example>', 'PASS')).toEqual({ disposition: 'CONTINUE' });
    });
  });
});
