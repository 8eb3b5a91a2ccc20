import { describe, expect, it } from 'vitest';
import { hidesAsciiDigits, undecodableCharsets } from './charset-words.js';
import { partNaming } from './part-names.js';

describe('encoded words and RFC 2231 values in charsets that cannot be decoded', () => {
  it('names EBCDIC text in encoded words (Q and B) and extended values', () => {
    expect(undecodableCharsets('=?IBM037?Q?=A7=4B=A5=82=A2?=')).toEqual(['ibm037']);
    const b = Buffer.from([0xa7, 0x4b, 0xa5, 0x82, 0xa2]).toString('base64');
    expect(undecodableCharsets(`a =?cp1026*en?B?${b}?= b`)).toEqual(['cp1026']);
    expect(undecodableCharsets("attachment; filename*=ibm037''%A7%4B%A5%82%A2")).toEqual(['ibm037']);
    expect(undecodableCharsets("attachment; filename*0*=ibm500'en'%A7; filename*1=x")).toEqual(['ibm500']);
  });
  it('passes charsets it decodes, UTF-7, and unknown charsets holding only ASCII', () => {
    expect(undecodableCharsets('=?utf-8?Q?caf=C3=A9?= =?koi8-r?B?8dTP?= =?utf-7?Q?x+AC4-vbs?=')).toEqual([]);
    expect(undecodableCharsets("=?x-unknown?Q?Bob_Smith?= filename*=x-unknown''report.pdf")).toEqual([]);
    expect(undecodableCharsets('plain text, no words')).toEqual([]);
  });
  it('makes a part name in such a charset a problem of the part', () => {
    const naming = partNaming(['application/octet-stream; name="=?ibm037?Q?=A7=4B=A5=82=A2?="'], []);
    expect(naming.problems).toEqual(['Content-Type names a file in charset ibm037, which cannot be decoded']);
  });
});

describe('hidesAsciiDigits', () => {
  it('is true for EBCDIC code pages however they are labelled, false for ASCII-compatible and unknown labels', () => {
    for (const label of [
      'ibm037',
      'IBM037',
      'cp500',
      'ibm01140',
      'ebcdic-cp-us',
      'x-EBCDIC-KoreanExtended',
      'windows-20273',
      'csIBM273',
    ])
      expect(hidesAsciiDigits(label), label).toBe(true);
    for (const label of [
      'unknown-8bit',
      'x-user-defined',
      'default',
      'cp850',
      'ibm437',
      'x-windows-949',
      'iso-2022-kr',
      'ansi',
    ])
      expect(hidesAsciiDigits(label), label).toBe(false);
  });
});
