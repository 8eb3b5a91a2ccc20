import { describe, expect, it } from 'vitest';
import { findCardNumbers } from './card.js';
import { findIbans } from './iban.js';

// Attacker round 76: a card's groups joined by an equals sign, a hash, angle brackets or arrows were not read as a
// card (`4111=1111=1111=1111`, `4111 -> 1111 -> 1111 -> 1111`, `4111 → 1111 → 1111 → 1111`), nor an IBAN's groups
// so joined; a reader reads each as the number. Like the cell joins of round 71, they count only in a card's layout.
const CARD = '4111111111111111';

describe('card groups joined by =, #, angle brackets or arrows', () => {
  it('finds four groups of four so joined', () => {
    for (const text of [
      'card 4111=1111=1111=1111',
      'card 4111 = 1111 = 1111 = 1111',
      'card 4111#1111#1111#1111',
      'card 4111 # 1111 # 1111 # 1111',
      'card 4111<>1111<>1111<>1111',
      'card 4111->1111->1111->1111',
      'card 4111 => 1111 => 1111 => 1111',
      'card 4111 → 1111 → 1111 → 1111',
      'card 4111⇒1111⇒1111⇒1111',
      'card 4111 ⟶ 1111 ⟶ 1111 ⟶ 1111',
      'card 4111 ➜ 1111 ➜ 1111 ➜ 1111',
      'card 4111 ← 1111 ← 1111 ← 1111',
      'card ４１１１＝１１１１＝１１１１＝１１１１',
      'card 4111＃1111＃1111＃1111',
    ])
      expect(findCardNumbers(text), text).toEqual([CARD]);
    expect(findCardNumbers('amex 3782 -> 822463 -> 10005')).toEqual(['378282246310005']);
  });
  it('finds an IBAN so joined', () => {
    expect(findIbans('GB82=WEST=1234=5698=7654=32')).toEqual(['GB82WEST12345698765432']);
    expect(findIbans('GB82 → WEST → 1234 → 5698 → 7654 → 32')).toEqual(['GB82WEST12345698765432']);
    expect(findIbans('DE89#3704#0044#0532#0130#00')).toEqual(['DE89370400440532013000']);
  });

  describe('controls', () => {
    it('finds no card in equations, references, comparisons or routes that are not a card layout', () => {
      for (const text of [
        'x=4111 y=1111',
        'Fixes #4111 and #4112',
        'width=1200 height=1600 depth=4111',
        '2025 -> 2026',
        '4001 = 4002 = 4003 = 4004 = 4005 = 4006',
        'build 4111 → 4112 → 4113 → 4114 → 4115 → 4116 → 4117',
        '0900 → 1030 → 1200 → 1400',
        'if (a >= 4111 && b <= 1111) return 1111;',
        // Exact thousands of a card's length read as the card since attacker round 84; two amounts do not.
        '4,111,111 + 111,111,111',
        '[4111, 1111, 1111, 1111]; 4111;1111;1111;1111',
      ])
        expect(findCardNumbers(text), text).toEqual([]);
    });
  });
});
