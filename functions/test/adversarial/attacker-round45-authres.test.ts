import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A45-6 (conditional, same premise as A44-5: SES echoes the EHLO argument unquoted): the A44-5 fix refuses a
// header with a failing or second DMARC. But resinfoSegments (core auth-results.ts) drops a comment left open to
// the end of the header without calling the header malformed (an open quoted string is refused): an EHLO of
// `mx.evil.example;dkim=pass header.d=corp.example (` injects a pass and hides SES's own `dkim=fail` and
// `dmarc=fail` in the open comment. The spoof is "inside": no [EXTERNAL] tag, no impersonation check.
const stack = useLocalStack();
const kit = attackerKit(stack);
const dir = `${import.meta.dirname}/fixtures/round45/A45-6-authres-open-comment`;
const AR =
  'Authentication-Results: amazonses.com;\r\n spf=fail (spf: domain of corp.example does not designate 192.0.2.7 as permitted sender) client-ip=192.0.2.7; envelope-from=jane.doe@corp.example; helo=mx.evil.example;dkim=pass header.d=corp.example (;\r\n dkim=fail header.i=@corp.example;\r\n dmarc=fail header.from=corp.example;';
const spoof = Buffer.from(
  [
    AR,
    'From: "Jane Doe" <jane.doe@corp.example>',
    'To: bob@corp.example',
    'Subject: wire today',
    'Date: Sun, 29 Nov 2026 10:00:00 +0000',
    'Message-ID: <spoof-1@evil.example>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain',
    '',
    'Please wire the money today.',
    '',
  ].join('\r\n'),
);
describe('A45-6: SES results hidden in a comment left open by an echoed value', () => {
  it('a spoofed own-domain From is not taken for inside', async () => {
    writeFileSync(`${dir}/helo-open-comment.eml`, spoof);
    const { verdict, delivered } = await kit.inbound(
      spoof,
      { PROTECTED_NAMES: 'Jane Doe' },
      'jane.doe@corp.example',
    );
    expect(verdict).toBe('MOVE_TO_JUNK');
    expect(delivered.length).toBeGreaterThan(0);
  });
  it('without protected names, the spoof is outside: tagged', async () => {
    const { delivered } = await kit.inbound(spoof, {}, 'jane.doe@corp.example');
    expect(delivered.toString('latin1')).toMatch(/Subject: \[EXTERNAL\]/);
  });
});
