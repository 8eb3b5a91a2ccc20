import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useTwinStack } from './twin-kit.js';

// A73-2: round 72 read outside mail From the organization's own address as impersonation when the trusted DMARC
// result failed for it. A From written so that readers disagree on its mailbox (`Payroll
// <payroll@corp.example> <x@evil.example>`, an address then a comment or an angle address naming another, a
// source route) is read here as payroll@corp.example, while SES's DMARC result says it judged (and passed) a From
// in evil.example: the attacker's own aligned domain. Which of the two a client shows is not known, and the one
// read here was never judged, so it was only tagged. A trusted DMARC result for a domain that is not the
// organization's, beside an organization From, is now impersonation; a DMARC pass for the organization's own
// domain still delivers.
const stack = useTwinStack();
const kit = attackerKit(stack);
const ENV = { PROTECTED_NAMES: 'Jane Doe' };

const results = (dmarc: string, dkim: string, envelope: string) =>
  `Authentication-Results: amazonses.com;\r\n spf=pass (spfCheck: x) client-ip=203.0.113.9; envelope-from=${envelope}; helo=mx.evil.example;\r\n ${dkim};\r\n ${dmarc};`;
const EVIL = results(
  'dmarc=pass header.from=evil.example',
  'dkim=pass header.i=@evil.example',
  'x@evil.example',
);
const message = (auth: string, from: string) =>
  mail([auth, `From: ${from}`, 'Content-Type: text/plain'], 'Please update your bank details today.');
const verdict = async (bytes: Buffer, mailFrom = 'x@evil.example') =>
  (await kit.inbound(bytes, ENV, mailFrom)).verdict;

describe('A73-2: an organization From that DMARC did not judge (it passed another domain)', () => {
  for (const from of [
    'Payroll <payroll@corp.example> <x@evil.example>',
    'payroll@corp.example (x@evil.example)',
    '<@evil.example:payroll@corp.example>',
  ])
    it(`junks \`${from}\` with dmarc=pass header.from=evil.example`, async () => {
      expect(await verdict(message(EVIL, from))).toBe('MOVE_TO_JUNK');
    });

  describe('controls', () => {
    it('the organization’s own mail with dmarc=pass for its domain is delivered', async () => {
      const auth = results(
        'dmarc=pass header.from=corp.example',
        'dkim=pass header.i=@corp.example',
        'payroll@corp.example',
      );
      expect(await verdict(message(auth, 'Payroll <payroll@corp.example>'), 'payroll@corp.example')).toBe(
        'DEFAULT',
      );
    });
    it('an outside sender passing its own DMARC with an ordinary From is delivered', async () => {
      expect(await verdict(message(EVIL, 'Ann <x@evil.example>'))).toBe('DEFAULT');
    });
    it('a partner’s mail passing DMARC that names the organization in a comment is delivered', async () => {
      const auth = results(
        'dmarc=pass header.from=partner.example',
        'dkim=pass header.i=@partner.example',
        'ann@partner.example',
      );
      expect(
        await verdict(message(auth, 'Ann (for corp.example) <ann@partner.example>'), 'ann@partner.example'),
      ).toBe('DEFAULT');
    });
  });
});
