import { describe, expect, it } from 'vitest';
import { spliceDisclaimers } from './spliced-disclaimer.js';

const BAD = Buffer.from([0xff]);
const html = Buffer.concat([
  Buffer.from('<html><body><!-- '),
  BAD,
  Buffer.from(' --><p>Hi</p></body></html>'),
]);

describe('spliceDisclaimers', () => {
  it('puts an HTML banner after the body tag as ASCII, the other bytes kept as they are', () => {
    const out = spliceDisclaimers(
      html,
      'utf-8',
      'text/html',
      [{ text: 'Vom Außen', position: 'top' }],
      '\r\n',
    );
    const s = out?.toString('latin1') ?? '';
    // Its layout pinned (round 95), the guard's sheet first (round 100).
    expect(s).toMatch(
      /^<html style="[^"]*"><style><!--@layer\{[^<]*--><\/style><html><body style="[^"]*"><div/,
    );
    expect(s).toContain('Vom Au&#xdf;en');
    expect(out?.subarray(out.length - html.length + 12).equals(html.subarray(12))).toBe(true);
    expect(out?.every((b, i) => b < 0x80 || (i >= s.indexOf('<!-- ') && b === 0xff))).toBe(true);
  });

  it('puts a plain-text disclaimer in the part charset, trimming only ASCII white space at the end', () => {
    const body = Buffer.from([0x48, 0x69, 0xc2, 0xa0, 0x0d, 0x0a, 0x81]);
    const out = spliceDisclaimers(body, 'windows-1252', 'text/plain', [{ text: 'Extérieur' }], '\r\n');
    expect(out).toEqual(Buffer.concat([body, Buffer.from('\r\n\r\nExt\xe9rieur\r\n', 'latin1')]));
    const utf8 = Buffer.from([0x41, 0xc2, 0xa0]);
    expect(spliceDisclaimers(utf8, 'utf-8', 'text/plain', [{ text: 'x' }], '\n')).toEqual(
      Buffer.concat([utf8, Buffer.from('\n\nx\n')]),
    );
  });

  it('is not done where ASCII bytes may read as other characters, or the charset cannot hold the text', () => {
    for (const charset of ['iso-2022-jp', 'utf-7', 'hz-gb-2312', 'utf-16le', 'x-unknown'])
      expect(spliceDisclaimers(html, charset, 'text/html', [{ text: 'x' }], '\n')).toBeUndefined();
    expect(spliceDisclaimers(BAD, 'us-ascii', 'text/plain', [{ text: 'Außen' }], '\n')).toBeUndefined();
    expect(spliceDisclaimers(BAD, 'utf-8', 'text/enriched', [{ text: 'x' }], '\n')).toBeUndefined();
  });

  it('adds a disclaimer the body already holds only when dedupe is none', () => {
    const body = Buffer.concat([Buffer.from('x\r\nNote\r\n'), BAD]);
    expect(spliceDisclaimers(body, 'utf-8', 'text/plain', [{ text: 'Note' }], '\r\n')).toEqual(body);
    expect(
      spliceDisclaimers(body, 'utf-8', 'text/plain', [{ text: 'Note', dedupe: 'none' }], '\r\n')?.length,
    ).toBe(body.length + 10);
  });

  it('puts a disclaimer in the encoding a UTF-16 or UTF-32 mark names, whatever the label', () => {
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('Hi', 'utf16le').swap16()]);
    const bottom = spliceDisclaimers(be, 'utf-8', 'text/plain', [{ text: 'Né' }], '\r\n');
    expect(bottom?.subarray(2).swap16().toString('utf16le')).toBe('Hi\r\n\r\nNé\r\n');
    // A body cut mid code unit takes nothing at its end, which would shift what follows.
    const odd = Buffer.concat([be, Buffer.from([0x41])]);
    expect(spliceDisclaimers(odd, 'utf-8', 'text/plain', [{ text: 'x' }], '\n')).toBeUndefined();
    const le32 = Buffer.from([0xff, 0xfe, 0, 0, 0x48, 0, 0, 0]);
    const top = spliceDisclaimers(le32, 'windows-1252', 'text/plain', [{ text: 'A', position: 'top' }], '\n');
    expect(top).toEqual(
      Buffer.from([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0, 10, 0, 0, 0, 10, 0, 0, 0, 0x48, 0, 0, 0]),
    );
  });
});
