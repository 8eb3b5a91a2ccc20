import { describe, expect, it } from 'vitest';
import { attackerKit, encoded, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 51, findings A51-9 and A51-10: a display name showing an address of the organization
// (corp.example) on outside mail is junked (A43-6, A50-12, A50-13), but only a Latin `a` in a combining enclosing
// circle (U+20DD) was read as an at sign, not the Cyrillic а, Greek α or Latin alpha ɑ in the same circle, nor an a
// with a variation selector before the circle; and dots were read from a closed list, so other characters drawn as
// a dot ended the domain at `corp` or stayed in it as letters. Each case is replayed through the prebuilt guard at
// its defaults; each attack was delivered (DEFAULT) before the fix (asDrawn reads any letter in an enclosing
// circle, marks and format characters between, as `@`, and any punctuation, symbol or modifier letter outside
// ASCII as a dot, with the letters, digits and marks confusables.txt draws as dots), and each control behaves as
// it did.
const stack = useLocalStack();
const kit = attackerKit(stack);
const from = (name: string) =>
  mail([`From: ${encoded(name)} <payroll@evil.example>`, 'Content-Type: text/plain'], 'Pay today.');
const verdict = async (name: string) =>
  (await kit.inbound(from(name), { PROTECTED_NAMES: 'Jane Doe' })).verdict;
const junks = (cases: Record<string, string>) => {
  for (const [how, name] of Object.entries(cases))
    it(`junks ${JSON.stringify(name)} (${how})`, async () => {
      expect(await verdict(name)).toBe('MOVE_TO_JUNK');
    });
};
const delivers = (cases: Record<string, string>) => {
  for (const [how, name] of Object.entries(cases))
    it(`(control) delivers ${JSON.stringify(name)} (${how})`, async () => {
      expect(await verdict(name)).toBe('DEFAULT');
    });
};

// A51-9 (high): the circle is drawn around whatever letter precedes it.
describe('A51-9: an at sign drawn as another a in an enclosing circle', () => {
  junks({
    'Cyrillic a + U+20DD': 'payroll\u0430\u20ddcorp.example',
    'Greek alpha + U+20DD': 'payroll\u03b1\u20ddcorp.example',
    'Latin alpha + U+20DD': 'payroll\u0251\u20ddcorp.example',
    'a + VS15 + U+20DD': 'payrolla\ufe0e\u20ddcorp.example',
    '(control) the Latin a + U+20DD round 50 reads': 'payrolla\u20ddcorp.example',
  });
  delivers({
    'a circled Cyrillic a before another domain': 'payroll\u0430\u20ddpartner.example',
  });
});

// A51-10 (medium-high): dot look-alikes outside round 50's list.
describe('A51-10: the organization domain with dot look-alikes outside the list', () => {
  junks({
    'Aegean word separator dot U+10101': 'payroll@corp\u{10101}example',
    'black slightly small circle U+1F784': 'payroll@corp\u{1f784}example',
    'Kharoshthi punctuation dot U+10A50': 'payroll@corp\u{10a50}example',
    'Devanagari high spacing dot U+0971 (a letter)': 'payroll@corp\u0971example',
    'Tibetan tsheg U+0F0B': 'payroll@corp\u0f0bexample',
    'ring point U+2E30': 'payroll@corp\u2e30example',
  });
  delivers({
    'another domain with the same dot': 'payroll@partner\u{1f784}example',
    'the domain with another ending': 'payroll@corp\u2e30example.net',
  });
});
