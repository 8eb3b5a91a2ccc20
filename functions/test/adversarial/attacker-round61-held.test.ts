import { type FlowResponse, readResponse } from '@wmflow/core';
import { lambdaContext, makeFlowEvent } from '@wmflow/core/testing';
import { restrictMailboxes } from '@wmflow/rules';
import { describe, expect, it } from 'vitest';
import { outboundPolicy } from '../../outbound-policy/outbound-policy.js';
import { twinKit, useTwinStack } from './twin-kit.js';

// Round 61, held: attacks on restricted mailboxes, internal-only senders and SES verdicts that did not get through
// (docs/threat-model.md, round 61).
const stack = useTwinStack();
const kit = twinKit(stack);
const CRLF = '\r\n';

const plain = (top: string[]) =>
  Buffer.from(
    [
      ...top,
      'From: Mallory <mallory@evil.example>',
      'To: all-staff@corp.example',
      'Subject: hello',
      'Message-ID: <r61-held@evil.example>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain',
      '',
      'Hello.',
      '',
    ].join(CRLF),
  );

describe('round 61 held: a restricted mailbox under another spelling', () => {
  const rule = restrictMailboxes({ mailboxes: ['all-staff@corp.example'] });
  const spellings = [
    '"all-staff"@corp.example',
    '"all\\-staff"@corp.example',
    'ALL-STAFF@CORP.EXAMPLE',
    'all-staff@corp.example.',
    'all-staff+x@Corp.Example.',
    '"all-staff+x"@corp.example',
  ];
  for (const to of spellings)
    it(`bounces ${to} from outside`, async () => {
      const message = plain(['X-SES-Spam-Verdict: PASS', 'X-SES-Virus-Verdict: PASS']);
      expect((await kit.wmFlow([rule], message, 'x@evil.example', [to]))[to]).toBe('BOUNCE');
    });
  it('bounces an IDN spelling of the organization domain', async () => {
    const idn = restrictMailboxes({ mailboxes: ['all-staff@bücher.example'] });
    const to = 'all-staff@xn--bcher-kva.example';
    const message = plain([]);
    expect((await kit.wmFlow([idn], message, 'x@evil.example', [to]))[to]).toBe('BOUNCE');
  });
  it('bounces an organization MAIL FROM without a pass for it', async () => {
    const message = plain([
      'Authentication-Results: amazonses.com; spf=fail (spfCheck: x) client-ip=203.0.113.9; envelope-from=ceo@corp.example; helo=mx.evil.example; dkim=pass header.i=@evil.example; dmarc=pass header.from=evil.example;',
      'DKIM-Signature: v=1; a=rsa-sha256; d=evil.example; s=s1; h=from; bh=x; b=y',
    ]);
    const to = 'all-staff@corp.example';
    expect((await kit.wmFlow([rule], message, 'ceo@corp.example', [to]))[to]).toBe('BOUNCE');
  });
});

describe('round 61 held: a forged SES virus verdict below SES', () => {
  const forged = [
    ['a PASS below', ['X-SES-Virus-Verdict: FAIL', 'X-SES-Virus-Verdict: PASS']],
    ['a PASS after a bare CR', ['X-SES-Virus-Verdict: FAIL', 'X-Foo: a\rX-SES-Virus-Verdict: PASS']],
    ['a folded PASS', ['X-SES-Virus-Verdict: FAIL', 'X-SES-Virus-Verdict:', ' PASS']],
    ['an obsolete-syntax PASS', ['X-SES-Virus-Verdict: FAIL', 'X-SES-Virus-Verdict : PASS']],
  ] as const;
  for (const [name, top] of forged)
    it(`the WorkMail guard bounces SES's FAIL with ${name}`, async () => {
      const message = plain(['X-SES-Spam-Verdict: PASS', ...top]);
      expect((await kit.wmGuard(message, 'x@evil.example', ['bob@corp.example']))['bob@corp.example']).toBe(
        'BOUNCE',
      );
    });
});

describe('round 61 held: an internal-only sender writing to odd outside recipients', () => {
  const odd = [
    'x@made-up.corp.example',
    'x@corp.example.evil.example',
    'x@corp.exаmple',
    'x@[192.0.2.1]',
    'x@partner.example.',
    '"x@corp.example"@partner.example',
  ];
  for (const to of odd)
    it(`bounces ${to}`, async () => {
      const handler = outboundPolicy({
        ORGANIZATION_DOMAINS: 'corp.example',
        INTERNAL_ONLY_SENDERS: 'kiosk@corp.example',
      });
      const messageId = stack().flow.load(
        Buffer.from(
          `From: kiosk@corp.example${CRLF}To: x@x.example${CRLF}Subject: hi${CRLF}${CRLF}hello${CRLF}`,
        ),
      );
      const event = makeFlowEvent({
        direction: 'OUTBOUND',
        messageId,
        mailFrom: 'Kiosk@Corp.Example',
        recipients: [to, 'bob@corp.example'],
      });
      const response = (await handler(event, lambdaContext())) as FlowResponse;
      const verdicts = readResponse(response, [to, 'bob@corp.example'], 'OUTBOUND').verdicts;
      expect(verdicts.get(to)?.type).toBe('BOUNCE');
      expect(verdicts.get('bob@corp.example')?.type).toBe('DEFAULT');
    });
});
