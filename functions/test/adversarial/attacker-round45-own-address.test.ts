import { describe, expect, it } from 'vitest';
import { attackerKit, encoded, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A45-5: a display name showing an organization address was read as typed: an invisible character inside the
// domain (zero-width space, soft hyphen, word joiner, left-to-right mark), a right-to-left override or a
// Cyrillic look-alike letter changed the domain read, while the reader sees "payroll@corp.example".
const stack = useLocalStack();
const kit = attackerKit(stack);
const shown: Record<string, string> = {
  'a zero-width space': 'payroll@corp\u200B.example',
  'a zero-width space after the @': 'payroll@\u200Bcorp.example',
  'a soft hyphen': 'payroll@corp.\u00ADexample',
  'a word joiner': 'payroll@corp\u2060.example',
  'a left-to-right mark': 'payroll@\u200Ecorp.example',
  'a right-to-left override': 'payroll@\u202Eelpmaxe.proc\u202C',
  'a Cyrillic es': 'payroll@\u0441orp.example',
};
const from = (name: string) =>
  mail([`From: ${encoded(name)} <payroll@evil.example>`, 'Content-Type: text/plain'], 'Pay today.');

describe('A45-5: a display name showing an organization address with an invisible or look-alike character', () => {
  for (const [how, name] of Object.entries(shown))
    it(`junks the address shown with ${how}`, async () => {
      expect((await kit.inbound(from(name), { PROTECTED_NAMES: 'Jane Doe' })).verdict).toBe('MOVE_TO_JUNK');
    });

  it('delivers a display name showing an outside address that only shares letters with ours', async () => {
    for (const name of ['payroll@corp-example.com', 'payroll@corp.example.net', 'help@c\u200Borp.exampled'])
      expect((await kit.inbound(from(name), { PROTECTED_NAMES: 'Jane Doe' })).verdict, name).toBe('DEFAULT');
  });
});
