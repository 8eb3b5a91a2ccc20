import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A43-5: IMPERSONATION_ALLOWED_SENDERS (docs/deploy.md: "outside addresses allowed to use those names", i.e. the
// executive's own private mailbox) is matched against the header From address the sender writes, with no
// authentication. A spoofed From of that address (dmarc=fail; gmail.com publishes no reject policy) and a bare
// Reply-To to the attacker pass the impersonation check. Junk without the setting, DEFAULT with it (today).
const stack = useLocalStack();
const kit = attackerKit(stack);
const SES_AR =
  'Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=evil.example; dkim=none; dmarc=fail header.from=gmail.com;';
const message = mail(
  [
    SES_AR,
    'From: "Jane Doe" <jane.doe.private@gmail.com>',
    'Reply-To: travel-desk@evil.example',
    'Content-Type: text/plain',
  ],
  'Please wire 48,500 EUR today, I am travelling.',
);

describe('A43-5: an allowed outside address is trusted on the header alone', () => {
  it('still flags a spoofed From of the allowed address (not authenticated)', async () => {
    const { verdict } = await kit.inbound(
      message,
      { PROTECTED_NAMES: 'Jane Doe', IMPERSONATION_ALLOWED_SENDERS: 'jane.doe.private@gmail.com' },
      'bounce@evil.example',
    );
    expect(verdict).toBe('MOVE_TO_JUNK');
  });
  it('control: without the setting it is flagged', async () => {
    const { verdict } = await kit.inbound(message, { PROTECTED_NAMES: 'Jane Doe' }, 'bounce@evil.example');
    expect(verdict).toBe('MOVE_TO_JUNK');
  });
});
