import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A44-7: A43-5 exempts an IMPERSONATION_ALLOWED_SENDERS address when the trusted Authentication-Results shows a
// DKIM/DMARC pass for its *domain*. For a free-mail allowed address (the executive's private Gmail, the setting's
// documented use) any Gmail user can produce dkim=pass header.d=gmail.com: the attacker sends themselves a Gmail
// message, and replays it with a From added on top (DKIM verifiers read the bottom From, clients show the top one;
// the A43 model of senderIsInside), or with a Sender added (not signed). The exemption is per mailbox and does not
// ask for one From (as senderIsInside does), nor that the passing identity be the allowed address.
const stack = useLocalStack();
const kit = attackerKit(stack);
const SES_AR =
  'Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=gmail.com; dkim=pass header.i=@gmail.com header.d=gmail.com; dmarc=pass header.from=gmail.com';
const ENV = { PROTECTED_NAMES: 'Jane Smith', IMPERSONATION_ALLOWED_SENDERS: 'jane.smith.private@gmail.com' };
const build = (extra: string[]) =>
  Buffer.from(
    [
      SES_AR,
      ...extra,
      'DKIM-Signature: v=1; a=rsa-sha256; d=gmail.com; s=20230601; h=from:to:subject:date:message-id; bh=AAAA; b=AAAA',
      'From: Mallory <mallory.attacker@gmail.com>',
      'To: bob@corp.example',
      'Subject: urgent transfer',
      'Date: Sun, 29 Nov 2026 10:00:00 +0000',
      'Message-ID: <CAF1@mail.gmail.com>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain',
      '',
      'Please wire 48,500 EUR today, I am travelling.',
      '',
    ].join('\r\n'),
  );

describe('A44-7: an allowed free-mail address exempted on any signature of its domain', () => {
  it('flags a From of the allowed address added on top of a signed message of another Gmail user', async () => {
    const { verdict } = await kit.inbound(
      build(['From: "Jane Smith" <jane.smith.private@gmail.com>', 'Reply-To: mallory.attacker@gmail.com']),
      ENV,
      'mallory.attacker@gmail.com',
    );
    expect(verdict).toBe('MOVE_TO_JUNK');
  });
  it('flags a Sender of the allowed address added to a signed message of another Gmail user', async () => {
    const { verdict } = await kit.inbound(
      build(['Sender: "Jane Smith" <jane.smith.private@gmail.com>']),
      ENV,
      'mallory.attacker@gmail.com',
    );
    expect(verdict).toBe('MOVE_TO_JUNK');
  });
});
