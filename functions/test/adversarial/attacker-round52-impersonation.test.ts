import { describe, expect, it } from 'vitest';
import { attackerKit, encoded, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 52, findings A52-2 to A52-5: outside mail whose From shows an address of the organization
// (corp.example), or a protected name, is junked (A43-6), but a display name showing an address at a made-up
// subdomain (`payroll@hr.corp.example`), one with white space beside its at sign or a dot (`payroll @ corp.example`,
// a no-break space after the `@`), an address with no display name whose quoted local part is the organization's
// address, and a protected name completed by a comment (`Jane (Doe)`) were all delivered. Each case is replayed
// through the prebuilt guard at its defaults; each attack was delivered (DEFAULT) before the fix (showsOwnAddress
// counts subdomains of organization domains, also reads the shown address with white space beside `@` and dots
// closed up, and reads the local part of an address shown without a display name; the comments of a field are read
// as part of its display names), and each control is delivered as before.
const stack = useLocalStack();
const kit = attackerKit(stack);
const verdict = async (from: string) =>
  (
    await kit.inbound(
      mail([`From: ${from}`, 'Content-Type: text/plain'], 'Please pay the attached invoice today.'),
      {
        PROTECTED_NAMES: 'Jane Doe',
      },
    )
  ).verdict;
const junks = (cases: Record<string, string>) => {
  for (const [how, from] of Object.entries(cases))
    it(`junks ${JSON.stringify(from)} (${how})`, async () => {
      expect(await verdict(from)).toBe('MOVE_TO_JUNK');
    });
};
const delivers = (cases: Record<string, string>) => {
  for (const [how, from] of Object.entries(cases))
    it(`(control) delivers ${JSON.stringify(from)} (${how})`, async () => {
      expect(await verdict(from)).toBe('DEFAULT');
    });
};

// A52-2 (medium-high): isInternal matches the organization's domains exactly, which is right for routing, but a
// reader takes `@hr.corp.example` for the organization's own address.
describe('A52-2: an address at a subdomain of the organization shown as the display name', () => {
  junks({
    'hr subdomain': '"payroll@hr.corp.example" <payroll@corp-example.com>',
    'mail subdomain, capitals': '"IT-SUPPORT@MAIL.CORP.EXAMPLE" <helpdesk@corp-example.com>',
    'two levels': '"ceo@exec.hq.corp.example" <x@evil.example>',
    '(control) the organization domain itself': '"payroll@corp.example" <payroll@corp-example.com>',
  });
  delivers({
    'a partner address': '"payroll@partner.example" <payroll@partner.example>',
    'the organization domain inside another domain': '"payroll@corp.example.partner.com" <x@partner.com>',
    'a domain ending like it': '"payroll@notcorp.example" <x@notcorp.example>',
    'a name only': 'Bob Roe <bob@partner.example>',
  });
});

// A52-3 (medium): the domain was read from right after the at sign, so a space (or a no-break, figure or
// ideographic space) after it, or around a dot, ended it before `corp.example`.
describe('A52-3: white space inside the shown address', () => {
  junks({
    'space after the at sign': '"payroll@ corp.example" <x@evil.example>',
    'spaces around the at sign': '"payroll @ corp.example" <x@evil.example>',
    'spaces around the dot': '"payroll@corp . example" <x@evil.example>',
    'no-break space after the at sign': `${encoded('payroll@\u00a0corp.example')} <x@evil.example>`,
    'figure space after the at sign': `${encoded('payroll@\u2007corp.example')} <x@evil.example>`,
    'ideographic space after the at sign': `${encoded('payroll@\u3000corp.example')} <x@evil.example>`,
    'em space before the dot': `${encoded('payroll@corp\u2003.example')} <x@evil.example>`,
    '(control) a sentence after the address': '"payroll@corp.example. Pay today" <x@evil.example>',
  });
  delivers({
    'a partner address spaced': '"payroll @ partner.example" <x@partner.example>',
    'another ending spaced': '"payroll@corp . example.net" <x@partner.example>',
    'the organization name without an address': '"Payroll @ Corp" <x@partner.example>',
  });
});

// A52-4 (medium): with no display name, clients show the address itself, which starts with the organization's
// address; only the display name was read for one.
describe('A52-4: the organization address as a quoted local part, no display name', () => {
  junks({
    'bare addr-spec': '"payroll@corp.example"@evil.example',
    'angle addr only': '<"payroll@corp.example"@evil.example>',
    'empty display name': '"" <"payroll@corp.example"@evil.example>',
    '(control) the same local part naming a protected person': '"jane.doe@corp.example"@evil.example',
  });
  delivers({
    'an ordinary address': 'billing@partner.example',
    'a partner address as the local part': '"billing@partner.example"@evil.example',
    'the organization domain as a plain local part': 'corp.example@partner.example',
  });
});

// A52-5 (low-medium, speculative): nodemailer's addressparser keeps the phrase `Jane` and drops the comment
// `(Doe)`; a client that shows the field with its comments shows Jane (Doe).
describe('A52-5: a protected name completed by a comment', () => {
  junks({
    'comment after the phrase': 'Jane (Doe) <x@evil.example>',
    'comment after the address': 'Jane <x@evil.example> (Doe)',
  });
  delivers({
    'another name with a comment': 'Jane (Smith) <jane@partner.example>',
    'the comment of another mailbox': 'Jane <jane@partner.example>, Bob (Doe) <bob@partner.example>',
    'the old comment-as-name form': 'jroe@partner.example (John Roe)',
  });
});
