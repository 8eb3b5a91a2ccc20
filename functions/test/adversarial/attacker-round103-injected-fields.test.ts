import type { SesReceiptVerdicts } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { sesGuardKit } from './ses-guard-kit.js';
import { useTwinStack } from './twin-kit.js';

// Attacker round 103 (guard-ses): a replay of a message the organization signed (DKIM d=corp.example, DMARC passing on
// it: an employee's mail to the attacker, a help desk's acknowledgement), with a field a message has one of added on
// top. A DKIM verifier reads a signed field's instances from the bottom (RFC 6376 5.4.2), so a field added above the
// signed one is not covered and the signature still passes (unless the signer over-signed it); a client shows the
// first. Rounds 43 and 61 made such mail outside on WorkMail (From, Subject, Reply-To, Sender, To, Cc, Date,
// Message-ID written twice: `shownFrom`), so the WorkMail guard tags it. On SES, round 91's exception for the
// organization's own mail (every From and Sender the organization's, read one way, and the receipt's DMARC PASS) did
// not look at the other fields: a second Subject (`Urgent: wire the payment today`), Reply-To (the attacker's), Date
// or To on top of the organization's signed message was delivered as the organization's own mail. The exception now
// also needs the header block `shownFrom` accepts. MIME fields added on top (a second Content-Type or
// Content-Transfer-Encoding, which turn the organization's plain text into the attacker's page) were already refused
// on both engines: the message's structure reads two ways, so the attachment check cannot decide (held below).
const stack = useTwinStack();
const kit = attackerKit(stack);
const sesGuard = sesGuardKit(stack);
const CRLF = '\r\n';

const TRUSTED = `Authentication-Results: amazonses.com;${CRLF} spf=pass (spfCheck: domain of evil.example designates 203.0.113.9 as permitted sender) client-ip=203.0.113.9; envelope-from=x@evil.example;${CRLF} dkim=pass header.i=@corp.example;${CRLF} dmarc=pass header.from=corp.example;`;
const SIG = `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=corp.example; s=s1;${CRLF} h=from:to:subject:date:message-id:mime-version:content-type:content-transfer-encoding; bh=x; b=y`;
// The help desk's signed acknowledgement quotes the attacker's request, markup and all, as plain text.
const QUOTED =
  'Thank you, we received your request:\r\n> <div style="display:none">\r\n> </div><h1>IT: your mailbox is full</h1><a href="https://evil.example/login">Sign in</a>\r\n';
const signed = [
  SIG,
  'From: Help Desk <helpdesk@corp.example>',
  'To: mallory@evil.example',
  'Subject: Re: your request',
  'Date: Sun, 29 Nov 2026 10:00:00 +0000',
  'Message-ID: <ack-1@corp.example>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: 7bit',
];
const replay = (added: string[], head = signed, body = QUOTED) =>
  Buffer.from([TRUSTED, ...added, ...head, '', body].join(CRLF));

const wm = async (bytes: Buffer) => {
  const { verdict, delivered } = await kit.inbound(bytes);
  return { verdict, tagged: /^Subject: \[EXTERNAL\]/m.test(delivered.toString('latin1')) };
};

const ADDED: Record<string, string[]> = {
  'a Content-Type: text/html': ['Content-Type: text/html; charset=utf-8'],
  'a Content-Type in capitals, folded': ['CONTENT-TYPE:', ' text/html'],
  'a Content-Transfer-Encoding: base64': ['Content-Transfer-Encoding: base64'],
  'a MIME-Version and a multipart Content-Type': [
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="> "',
  ],
};

const PASSED: SesReceiptVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
const HELD = { disposition: 'STOP_RULE' };
const ON = { disposition: 'CONTINUE' };

const ONE_EACH: Record<string, string[]> = {
  'a second Subject': ['Subject: Urgent: wire the payment today'],
  'a second Reply-To': ['Reply-To: Help Desk <helpdesk@corp.example>', 'Reply-To: pay@evil.example'],
  'a second Date': ['Date: Mon, 07 Dec 2026 09:00:00 +0000'],
  'a second To': ['To: bob@corp.example'],
  'a second Message-ID': ['Message-ID: <urgent-1@corp.example>'],
  'a second Subject in capitals, folded': ['SUBJECT:', ' Urgent: wire the payment today'],
};

describe('A103-3: a field a message has one of, added on top of a message the organization signed (guard-ses)', () => {
  for (const [label, added] of Object.entries(ONE_EACH))
    it(`holds the replay with ${label}`, async () => {
      expect(await sesGuard(replay(added), PASSED, 'x@evil.example')).toEqual(HELD);
    });
});

describe('A103-3 held: already refused', () => {
  for (const [label, added] of Object.entries(ONE_EACH))
    it(`WorkMail tags the replay with ${label} (rounds 43, 61)`, async () => {
      expect(await wm(replay(added))).toEqual({ verdict: 'DEFAULT', tagged: true });
    });
  for (const [label, added] of Object.entries(ADDED)) {
    it(`WorkMail bounces the replay with ${label} (its structure reads two ways)`, async () => {
      expect((await wm(replay(added))).verdict).toBe('BOUNCE');
    });
    it(`guard-ses bounces the replay with ${label}`, async () => {
      expect(await sesGuard(replay(added), PASSED, 'x@evil.example')).toEqual({
        disposition: 'STOP_RULE_SET',
      });
    });
  }
});

describe('A103-3 controls: the organization own signed mail, one of each field, stays inside', () => {
  it('WorkMail: delivered untagged', async () => {
    expect(await wm(replay([]))).toEqual({ verdict: 'DEFAULT', tagged: false });
  });
  it('SES: delivered', async () => {
    expect(await sesGuard(replay([]), PASSED, 'bounces@corp.example')).toEqual(ON);
  });
  it('SES: delivered with a Cc, Reply-To and In-Reply-To of its own, once each', async () => {
    const head = [
      ...signed,
      'Cc: bob@corp.example',
      'Reply-To: helpdesk@corp.example',
      'In-Reply-To: <q-1@evil.example>',
    ];
    expect(await sesGuard(replay([], head), PASSED, 'bounces@corp.example')).toEqual(ON);
  });
  it('SES: a partner with two Subject fields is delivered as before (not shown as the organization)', async () => {
    const bytes = Buffer.from(
      [
        'From: Ann <ann@partner.example>',
        'Subject: a',
        'Subject: b',
        'Content-Type: text/plain',
        '',
        'Hello',
      ].join(CRLF),
    );
    expect(await sesGuard(bytes, PASSED, 'ann@partner.example')).toEqual(ON);
  });
  it('WorkMail: a multipart message with its parts own Content-Type fields stays untagged', async () => {
    const head = signed.map((l) =>
      l.startsWith('Content-Type') ? 'Content-Type: multipart/alternative; boundary="b"' : l,
    );
    const body = [
      '--b',
      'Content-Type: text/plain',
      '',
      'Hello',
      '--b',
      'Content-Type: text/html',
      '',
      '<p>Hello</p>',
      '--b--',
      '',
    ].join(CRLF);
    expect(await wm(replay([], head, body))).toEqual({ verdict: 'DEFAULT', tagged: false });
  });
  it('WorkMail: an outside partner with two Content-Type fields is tagged as before', async () => {
    const bytes = Buffer.from(
      [
        'From: Ann <ann@partner.example>',
        'Subject: Re: your request',
        'Content-Type: text/plain',
        'Content-Type: text/plain',
        '',
        'Hello',
      ].join(CRLF),
    );
    expect(await wm(bytes)).toEqual({ verdict: 'DEFAULT', tagged: true });
  });
});
