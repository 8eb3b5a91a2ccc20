import { describe, expect, it } from 'vitest';
import { findCardNumbers } from './card.js';
import { sourceTexts } from './source-texts.js';

// Attacker round 84: a card a reader still reads was not found when its digits were grouped in thousands
// (`4,111,111,111,111,111`), its groups glued together by a currency sign, a percent sign or one letter
// (`4111$1111$1111$1111`, `4111x1111x1111x1111`), or some of its digits written as look-alike letters (`O` for 0,
// `l` or `I` for 1: `4lll llll llll llll`); and a `<meta>`'s `content` was never read.
const CARD = '4111111111111111';

describe('a card grouped in thousands', () => {
  it('finds a card-length number grouped in exact thousands', () => {
    for (const text of [
      'card 4,111,111,111,111,111',
      'card 4.111.111.111.111.111',
      'card 4 111 111 111 111 111',
      "card 4'111'111'111'111'111",
      'card 4\u00a0111\u00a0111\u00a0111\u00a0111\u00a0111',
      'card: 4,111,111,111,111,111.00',
    ])
      expect(findCardNumbers(text), text).toEqual([CARD]);
    expect(findCardNumbers('amex 340,000,000,000,009')).toEqual(['340000000000009']);
    expect(findCardNumbers('mc 5,500,000,000,000,004')).toEqual(['5500000000000004']);
  });
  it('benign: amounts, populations and phone numbers in thousands are not cards', () => {
    for (const text of [
      'Total due: 4,111,111.11 EUR',
      'Revenue 12,345,678,901 USD',
      'World population 8,100,000,000',
      'Invoice 2026-0042: 1,250.00 + 19,875.50 = 21,125.50',
      'Call +33 1 23 45 67 89 or 0800 123 456',
      'Budget 1.234.567.890.123 IDR',
      // Not a card's length, not Luhn-valid, or a longer grouping.
      '4,111,111,111,111,112',
      '4,111,111,111,111,111,111',
      '41,111,111,111,111,111',
      // Thousands groups mixed in one number are not the exact grouping.
      '4,111,111.111.111,111',
    ])
      expect(findCardNumbers(text), text).toEqual([]);
  });
});

describe('a card glued together by a sign or a letter', () => {
  it('finds a card layout glued by $, % or one letter', () => {
    for (const text of [
      'card 4111$1111$1111$1111',
      'card 4111%1111%1111%1111',
      'card 4111x1111x1111x1111',
      'card 4111X1111X1111X1111',
      'card 4111k1111k1111k1111',
      'card 4111$1111$1111$1111 exp 12/29',
    ])
      expect(findCardNumbers(text), text).toEqual([CARD]);
    expect(findCardNumbers('amex 3400$000000$00009')).toEqual(['340000000000009']);
  });
  it('benign: prices, percentages, sizes and hex identifiers are not cards', () => {
    for (const text of [
      'Prices: $4111 $1111 $1111 $1111',
      'Growth 4111% 1111% 1111% 1111%',
      'size 1920x1080, 3840x2160, 4096x2160',
      'crate 1200x1000x1400x1600 mm',
      'commit 4111a1111b1111c1111d',
      'rows 4111x1111x1111x1111x1111x1111',
      '4111,1111,1111,1111',
      '4111;1111;1111;1111',
      'card 4111x1111y1111z1111',
    ])
      expect(findCardNumbers(text), text).toEqual([]);
  });
});

describe('a card with look-alike letters for digits', () => {
  it('finds O for 0 and l or I for 1 among digits', () => {
    for (const text of ['card 4lll llll llll llll', 'card 4III IIII IIII IIII', 'card 4lll-llll-llll-llll'])
      expect(findCardNumbers(text), text).toEqual([CARD]);
    expect(findCardNumbers('mc 55OO OOOO OOOO OOO4')).toEqual(['5500000000000004']);
    expect(findCardNumbers('mc 55oo oooo oooo ooo4')).toEqual(['5500000000000004']);
  });
  it('benign: words of those letters beside numbers are not digits', () => {
    for (const text of [
      'OOO until 4 May, call 0800 1111 lol',
      'Room 4 Ill lol, Wall Hall',
      'Order 4 of 10: I/O board, lOl',
      'llll llll llll llll',
    ])
      expect(findCardNumbers(text), text).toEqual([]);
  });
});

describe('sourceTexts: a meta content', () => {
  it('reads a meta content that holds a digit', () => {
    expect(sourceTexts('<meta name="note" content="4111 1111 1111 1111"><p>x</p>')).toEqual([
      '4111 1111 1111 1111',
    ]);
    expect(sourceTexts('<meta name="viewport" content="width=device-width">')).toEqual([]);
  });
});
