import { parseAuthenticationResults } from '@wmflow/core';
import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A43-1: the Authentication-Results parser splits on every `;`, quoted strings included. SES echoes the SMTP
// MAIL FROM (envelope-from=…) into its own trusted header; a quoted local part (RFC 5321 allows `;`, `=` and
// spaces in it) then injects a method result "dkim=pass header.d=corp.example" into the trusted header.
const stack = useLocalStack();
const kit = attackerKit(stack);
const MAILFROM = '"x; dkim=pass header.d=corp.example; x"@evil.example';
const SES_AR = [
  'Authentication-Results: amazonses.com;',
  ' spf=pass (spfCheck: domain of evil.example designates 203.0.113.9 as permitted sender) client-ip=203.0.113.9;' +
    ` envelope-from=${MAILFROM}; helo=mail.evil.example;`,
  ' dkim=pass header.i=@evil.example;',
  ' dmarc=fail header.from=corp.example;',
].join('\r\n');

describe('A43-1: a quoted MAIL FROM echoed by SES forges a DKIM pass for the organization', () => {
  it('the trusted header holds no pass for corp.example', () => {
    const parsed = parseAuthenticationResults(SES_AR.slice('Authentication-Results: '.length));
    const forged = parsed?.methods.some((m) => m.method === 'dkim' && m.props['header.d'] === 'corp.example');
    expect(forged).toBe(false);
  });
  it('an own-domain From with a protected name is still impersonation (Junk), not inside', async () => {
    const message = mail(
      [SES_AR, 'From: "Jane Doe" <jane.doe@corp.example>', 'Content-Type: text/plain'],
      'Please wire 48,500 EUR today.',
    );
    const { verdict } = await kit.inbound(message, { PROTECTED_NAMES: 'Jane Doe' }, MAILFROM);
    expect(verdict).toBe('MOVE_TO_JUNK');
  });
});
