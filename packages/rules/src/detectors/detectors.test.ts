import { describe, expect, it } from 'vitest';
import { findCardNumbers, luhnValid } from './card.js';
import { findIbans, ibanValid } from './iban.js';
import { collectSensitive, containsSensitiveData } from './index.js';

describe('detectors: payment cards', () => {
  it('finds grouped and compact card numbers that pass Luhn with a known issuer', () => {
    expect(findCardNumbers('card 4111 1111 1111 1111, exp 12/29')).toEqual(['4111111111111111']);
    expect(findCardNumbers('amex 3782-822463-10005 and mc 5555555555554444.')).toEqual([
      '378282246310005',
      '5555555555554444',
    ]);
  });

  it('reads no card across the rows of a list or table of fours, and still one wrapped across two lines of text', () => {
    // Attacker round 28 (false positives): postcode ranges, one pair a line; rows of a sheet of four-digit numbers.
    const ranges = '4000 4179\n4205 4299\n4300 4305\n4500 4519\n4550 4575\n4600 4620';
    expect(findCardNumbers(ranges)).toEqual([]);
    expect(findCardNumbers('2218 7304 6221 5006\n4101 3413 9983 5252\n1204 7781 3320 9014')).toEqual([]);
    // A card wrapped across lines, no fours beside it, is still a card.
    expect(findCardNumbers('Card on file: 4111 1111\n1111 1111. Thanks')).toEqual(['4111111111111111']);
  });

  it('ignores numbers failing Luhn, unknown issuers, repeated digits and digits inside longer tokens', () => {
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(findCardNumbers('order 4111111111111112')).toEqual([]);
    expect(findCardNumbers('id 9999999999999995')).toEqual([]);
    expect(findCardNumbers('0000 0000 0000 0000')).toEqual([]);
    expect(findCardNumbers('ref 41111111111111110000 and X4111111111')).toEqual([]);
    // A whole card glued to a label reads as a card (attacker round 8b: `PAN4111111111111111`).
    expect(findCardNumbers('ref X4111111111111111')).toEqual(['4111111111111111']);
    expect(findCardNumbers('9999999999999995', { requireKnownIssuer: false })).toEqual(['9999999999999995']);
  });

  it('scans hostile digit soup in one pass', () => {
    const soup = '1 '.repeat(500_000);
    expect(findCardNumbers(soup)).toEqual([]);
    expect(findCardNumbers(`${'4111111111111111 '.repeat(1000)}`, { max: 5 })).toHaveLength(5);
  });
});

describe('detectors: IBAN', () => {
  it('validates mod-97 and country lengths', () => {
    expect(ibanValid('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(ibanValid('GB82 WEST 1234 5698 7654 33')).toBe(false);
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('DE8937040044053201300')).toBe(false);
  });

  it('finds IBANs in running text, grouped or not, and stops at the country length', () => {
    expect(findIbans('Pay to DE89 3704 0044 0532 0130 00 today please')).toEqual(['DE89370400440532013000']);
    expect(findIbans('iban: gb82west12345698765432.')).toEqual(['GB82WEST12345698765432']);
    expect(findIbans('XDE89370400440532013000 and DE00370400440532013000')).toEqual([]);
    // Glued to its label, as text copied from a PDF statement reads (attacker round 60); not inside a longer word.
    expect(findIbans('IBANDE89370400440532013000')).toEqual(['DE89370400440532013000']);
    expect(findIbans('CARIBANDE89370400440532013000')).toEqual([]);
  });
});

describe('condition: containsSensitiveData (config)', () => {
  it('counts distinct findings once', () => {
    const seen = new Set<string>();
    collectSensitive('4111-1111-1111-1111 / GB82WEST12345698765432', ['payment-card', 'iban'], seen, 10);
    collectSensitive('4111111111111111 again', ['payment-card', 'iban'], seen, 10);
    expect(seen.size).toBe(2);
  });

  it('refuses bad configuration', () => {
    expect(() => containsSensitiveData({ kinds: [] })).toThrow(/configuration kinds/);
    expect(() => containsSensitiveData({ kinds: ['ssn' as never] })).toThrow(/kinds/);
    expect(() => containsSensitiveData({ minCount: 0 })).toThrow(/minCount/);
    expect(() => containsSensitiveData({ scope: 'all' as never })).toThrow(/scope/);
  });
});
