import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useTwinStack } from './twin-kit.js';

// Attacker round 104, the WorkMail guard's side of guard-ses's finding: a replay of a message the organization signed,
// with a field its signature's `h=` does not list added, and the trusted Authentication-Results passing DKIM and DMARC
// for the organization's domain (as the receiving server finds it): delivered untagged before (2 of 2), as inside mail.
// `senderIsInside` now leaves only SPF as proof (as for `l=`, round 85) when a signature that may be the
// organization's does not list a shown field the message carries.
const stack = useTwinStack();
const kit = attackerKit(stack);
const CRLF = '\r\n';
const TRUSTED = `Authentication-Results: amazonses.com;${CRLF} spf=pass (spfCheck: domain of evil.example designates 203.0.113.9 as permitted sender) client-ip=203.0.113.9; envelope-from=x@evil.example;${CRLF} dkim=pass header.i=@corp.example;${CRLF} dmarc=pass header.from=corp.example;`;
const SIG = `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=corp.example; s=s1;${CRLF} h=from:to:subject:date:message-id:mime-version:content-type; bh=x; b=y`;
const signed = [
  SIG,
  'From: Ann Lee <ann@corp.example>',
  'To: mallory@evil.example',
  'Subject: Re: invoice 4411',
  'Date: Sun, 29 Nov 2026 10:00:00 +0000',
  'Message-ID: <ann-1@corp.example>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
];
const replay = (added: string[]) =>
  Buffer.from([TRUSTED, ...added, ...signed, '', 'Thanks, we will look at it.', ''].join(CRLF));
const wm = async (bytes: Buffer) => {
  const { verdict, delivered } = await kit.inbound(bytes);
  return { verdict, tagged: /^Subject: \[EXTERNAL\]/m.test(delivered.toString('latin1')) };
};

describe('A104-3: WorkMail guard, a field the organization signature does not list, added: tagged', () => {
  it('a Thread-Topic and In-Reply-To added', async () => {
    expect(
      await wm(replay(['Thread-Topic: Urgent: wire the payment today', 'In-Reply-To: <ceo-1@corp.example>'])),
    ).toEqual({ verdict: 'DEFAULT', tagged: true });
  });
  it('a Reply-To added', async () => {
    expect(await wm(replay(['Reply-To: pay@evil.example']))).toEqual({ verdict: 'DEFAULT', tagged: true });
  });
});

describe('A104-3 controls: the organization own mail on WorkMail stays untagged', () => {
  it('signed over every field it shows', async () => {
    expect(await wm(replay([]))).toEqual({ verdict: 'DEFAULT', tagged: false });
  });
  it('signed as Microsoft 365 signs (To and Thread-Topic unsigned), from its own envelope with SPF pass', async () => {
    const m365 = [
      `Authentication-Results: amazonses.com;${CRLF} spf=pass smtp.mailfrom=ann@corp.example;${CRLF} dkim=pass header.d=corp.example;${CRLF} dmarc=pass header.from=corp.example;`,
      `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=corp.example; s=selector1;${CRLF} h=From:Date:Subject:Message-ID:Content-Type:MIME-Version:X-MS-Exchange-SenderADCheck; bh=x; b=y`,
      ...signed.slice(1),
      'Thread-Topic: invoice 4411',
      'X-MS-Exchange-SenderADCheck: 1',
    ];
    const bytes = Buffer.from([...m365, '', 'Thanks, we will look at it.', ''].join(CRLF));
    expect(await wm(bytes)).toEqual({ verdict: 'DEFAULT', tagged: false });
  });
});
