import { describe, expect, it } from 'vitest';
import { findCardNumbers } from './card.js';
import { findIbans } from './iban.js';

// Attacker round 71: a card's groups joined as table cells, fields or quoted values, and an IBAN split inside its
// country code and check digits (the end-to-end cases are in functions/test/adversarial/attacker-round71-leads).
const CARD = '4111111111111111';

describe('card groups joined by bars, colons, pluses, quotes or brackets', () => {
  it('finds four groups of four so joined, in a card layout', () => {
    for (const text of [
      '| 4111 | 1111 | 1111 | 1111 |',
      '4111|1111|1111|1111',
      '4111:1111:1111:1111',
      '4111+1111+1111+1111',
      '"4111" "1111" "1111" "1111"',
      "'4111' '1111' '1111' '1111'",
      '[4111][1111][1111][1111]',
      '(4111) (1111) (1111) (1111)',
      '{4111}{1111}{1111}{1111}',
      '4111\\1111\\1111\\1111',
      '| a |\n|---|\n| 4111 | 1111 | 1111 | 1111 |\n| 1 | 2 |',
    ])
      expect(findCardNumbers(text), text).toEqual([CARD]);
    expect(findCardNumbers('| 3782 | 822463 | 10005 |')).toEqual(['378282246310005']);
  });
  it('does not read a whole run so joined, nor fours among six or more, as a card', () => {
    for (const text of [
      '41:11:11:11:11:11:11:11',
      '4:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1',
      '| 4001 | 4002 | 4003 | 4004 | 4005 | 4006 |\n| 4007 | 4008 | 4009 | 4010 | 4011 | 4012 |',
      '2001:4860:4860:0000:0000:0000:0000:8888',
      '+1 (555) 010-0199 | +1 (555) 010-0142 | +44 (20) 7946 0958',
      '| 978-3-16-148410-0 | 978-0-306-40615-7 |',
      '(01) 09506000134352 (17) 261231 (10) 4111',
      '[4111, 1111, 1111, 1111]; 4111;1111;1111;1111',
    ])
      expect(findCardNumbers(text), text).toEqual([]);
  });
});

describe('an IBAN split inside its country code or check digits', () => {
  it('finds it, as its characters read', () => {
    expect(findIbans('GB8 2WEST 1234 5698 7654 32')).toEqual(['GB82WEST12345698765432']);
    expect(findIbans('G B82 WEST 1234 5698 7654 32')).toEqual(['GB82WEST12345698765432']);
    expect(findIbans('GB 8 2 WEST 1234 5698 7654 32')).toEqual(['GB82WEST12345698765432']);
    expect(findIbans('D-E-8-9-3704-0044-0532-0130-00')).toEqual(['DE89370400440532013000']);
    expect(findIbans('NL9 1ABNA 0417 1643 00')).toEqual(['NL91ABNA0417164300']);
  });
  it('keeps the layouts it read before, and finds nothing in short letter-digit runs', () => {
    expect(findIbans('IT 60 X 05428 11101 000000123456')).toEqual(['IT60X0542811101000000123456']);
    expect(findIbans('FR14 20041 01005 0500013M026 06')).toEqual(['FR1420041010050500013M02606']);
    expect(findIbans('grid G 8 12, flat B 12 34, model D E8 9, GB8 2AB')).toEqual([]);
    // A wrong check digit is still no IBAN, however split.
    expect(findIbans('GB8 3WEST 1234 5698 7654 32')).toEqual([]);
  });
});

describe('own probes: IBANs in cells, and look-alikes of the cell joins', () => {
  it('finds an IBAN whose groups are table cells, fields or quoted values', () => {
    for (const text of [
      '| GB82 | WEST | 1234 | 5698 | 7654 | 32 |',
      'GB82:WEST:1234:5698:7654:32',
      '"GB82" "WEST" "1234" "5698" "7654" "32"',
      '[DE89][3704][0044][0532][0130][00]',
    ])
      expect(findIbans(text), text).toHaveLength(1);
    expect(findIbans('| GB | 8200 | 1234 | 5698 |\n| DE | 8937 | 4004 | 4053 |')).toEqual([]);
  });
  it('reads the look-alikes of bars, colons, pluses, quotes and brackets as them', () => {
    for (const text of [
      '4111 │ 1111 │ 1111 │ 1111',
      '4111 ¦ 1111 ¦ 1111 ¦ 1111',
      '4111｜1111｜1111｜1111',
      '4111：1111：1111：1111',
      '４１１１＋１１１１＋１１１１＋１１１１',
      '“4111” “1111” “1111” “1111”',
      '【4111】【1111】【1111】【1111】',
      '「4111」「1111」「1111」「1111」',
    ])
      expect(findCardNumbers(text), text).toEqual([CARD]);
    expect(findCardNumbers('10：30～11：45【第3回】“2026”')).toEqual([]);
  });
});
