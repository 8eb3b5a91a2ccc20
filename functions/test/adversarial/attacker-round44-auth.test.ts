import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A44-5 (conditional: depends on SES echoing the EHLO argument unquoted): SES's Authentication-Results writes
// `client-ip=…; envelope-from=…; helo=<EHLO argument>;` as segments of its own. A43-1 made quoted strings single
// values, but an EHLO argument is not a quoted string: `EHLO mx.evil.example;dkim=pass header.d=corp.example`
// (many MTAs accept any text there) would add a method segment. The parser skips segments that do not start
// `method=result` and lets a later, real `dmarc=fail` stand beside the injected pass, so the spoof is "inside":
// no [EXTERNAL] tag/banner, no impersonation check of the From.
const stack = useLocalStack();
const kit = attackerKit(stack);
const AR =
  'Authentication-Results: amazonses.com;\r\n spf=fail (spf: domain of corp.example does not designate 192.0.2.7 as permitted sender) client-ip=192.0.2.7; envelope-from=jane.doe@corp.example; helo=mx.evil.example;dkim=pass header.d=corp.example;\r\n dkim=fail header.i=@corp.example;\r\n dmarc=fail header.from=corp.example;';

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

describe('A44-5: a method injected through an unquoted SES-echoed value (helo)', () => {
  it('a spoofed own-domain From with dmarc=fail is not taken for inside', async () => {
    const { verdict, delivered } = await kit.inbound(
      spoof,
      { PROTECTED_NAMES: 'Jane Doe' },
      'jane.doe@corp.example',
    );
    // Safe outcome: impersonation flags it (Junk: settled, so not tagged as well).
    expect(verdict).toBe('MOVE_TO_JUNK');
    expect(delivered.length).toBeGreaterThan(0);
  });
  it('without protected names, the spoof is outside: tagged', async () => {
    const { verdict, delivered } = await kit.inbound(spoof, {}, 'jane.doe@corp.example');
    expect(verdict).toBe('DEFAULT');
    expect(delivered.toString('latin1')).toMatch(/Subject: \[EXTERNAL\]/);
  });
});
