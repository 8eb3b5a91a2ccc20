import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A44-2: a genuine DKIM-signed message of a protected person replayed inbound with an outside Reply-To added
// (the A43-2 scenario), where the Reply-To's protected name is written so that the inside branch of
// impersonatesProtectedName (which keeps only headers.sender / headers.replyTo mailboxes with a non-empty
// outside address) does not see it:
//  - a group whose name is the protected name (`Reply-To: Jane Doe: attacker@evil.example;`): the group name is
//    read only in outside mode (`groups`), the member has no display name;
//  - an encoded word holding `(` (the word-first reading, which Thunderbird uses, is read only in outside mode;
//    the raw reading leaves no address, so the mailbox is filtered out as address '').
const stack = useLocalStack();
const kit = attackerKit(stack);
const SES_AR =
  'Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=corp.example; dkim=pass header.d=corp.example; dmarc=pass header.from=corp.example';

function replayed(replyTo: string): Buffer {
  return Buffer.from(
    [
      SES_AR,
      `Reply-To: ${replyTo}`,
      'DKIM-Signature: v=1; a=rsa-sha256; d=corp.example; s=s1; h=from:to:subject:date:message-id; bh=AAAA; b=AAAA',
      'From: "Jane Doe" <jane.doe@corp.example>',
      'To: bob@corp.example',
      'Subject: Re: vendor payment',
      'Date: Sun, 29 Nov 2026 10:00:00 +0000',
      'Message-ID: <signed-1@corp.example>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain',
      '',
      'Sounds good, talk tomorrow.',
      'Jane',
      '',
    ].join('\r\n'),
  );
}

const CASES: Record<string, string> = {
  'group named with the protected name': 'Jane Doe: attacker@evil.example;',
  'quoted group name': '"Jane Doe": attacker@evil.example;',
  'encoded word holding an open parenthesis': '=?utf-8?Q?Jane_Doe_(?= <attacker@evil.example>',
  'iso-2022-jp word whose escape holds (': '=?iso-2022-jp?Q?Jane_Doe=1B(B?= <attacker@evil.example>',
};

describe('A44-2: inside (DKIM pass) mail with an outside Reply-To under the protected name, other spellings', () => {
  for (const [title, replyTo] of Object.entries(CASES)) {
    it(`flags ${title}`, async () => {
      const { verdict } = await kit.inbound(
        replayed(replyTo),
        { PROTECTED_NAMES: 'Jane Doe' },
        'jane.doe@corp.example',
      );
      expect(verdict).toBe('MOVE_TO_JUNK');
    });
  }
  it('control: the plain A43-2 Reply-To is flagged', async () => {
    const { verdict } = await kit.inbound(
      replayed('"Jane Doe" <jane.doe.ceo@evil.example>'),
      { PROTECTED_NAMES: 'Jane Doe' },
      'jane.doe@corp.example',
    );
    expect(verdict).toBe('MOVE_TO_JUNK');
  });
  it('control: outside mode flags the group Reply-To', async () => {
    const outside = replayed('Jane Doe: attacker@evil.example;').toString().replace(SES_AR, 'X-Nothing: 1');
    const { verdict } = await kit.inbound(
      Buffer.from(outside),
      { PROTECTED_NAMES: 'Jane Doe' },
      'jane.doe@corp.example',
    );
    expect(verdict).toBe('MOVE_TO_JUNK');
  });
});
