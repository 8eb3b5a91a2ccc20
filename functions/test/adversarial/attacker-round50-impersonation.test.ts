import { describe, expect, it } from 'vitest';
import { attackerKit, encoded, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 50, findings A50-12 and A50-13: a display name showing an address of the organization
// (corp.example) on outside mail is junked (A43-6, A45-5, A49-14g), but the domain it shows was read with a Lisu tone
// letter drawn as a full stop mapped to nothing (right for a name's words, where round 49 put it), other dots that
// are not `.` after NFKC ending the domain, and the ASCII digits and signs the name check reads as letters (`0` as o,
// `1` and `|` as l) and a circled a drawn as `@` read as themselves. Each case is replayed through the prebuilt guard
// at its defaults; each attack was delivered (DEFAULT) before the fix (asDrawn also reads, on both the shown and the
// organization's domains, such punctuation as the punctuation it is drawn as, the ASCII look-alikes as letters, and
// both, beside the reading as typed), and each control behaves as it did.
const stack = useLocalStack();
const kit = attackerKit(stack);
const from = (name: string) =>
  mail([`From: ${encoded(name)} <payroll@evil.example>`, 'Content-Type: text/plain'], 'Pay today.');
const verdict = async (name: string) =>
  (await kit.inbound(from(name), { PROTECTED_NAMES: 'Jane Doe' })).verdict;
const junks = (cases: Record<string, string>) => {
  for (const [how, name] of Object.entries(cases))
    it(`junks ${name} (${how})`, async () => {
      expect(await verdict(name)).toBe('MOVE_TO_JUNK');
    });
};
const delivers = (cases: Record<string, string>) => {
  for (const [how, name] of Object.entries(cases))
    it(`(control) delivers ${name} (${how})`, async () => {
      expect(await verdict(name)).toBe('DEFAULT');
    });
};

// A50-12 (high): Lisu ꓸ was read as nothing (`corpexample`); the middle dot, the raised dot, the Syriac and Arabic
// full stops and the ideographic full stop (a dot to IDNA) ended the domain at `corp`.
describe('A50-12: the organization domain shown with a dot look-alike', () => {
  junks({
    'Lisu tone mya ti, drawn as a full stop': 'payroll@corp\ua4f8example',
    'Lisu tone mya cya, drawn as two dots': 'payroll@corp\ua4faexample',
    'middle dot': 'payroll@corp\u00b7example',
    'Greek ano teleia': 'payroll@corp\u0387example',
    'raised dot': 'payroll@corp\u2e33example',
    'word separator middle dot': 'payroll@corp\u2e31example',
    'hyphenation point': 'payroll@corp\u2027example',
    'Syriac supralinear full stop': 'payroll@corp\u0701example',
    'Arabic full stop': 'payroll@corp\u06d4example',
    'ideographic full stop': 'payroll@corp\u3002example',
    'half-width ideographic full stop': 'payroll@corp\uff61example',
    'Egyptian hieroglyph vertical joiner inside the domain': 'payroll@corp.exa\u{13430}mple',
  });
  junks({ 'control: a plain dot': 'payroll@corp.example' });
  delivers({
    'another domain with a middle dot': 'payroll@partner\u00b7example',
    'our domain under another top-level domain, with a middle dot': 'payroll@corp\u00b7example.net',
    'a Lisu full stop after a name, with another address': 'Jane\ua4f8 payroll@partner.example',
  });
});

// A50-13 (high): `0`, `1` and `|` were read as themselves in the domain (the name check reads them as o, l and l), and
// a circled a drawn as @ was no @ to the check.
describe('A50-13: the organization domain shown with ASCII look-alikes', () => {
  junks({
    'zero for o': 'payroll@c0rp.example',
    'one for l': 'payroll@corp.examp1e',
    'vertical bar for l': 'payroll@corp.examp|e',
    'circled small a for the at sign': 'payroll\u24d0corp.example',
    'circled capital A for the at sign': 'PAYROLL\u24b6CORP.EXAMPLE',
    'a in an enclosing circle for the at sign': 'payrolla\u20ddcorp.example',
    'a vertical bar after the address': 'payroll@corp.example|Payroll',
    'a middle dot after the address': 'payroll@corp.example\u00b7Payroll',
  });
  delivers({
    'another domain with the same digits': 'payroll@partner1.example',
    'our name with a digit added, another domain': 'payroll@corp1.example',
    'our domain with a digit after it': 'payroll@corp.example1',
    'a circled a in a name without a domain': 'Payroll \u24d0 Corp',
  });
});
