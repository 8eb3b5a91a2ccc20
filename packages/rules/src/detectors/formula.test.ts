import { describe, expect, it } from 'vitest';
import { findCardNumbers } from './card.js';
import { formulaReading } from './formula.js';

const CARD = '4111111111111111';

describe('formulaReading: what a spreadsheet shows for a formula', () => {
  it('joins strings and numbers with &, in Excel and in CSV quoting', () => {
    expect(formulaReading('card,="4111 1111 "&"1111 1111"')).toBe('card,="4111 1111 1111 1111"');
    expect(formulaReading('="4111 1111 1111 " & 1111')).toBe('="4111 1111 1111 1111');
    expect(formulaReading('=4111&" 1111 1111 1111"')).toBe('=4111 1111 1111 1111"');
    expect(formulaReading('"=""4111 1111 ""&""1111 1111"""')).toBe('"=""4111 1111 1111 1111"""');
  });

  it('evaluates CONCATENATE, CONCAT and TEXTJOIN of constants, with either separator', () => {
    expect(formulaReading('=CONCATENATE("4111 1111 ","1111 1111")')).toBe('=4111 1111 1111 1111');
    expect(formulaReading('=_xlfn.CONCAT("4111";" 1111";" 1111";" 1111")')).toBe(
      '=_xlfn.4111 1111 1111 1111',
    );
    expect(formulaReading('=textjoin(" ",TRUE,"4111","1111","1111","1111")')).toBe('=4111 1111 1111 1111');
    expect(formulaReading('=CONCAT(CONCAT("4111 1111 ","1111 "),"1111")')).toBe(
      '=CONCAT(4111 1111 1111 ,"1111")',
    );
  });

  it('leaves other text alone: R&D, 4&5, cell references, calls over lines or unclosed', () => {
    expect(formulaReading('R&D and Q&A, 4 & 5')).toBeUndefined();
    expect(formulaReading('=A1&B2')).toBeUndefined();
    expect(formulaReading('no formula here')).toBeUndefined();
    expect(formulaReading('=CONCAT("4111",\n"1111")')).toBeUndefined();
    expect(formulaReading('=CONCAT("4111","1111"')).toBeUndefined();
  });

  it('makes the card finder see the card a formula shows', () => {
    const csv =
      'name,card\nAnn,="4111 1111 "&"1111 1111"\nBob,"=CONCATENATE(""4111 1111"","" 1111 1111"")"\n';
    expect(findCardNumbers(csv)).toEqual([]);
    expect(findCardNumbers(formulaReading(csv) ?? '')).toEqual([CARD, CARD]);
  });
});
