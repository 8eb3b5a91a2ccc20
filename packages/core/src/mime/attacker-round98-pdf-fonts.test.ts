import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { pdfObjects } from '../testing/pdf.js';
import { pdfText } from './pdf-text.js';

// Attacker round 98, A98-1 (pdf-fonts.ts): what a page shows of a font whose ToUnicode map disagrees with the
// glyphs its encoding draws. A simple font picks each glyph by its encoding's name for the code, and a Type0 font
// under a UCS-2 or UTF-16 CMap draws the code's own character: a digit, space or hyphen so drawn is read as drawn.
const MB = 1024 * 1024;

function page(font: string, content: string, cmap?: string): string[] {
  const pdf = pdfObjects([
    { body: '<< /Type /Catalog /Pages 2 0 R >>' },
    { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
    {
      body: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 6 0 R >>',
    },
    { body: font },
    cmap
      ? {
          body: '<< >>',
          stream: Buffer.from(
            `/CIDInit /ProcSet findresource begin begincmap\n${cmap}\nendcmap end`,
            'latin1',
          ),
        }
      : { body: 'null' },
    {
      body: '<< /Filter /FlateDecode >>',
      stream: deflateSync(Buffer.from(`BT /F1 12 Tf 72 720 Td ${content} Tj ET`, 'latin1')),
    },
  ]);
  return pdfText(pdf, MB).texts;
}
const ONE_BYTE = '1 begincodespacerange <00> <FF> endcodespacerange';
const TWO_BYTES = '1 begincodespacerange <0000> <FFFF> endcodespacerange';
const LETTERS = `${ONE_BYTE}\n1 beginbfrange <30> <39> <0061> endbfrange`;
const font = (rest: string) =>
  `<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica ${rest} /ToUnicode 5 0 R >>`;

describe('a ToUnicode map against the glyphs drawn', () => {
  it('reads the digits a standard encoding draws where the map names letters', () => {
    for (const encoding of ['/Encoding /WinAnsiEncoding', '/Encoding /MacRomanEncoding', ''])
      expect(page(font(encoding), '(Card 4111-1111)', LETTERS)).toEqual(['Card 4111-1111']);
  });

  it('reads the digit glyphs /Differences name, and the space and hyphen glyphs, over the map', () => {
    const differences = '/Encoding << /Differences [97 /four /one /space /hyphen] >>';
    const map = `${ONE_BYTE}\n1 beginbfrange <61> <64> <0078> endbfrange`;
    expect(page(font(differences), '(abbbcbbbbdb)', map)).toEqual(['4111 1111-1']);
  });

  it('keeps the map where the encoding names no digit (ligatures, letters, symbols)', () => {
    const differences = '/Encoding << /Differences [1 /fi /A] >>';
    const map = `${ONE_BYTE}\n3 beginbfchar <01> <00660069> <02> <0042> <33> <20AC> endbfchar`;
    expect(page(font(differences), '(\\001\\002)', map)).toEqual(['fiB']);
    // A digit the map gives where the glyph is a letter stays a digit (what a copy and paste gives).
    const digits = `${ONE_BYTE}\n1 beginbfchar <41> <0034> endbfchar`;
    expect(page(font('/Encoding /WinAnsiEncoding'), '(AAA)', digits)).toEqual(['444']);
  });

  it('keeps the map of an embedded font without an encoding, of a Type3 font and of a symbolic one', () => {
    const embedded =
      '<< /Type /Font /Subtype /TrueType /BaseFont /AAAAAA+Calibri /FontDescriptor << /FontFile2 7 0 R >> /ToUnicode 5 0 R >>';
    expect(page(embedded, '(41)', LETTERS)).toEqual(['eb']);
    const type3 =
      '<< /Type /Font /Subtype /Type3 /FontMatrix [0.001 0 0 0.001 0 0] /Encoding << /Differences [52 /four] >> /ToUnicode 5 0 R >>';
    expect(page(type3, '(4)', LETTERS)).toEqual(['e']);
    // ZapfDingbats without an /Encoding draws its own symbols for these codes (`4` is a check mark).
    const dingbats = '<< /Type /Font /Subtype /Type1 /BaseFont /ZapfDingbats /ToUnicode 5 0 R >>';
    const check = `${ONE_BYTE}\n1 beginbfchar <34> <2714> endbfchar`;
    expect(page(dingbats, '(4444)', check)).toEqual(['\u2714\u2714\u2714\u2714']);
  });

  it('reads a simple font one byte a code whatever the map’s codespace', () => {
    const map = `${TWO_BYTES}\n1 beginbfchar <3431> <0078> endbfchar`;
    expect(page(font('/Encoding /WinAnsiEncoding'), '(4141)', map)).toEqual(['4141']);
  });

  it('reads a UCS-2 CMap’s codes two bytes each, a digit over the map', () => {
    const type0 =
      '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [<< /Subtype /CIDFontType0 >>] /ToUnicode 5 0 R >>';
    const hex = Buffer.from('41 2-', 'utf16le').swap16().toString('hex');
    const map = `${ONE_BYTE}\n1 beginbfchar <00> <0078> endbfchar`;
    expect(page(type0, `<${hex}>`, map)).toEqual(['41 2-']);
    const letters = `${TWO_BYTES}\n2 beginbfchar <0034> <0061> <4E2D> <4E2D> endbfchar`;
    const chinese = Buffer.from('中4', 'utf16le').swap16().toString('hex');
    expect(page(type0, `<${chinese}>`, letters)).toEqual(['中4']);
  });
});
