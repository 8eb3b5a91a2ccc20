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

  it('evaluates text functions of constants, nested, with either separator, as quoted strings', () => {
    expect(formulaReading('=CONCATENATE("4111 1111 ","1111 1111")')).toBe('="4111 1111 1111 1111"');
    expect(formulaReading('=_xlfn.CONCAT("4111";" 1111";" 1111";" 1111")')).toBe(
      '=_xlfn."4111 1111 1111 1111"',
    );
    expect(formulaReading('=textjoin(" ",TRUE,"4111","1111","1111","1111")')).toBe('="4111 1111 1111 1111"');
    expect(formulaReading('=CONCATENATE(CONCATENATE("4111 1111 ","1111 "),"1111")')).toBe(
      '="4111 1111 1111 1111"',
    );
    expect(formulaReading('="4111 1111 1111 "&TEXT(1111,"0000")')).toBe('="4111 1111 1111 1111"');
    expect(formulaReading('="4111 "&REPT("1111 ",3)')).toBe('="4111 1111 1111 1111 "');
    expect(formulaReading('=CHAR(52)&"111 1111 1111 1111"')).toBe('="4111 1111 1111 1111"');
    expect(formulaReading('=SUBSTITUTE("4111x1111x1111x1111","x"," ")')).toBe('="4111 1111 1111 1111"');
    expect(formulaReading('="4111 1111 1111 "&LEFT("1111x",4)&MID("a1b",2,1)&RIGHT("9")')).toBe(
      '="4111 1111 1111 111119"',
    );
    expect(formulaReading('="4111 1111 1111 "&(1111)')).toBe('="4111 1111 1111 1111');
    expect(formulaReading('=TEXT(411111111111,"0000 0000 0000 ")&"1111"')).toBe('="4111 1111 1111 1111"');
  });

  it('leaves other text alone: R&D, 4&5, cell references, calls over lines or unclosed', () => {
    expect(formulaReading('R&D and Q&A, 4 & 5')).toBeUndefined();
    expect(formulaReading('=A1&B2')).toBeUndefined();
    expect(formulaReading('no formula here')).toBeUndefined();
    expect(formulaReading('=CONCAT("4111",\n"1111")')).toBeUndefined();
    expect(formulaReading('=CONCAT("4111","1111"')).toBeUndefined();
    // Arguments that are not constants leave a call as it is.
    expect(formulaReading('=REPT(A1,3)&MID(B2,C3,4)')).toBeUndefined();
  });

  it('makes the card finder see the card a formula shows', () => {
    const csv =
      'name,card\nAnn,="4111 1111 "&"1111 1111"\nBob,"=CONCATENATE(""4111 1111"","" 1111 1111"")"\n';
    // The CONCATENATE call's groups stand apart (a comma joins nothing); the `&` row reads as joined groups on its
    // own since attacker round 79.
    expect(findCardNumbers(csv.split('\n')[2] as string)).toEqual([]);
    expect(findCardNumbers(formulaReading(csv) ?? '')).toEqual([CARD, CARD]);
  });
});
