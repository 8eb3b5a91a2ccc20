import { Verdicts } from '@wmflow/core';
import { allowSenders, enforceSesVerdicts, restrictMailboxes } from '@wmflow/rules';
import { describe, expect, it } from 'vitest';
import { twinKit, useTwinStack } from './twin-kit.js';

// A61-2: senderAuthenticated() (the pass restrictMailboxes and allowSenders grant) took a DKIM or DMARC pass for
// the MAIL FROM domain as proof, whatever the header block around it. A signed message is replayable: the
// attacker gets a reply from bob@corp.example (signed by corp.example), adds a Subject (or a From) on top, which
// mail clients show while DKIM verifiers read the signed one below, and sends it with MAIL FROM
// bob@corp.example to the restricted all-staff@corp.example. SES reports SPF fail for the attacker's host but
// DKIM and DMARC pass: restrictMailboxes let it in. The same replay of a partner's newsletter earned
// allowSenders' BYPASS_SPAM_CHECK over a spam FAIL. senderIsInside (the [EXTERNAL] tag) already refused such a
// block (attacker round 43); a pass now proves the sender only beside one From with one mailbox and one of each
// field a message has one of.
const stack = useTwinStack();
const kit = twinKit(stack);
const CRLF = '\r\n';

function replay(domain: string, spam: string, added: string[]): Buffer {
  return Buffer.from(
    [
      `X-SES-Spam-Verdict: ${spam}`,
      'X-SES-Virus-Verdict: PASS',
      `Authentication-Results: amazonses.com;${CRLF} spf=fail (spfCheck: domain of ${domain} does not designate 203.0.113.9 as permitted sender) client-ip=203.0.113.9; envelope-from=bob@${domain}; helo=mx.evil.example;${CRLF} dkim=pass header.i=@${domain};${CRLF} dmarc=pass header.from=${domain};`,
      ...added,
      `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${domain}; s=s1; h=from:to:subject:date:message-id; bh=x; b=y`,
      `From: Bob <bob@${domain}>`,
      'To: mallory@evil.example',
      'Subject: Re: your question',
      'Date: Sun, 29 Nov 2026 10:00:00 +0000',
      `Message-ID: <reply-1@${domain}>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain',
      '',
      'Thanks, see you then.',
      '',
    ].join(CRLF),
  );
}

const ADDED: Record<string, string[]> = {
  'a Subject added on top': ['Subject: URGENT: all staff must reset their password at https://evil.example/'],
  'a From added on top': ['From: "IT Service Desk" <it@corp.example>'],
  'a second mailbox in an added From': ['From: it@corp.example, bob@corp.example'],
  'a Reply-To given twice': ['Reply-To: it@evil.example', 'Reply-To: it@evil.example'],
};

describe('A61-2: a replayed signed message with fields added on top proves no sender', () => {
  const restrict = restrictMailboxes({ mailboxes: ['all-staff@corp.example'] });
  const to = ['all-staff@corp.example'];
  it('(control) restrictMailboxes lets the signed message as it was sent through', async () => {
    const verdicts = await kit.wmFlow([restrict], replay('corp.example', 'PASS', []), 'bob@corp.example', to);
    expect(verdicts['all-staff@corp.example']).toBe('DEFAULT');
  });
  for (const [name, added] of Object.entries(ADDED))
    it(`restrictMailboxes bounces the replay with ${name}`, async () => {
      const message = replay('corp.example', 'PASS', added);
      const verdicts = await kit.wmFlow([restrict], message, 'bob@corp.example', to);
      expect(verdicts['all-staff@corp.example']).toBe('BOUNCE');
      // SES's receipt names no domain for its passes: the twin never vouched for it.
      const { answer } = await kit.ses([restrict], message, 'bob@corp.example', to, { spf: 'FAIL' });
      expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
    });

  const rules = [
    allowSenders({ senders: ['partner.example'], verdict: Verdicts.BYPASS_SPAM_CHECK }),
    enforceSesVerdicts(),
  ];
  const inbox = ['bob@corp.example'];
  it('(control) allowSenders passes the partner message as it was sent', async () => {
    const message = replay('partner.example', 'FAIL', []);
    const verdicts = await kit.wmFlow(rules, message, 'bob@partner.example', inbox);
    expect(verdicts['bob@corp.example']).toBe('BYPASS_SPAM_CHECK');
  });
  it('allowSenders gives no pass to the replayed partner message with a Subject added', async () => {
    const message = replay('partner.example', 'FAIL', ADDED['a Subject added on top'] ?? []);
    const verdicts = await kit.wmFlow(rules, message, 'bob@partner.example', inbox);
    expect(verdicts['bob@corp.example']).toBe('MOVE_TO_JUNK');
  });
});
