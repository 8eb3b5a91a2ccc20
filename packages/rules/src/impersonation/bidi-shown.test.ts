import { describe, expect, it } from 'vitest';
import { bidiShown } from './bidi-shown.js';

describe('bidiShown', () => {
  it('reverses what a right-to-left override covers, up to its PDF or the end', () => {
    expect(bidiShown('Jane \u202Ehtims')).toBe('Jane smith');
    expect(bidiShown('\u202Eenaj\u202C Smith')).toBe('jane Smith');
    expect(bidiShown('Jane Sm\u202Ehti')).toBe('Jane Smith');
  });

  it('keeps an inner left-to-right override in order, placed as one unit', () => {
    expect(bidiShown('\u202Eab\u202Dcd\u202Cef\u202C')).toBe('fecdba');
  });

  it('closes everything opened inside an isolate at its PDI; a PDF does not close an isolate', () => {
    expect(bidiShown('\u2067\u202Eab\u2069cd')).toBe('bacd');
    expect(bidiShown('\u2067ab\u202Ccd\u2069')).toBe('abcd');
  });

  it('leaves text without overrides as it is, controls dropped', () => {
    expect(bidiShown('Jane \u202BSmith\u202C')).toBe('Jane Smith');
    expect(bidiShown('Jane Smith')).toBe('Jane Smith');
  });

  it('ignores an opener past level 125 and the PDF that closes it, as UAX #9 does (round 30)', () => {
    // 63 overrides reach level 125: the LRO would be 126, so it and its PDF are ignored and "im" stays reversed.
    const name = `Jane ${'\u202E'.repeat(63)}ht\u202Dim\u202CS`;
    expect(bidiShown(name)).toBe('Jane Smith');
    // Below the limit the LRO keeps "im" in order.
    expect(bidiShown('Jane \u202Eht\u202Dim\u202CS')).toBe('Jane Simth');
  });

  it('ignores pushes past the deepest level and stays linear', () => {
    const deep = `${'\u202E'.repeat(200)}ab`;
    expect(bidiShown(deep)).toBe('ba');
    const long = `${'\u202Eab\u202C'.repeat(50_000)}`;
    expect(bidiShown(long)).toBe('ba'.repeat(50_000));
  });
});
