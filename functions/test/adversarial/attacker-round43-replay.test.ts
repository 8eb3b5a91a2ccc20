import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A43-2: a genuine DKIM-signed message of a protected person (any reply she sent the attacker), replayed inbound
// with headers the signature does not cover added: a Reply-To naming her at an outside address, and a Subject on
// top (DKIM verifies the bottom-most Subject; clients show the top one). SES: dkim=pass for corp.example and
// dmarc=pass, so senderIsInside() is true and the impersonation rule returns before it reads the Reply-To; the
// EXTERNAL tag is not added either. Delivered DEFAULT, untagged, today.
const stack = useLocalStack();
const kit = attackerKit(stack);
const SES_AR =
  'Authentication-Results: amazonses.com; spf=fail smtp.mailfrom=corp.example; dkim=pass header.d=corp.example; dmarc=pass header.from=corp.example;';

describe('A43-2: replayed signed mail with an added outside Reply-To under the protected name', () => {
  it('is still flagged (Reply-To outside the organization with a protected name)', async () => {
    const message = mail(
      [
        SES_AR,
        'Subject: URGENT: new bank details, reply to my private address',
        'Reply-To: "Jane Doe" <jane.doe.ceo@evil.example>',
        'DKIM-Signature: v=1; a=rsa-sha256; d=corp.example; s=s1; h=from:to:subject:date:message-id; bh=AAAA; b=AAAA',
        'From: "Jane Doe" <jane.doe@corp.example>',
        'Content-Type: text/plain',
      ],
      'Sounds good, talk tomorrow.\r\nJane',
    );
    const { verdict } = await kit.inbound(message, { PROTECTED_NAMES: 'Jane Doe' }, 'jane.doe@corp.example');
    expect(verdict).toBe('MOVE_TO_JUNK');
  });
});
