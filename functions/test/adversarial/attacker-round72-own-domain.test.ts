import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { guardSes } from '../../guard-ses/guard-ses.js';
import { attackerKit, mail } from './attacker-kit.js';
import { useTwinStack } from './twin-kit.js';

// A72-2: an outside sender who writes the organization's own address as the From itself (`From: Payroll
// <payroll@corp.example>`, MAIL FROM its own) was delivered by the guard with impersonation on, only tagged
// [EXTERNAL], while the same address written as the display name (`"payroll@corp.example" <x@evil.example>`,
// attacker round 43) went to Junk. Where the organization's DMARC record is `p=none` (or WorkMail does not enforce
// it), SES reports `dmarc=fail` for the organization's domain and still hands the message on. Outside mail whose
// From shows an organization address while the trusted results (SES's header, or its receipt on SES) say DMARC
// failed for it is now the organization's name borrowed, on both engines.
const stack = useTwinStack();
const kit = attackerKit(stack);
const STORED = { bucket: 'inbound-mail', keyPrefix: 'inbound/' };
const ENV = { PROTECTED_NAMES: 'Jane Doe' };

const results = (dmarc: string, dkim = 'dkim=none') =>
  `Authentication-Results: amazonses.com;\r\n spf=fail (spfCheck: domain of corp.example does not designate 203.0.113.9 as permitted sender) client-ip=203.0.113.9; envelope-from=payroll@corp.example; helo=mx.evil.example;\r\n ${dkim};\r\n ${dmarc};`;

const message = (auth: string, from: string, extra: string[] = []) =>
  mail(
    [auth, `From: ${from}`, ...extra, 'Content-Type: text/plain'],
    'Please update your bank details today.',
  );

const verdict = async (bytes: Buffer, mailFrom = 'payroll@corp.example', env = ENV) =>
  (await kit.inbound(bytes, env, mailFrom)).verdict;

async function ses(from: string, dmarc: 'PASS' | 'FAIL' | 'GRAY', source = 'payroll@corp.example') {
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
  const headers = [
    { name: 'To', value: 'bob@corp.example' },
    { name: 'Subject', value: 'Invoice' },
    { name: 'From', value: from },
  ];
  const answer = await handler(
    makeSesEvent({
      messageId,
      source,
      recipients: ['bob@corp.example'],
      headers,
      // DMARC passes on SPF for the organization's own envelope (attacker round 104: a pass on an outside envelope
      // counts only under the organization's signature over every shown field).
      verdicts: { spf: dmarc === 'PASS' ? 'PASS' : 'FAIL', dkim: 'GRAY', dmarc },
    }),
    lambdaContext(),
  );
  return answer;
}

const FAIL = 'dmarc=fail (p=NONE sp=NONE) header.from=corp.example';

describe('A72-2: the organization address as the From, failing DMARC, on outside mail', () => {
  it('junks `From: Payroll <payroll@corp.example>` with dmarc=fail (WorkMail guard)', async () => {
    expect(await verdict(message(results(FAIL), 'Payroll <payroll@corp.example>'))).toBe('MOVE_TO_JUNK');
  });
  it('junks a bare `From: payroll@corp.example` with dmarc=fail', async () => {
    expect(await verdict(message(results(FAIL), 'payroll@corp.example'))).toBe('MOVE_TO_JUNK');
  });
  it('junks it with MAIL FROM the attacker’s own domain', async () => {
    const bytes = message(results('dmarc=fail header.from=corp.example'), 'payroll@corp.example');
    expect(await verdict(bytes, 'x@evil.example')).toBe('MOVE_TO_JUNK');
  });
  it('junks it beside a second From of a domain that passes its own DMARC', async () => {
    const auth = results('dmarc=pass header.from=evil.example', 'dkim=pass header.i=@evil.example');
    const bytes = message(auth, 'Payroll <payroll@corp.example>', [
      'From: x@evil.example',
      'DKIM-Signature: v=1; a=rsa-sha256; d=evil.example; s=s1; h=from; bh=x; b=y',
    ]);
    expect(await verdict(bytes, 'x@evil.example')).toBe('MOVE_TO_JUNK');
    const list = message(auth, 'Payroll <payroll@corp.example>, x@evil.example');
    expect(await verdict(list, 'x@evil.example')).toBe('MOVE_TO_JUNK');
  });
  it('junks it on SES (guard-ses: the receipt says DMARC FAIL)', async () => {
    expect(await ses('Payroll <payroll@corp.example>', 'FAIL')).toEqual({ disposition: 'STOP_RULE' });
  });

  describe('controls', () => {
    it('the organization’s own mail with dmarc=pass is delivered', async () => {
      const auth = results('dmarc=pass header.from=corp.example', 'dkim=pass header.i=@corp.example');
      const bytes = message(auth, 'Payroll <payroll@corp.example>', [
        'DKIM-Signature: v=1; a=rsa-sha256; d=corp.example; s=s1; h=from; bh=x; b=y',
      ]);
      expect(await verdict(bytes)).toBe('DEFAULT');
    });
    it('an organization From with no DMARC result (dmarc=none) is left as before: tagged, delivered', async () => {
      const bytes = message(results('dmarc=none'), 'Payroll <payroll@corp.example>');
      expect(await verdict(bytes)).toBe('DEFAULT');
    });
    it('an organization From without a trusted Authentication-Results is left as before', async () => {
      const bytes = mail(['From: Payroll <payroll@corp.example>', 'Content-Type: text/plain'], 'Lunch?');
      expect(await verdict(bytes)).toBe('DEFAULT');
    });
    it('an outside From failing its own DMARC is not impersonation', async () => {
      const bytes = message(results('dmarc=fail header.from=partner.example'), 'Ann <ann@partner.example>');
      expect(await verdict(bytes, 'ann@partner.example')).toBe('DEFAULT');
    });
    it('without PROTECTED_NAMES (impersonation off) nothing changes', async () => {
      expect(await verdict(message(results(FAIL), 'payroll@corp.example'), undefined, {} as typeof ENV)).toBe(
        'DEFAULT',
      );
    });
    it('on SES, the organization’s own From with DMARC PASS is delivered', async () => {
      expect(await ses('Payroll <payroll@corp.example>', 'PASS')).toEqual({ disposition: 'CONTINUE' });
    });
  });
});
