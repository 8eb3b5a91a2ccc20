import { seededRandom } from '@wmflow/local';
import libmime from 'libmime';
import { describe, expect, it } from 'vitest';
import { partNaming } from './part-names.js';

// The same cases on every run: the project's seeded generator, as a pick below `n`.
function generator(seed: number): (n: number) => number {
  const random = seededRandom(seed);
  return (n) => Math.floor(random() * n);
}

describe('partNaming skips the parse of headers that cannot name a file', () => {
  it('relies on libmime: a header value without "*" (no RFC 2231 parameter) always parses', () => {
    // Everything a hostile header can hold but "*": quotes, escapes, comments, encoded words, control and
    // non-ASCII characters, percent escapes and charset quotes.
    const pieces = [
      '"',
      '\\',
      '(',
      ')',
      ';',
      '=',
      ' ',
      '\t',
      "'",
      '%',
      '%FF',
      '=?',
      '?=',
      '?Q?',
      '?B?',
      'utf-8',
      'x',
      'charset',
      'boundary',
      'format',
      '\u0000',
      '\u00e9',
      '\u{1F600}',
      '\uFFFD',
      '\r\n ',
      'name',
    ];
    const next = generator(15);
    let parsed = 0;
    for (let i = 0; i < 5000; i++) {
      let value = 'text/plain';
      const length = 1 + next(20);
      for (let j = 0; j < length; j++) value += pieces[next(pieces.length)];
      expect(() => libmime.parseHeaderValue(value)).not.toThrow();
      parsed++;
    }
    expect(parsed).toBe(5000);
  });

  it('skips only headers libmime reads no name from: its lower-cased parameter names match /name/i', () => {
    // libmime lower-cases parameter names; only two non-ASCII characters lower-case to ASCII letters, and
    // neither to a letter run of "name" or "filename", so no other spelling reaches `name` or `filename`.
    const folding: string[] = [];
    for (let cp = 0x80; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const lower = String.fromCodePoint(cp).toLowerCase();
      if (/[a-z]/.test(lower)) folding.push(lower);
    }
    expect(folding).toEqual(['i\u0307', 'k']);
    // Names in disguise: full-width, long s, Kelvin sign, dotted capital I, encoded words, escapes.
    const disguised = [
      'ＮＡＭＥ',
      'ſ',
      '\u212a',
      '\u0130',
      '=?utf-8?Q?n=61me?=',
      '=?utf-8?B?bmFtZQ==?=',
      'n\\ame',
    ];
    const pieces = [...disguised, 'nam', 'e', 'file', ';', '=', '"', ' ', '(', ')', "'", '%6E', 'x', 'utf-8'];
    const next = generator(31);
    let checked = 0;
    for (let i = 0; i < 2000; i++) {
      let value = 'application/octet-stream';
      for (let j = 1 + next(12); j > 0; j--) value += pieces[next(pieces.length)];
      if (/name/i.test(value)) continue;
      const params = libmime.parseHeaderValue(value).params;
      expect(
        Object.keys(params).filter((k) => k === 'name' || k === 'filename'),
        value,
      ).toEqual([]);
      expect(partNaming([value], [value]), value).toEqual({ names: [], problems: [] });
      checked++;
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('still finds every name a header spells, and nothing in one that spells none', () => {
    expect(partNaming(['text/plain; charset=utf-8; format=flowed'], ['inline'])).toEqual({
      names: [],
      problems: [],
    });
    expect(
      partNaming(['application/octet-stream; name="a.exe"'], ["attachment; filename*=utf-8''b%2Eexe"]).names,
    ).toEqual(expect.arrayContaining(['a.exe', 'b.exe']));
    expect(partNaming(['application/octet-stream NAME="c.vbs"'], []).names).toContain('c.vbs');
    // Two Content-Types that differ are a problem even when neither names a file.
    expect(partNaming(['text/plain', 'text/html'], []).problems).toEqual([
      '2 different Content-Type headers',
    ]);
  });
});
