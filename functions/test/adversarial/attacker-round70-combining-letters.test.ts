import { describe, expect, it } from 'vitest';
import { attackerKit, encoded, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 70, impersonation.
// A70-1: a protected name's letter written as a combining letter drawn over the letter before it (`J\u0363ne Doe`:
// U+0363 COMBINING LATIN SMALL LETTER A, drawn as a small a over the J; Outlook and Gmail show Jͣne Doe). The name
// check strips combining marks as diacritics, so it read `Jne Doe`. The medieval Latin combining letters (U+0363–
// U+036F, U+1DD3–U+1DF4) and the combining Cyrillic letters (U+2DE0–U+2DFF, U+A674–U+A67B) are now also read as
// the letter they draw, in place; so is an address of the organization shown as the display name
// (`payroll@c\u0366rp.example`, read `crp.example` before). Each attack was delivered (DEFAULT) before the fix; each control is delivered
// as before (a historical `Jo\u0364rg` is Joerg, not a protected name).
const stack = useLocalStack();
const kit = attackerKit(stack);
const verdict = async (name: string) =>
  (
    await kit.inbound(
      mail(
        [`From: ${encoded(name)} <x@evil.example>`, 'Content-Type: text/plain'],
        'Please pay the attached invoice today.',
      ),
      { PROTECTED_NAMES: 'Jane Doe' },
    )
  ).verdict;

const junks = (names: readonly string[]) => {
  for (const name of names)
    it(`junks ${JSON.stringify(name)}`, async () => {
      expect(await verdict(name)).toBe('MOVE_TO_JUNK');
    });
};
const delivers = (names: readonly string[]) => {
  for (const name of names)
    it(`(control) delivers ${JSON.stringify(name)}`, async () => {
      expect(await verdict(name)).toBe('DEFAULT');
    });
};

describe('A70-1: a letter of the protected name drawn as a combining letter', () => {
  junks([
    'J\u0363ne Doe',
    'Jan\u0364 Doe',
    'Jane D\u0366e',
    'J\u0363n\u0364 D\u0366\u0364',
    'Jane D\u1DF3e',
    'J\u1DE7ne Doe',
    'J\u2DF6ne Doe',
    'Jane D\u2DEAe',
    'J\u0363\u200Bne Doe',
    'Jane\u0364 Doe',
  ]);
  delivers(['Jo\u0364rg Doe', 'J\u0363ck Doe', 'Jane R\u0366e', 'Ja\u0364ne Dow', 'Mu\u0364ller']);
});

const fromVerdict = async (from: string) =>
  (
    await kit.inbound(
      mail([`From: ${from}`, 'Content-Type: text/plain'], 'Please update your bank details.'),
      {
        PROTECTED_NAMES: 'Jane Doe',
      },
    )
  ).verdict;

describe('A70-1: an address of the organization shown with a combining letter', () => {
  for (const name of [
    'payroll@c\u0366rp.example',
    'payroll@corp.ex\u0363mple',
    'p\u0363yroll@corp.\u0364xample',
  ])
    it(`junks ${JSON.stringify(name)}`, async () => {
      expect(await fromVerdict(`${encoded(name)} <x@evil.example>`)).toBe('MOVE_TO_JUNK');
    });
  it('(control) delivers "payroll@p\u0363rtner.example"', async () => {
    expect(await fromVerdict(`${encoded('payroll@p\u0363rtner.example')} <x@partner.example>`)).toBe(
      'DEFAULT',
    );
  });
});
