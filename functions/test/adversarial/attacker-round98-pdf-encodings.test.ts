import { deflateSync } from 'node:zlib';
import { pdfFile, pdfObjects } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 98, A98-1: a simple PDF font (Type1, TrueType, MMType1) picks each glyph by the name its encoding
// gives the code (/WinAnsiEncoding, /StandardEncoding, /MacRomanEncoding, or /Differences over them): a viewer draws
// Helvetica's `four` for the byte 0x34 whatever the font's ToUnicode map says. The DLP took the ToUnicode map alone,
// so a map sending the digits' codes to letters (`<34> <0078>`), to nothing or to spaces hid a card that Acrobat,
// pdf.js, Preview and Chrome show on the page (only a copy and paste gives the letters). Where the encoding names a
// digit, the digit is now read too.
const kit = attackerKit(useLocalStack());
const PDF = 'application/pdf';

/** A one-page PDF whose font F1 is `font` (its dictionary; `/ToUnicode 5 0 R` points at `cmap`) showing `content`. */
function page(font: string, content: string, cmap?: string, ownSpace = false): Buffer {
  const lines = cmap
    ? [
        '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
        '/CMapName /Lying def /CMapType 2 def',
        ...(ownSpace ? [] : ['1 begincodespacerange <00> <FF> endcodespacerange']),
        cmap,
        'endcmap CMapName currentdict /CMap defineresource pop end end',
      ].join('\n')
    : '';
  return pdfObjects([
    { body: '<< /Type /Catalog /Pages 2 0 R >>' },
    { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
    {
      body: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 6 0 R >>',
    },
    { body: font },
    cmap ? { body: '<< /Filter /FlateDecode >>', stream: deflateSync(lines) } : { body: 'null' },
    {
      body: '<< /Filter /FlateDecode >>',
      stream: deflateSync(Buffer.from(`BT /F1 12 Tf 72 720 Td ${content} Tj ET`, 'latin1')),
    },
  ]);
}
const HELVETICA =
  '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode 5 0 R >>';
// Each digit's code to a letter: 0 → a … 9 → j.
const DIGITS_TO_LETTERS = '1 beginbfrange <30> <39> <0061> endbfrange';
const send = (pdf: Buffer) => kit.outbound(outboundFile('statement.pdf', pdf, PDF));

describe('A98-1: a simple font whose ToUnicode map hides the digits its encoding draws', () => {
  it('bounces WinAnsi digits the map sends to letters', async () => {
    expect(await send(page(HELVETICA, '(Card: 4111 1111 1111 1111)', DIGITS_TO_LETTERS))).toBe('BOUNCE');
  });
  it('bounces the same as a hex string', async () => {
    const hex = Buffer.from('4111 1111 1111 1111', 'latin1').toString('hex');
    expect(await send(page(HELVETICA, `<${hex}>`, DIGITS_TO_LETTERS))).toBe('BOUNCE');
  });
  it('bounces digits the map sends one by one to other digits (a number that is no card)', async () => {
    // 4→5, 1→2: the map reads 5222 2222 2222 2222, not a card; the page shows 4111 1111 1111 1111.
    const map = '2 beginbfchar <34> <0035> <31> <0032> endbfchar';
    expect(await send(page(HELVETICA, '(4111 1111 1111 1111)', map))).toBe('BOUNCE');
  });
  it('bounces digits the map sends to zero-width spaces', async () => {
    const map = '1 beginbfrange <30> <39> <200B> endbfrange';
    expect(await send(page(HELVETICA, '(4111 1111 1111 1111)', map))).toBe('BOUNCE');
  });
  it('bounces spaces the map sends to letters, gluing the groups to words', async () => {
    const map = '1 beginbfchar <20> <0078> endbfchar';
    expect(await send(page(HELVETICA, '(4111 1111 1111 1111)', map))).toBe('BOUNCE');
  });
  it('bounces a map whose two-byte codespace reads a simple font two bytes a code', async () => {
    // Simple fonts' codes are single bytes: the viewer draws 4, 1, 1, 1…; the map read `41` `11` as codes of letters.
    const map = [
      '1 begincodespacerange <0000> <FFFF> endcodespacerange',
      '3 beginbfchar <3431> <0078> <3131> <0079> <2020> <0020> endbfchar',
    ].join('\n');
    expect(await send(page(HELVETICA, '(4111  1111  1111  1111)', map, true))).toBe('BOUNCE');
  });
  it('bounces letters whose /Differences name digit glyphs, the map keeping the letters', async () => {
    const font =
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [97 /four /one] >> /ToUnicode 5 0 R >>';
    const map = '1 beginbfrange <61> <62> <0061> endbfrange';
    expect(await send(page(font, '(abbb bbbb bbbb bbbb)', map))).toBe('BOUNCE');
  });
  it('bounces a TrueType font with a standard encoding and a lying map', async () => {
    const font =
      '<< /Type /Font /Subtype /TrueType /BaseFont /Arial /Encoding /MacRomanEncoding /ToUnicode 5 0 R >>';
    expect(await send(page(font, '(Card 3782 822463 10005)', DIGITS_TO_LETTERS))).toBe('BOUNCE');
  });
  it('bounces a font with no /Encoding (its built-in StandardEncoding) and a lying map', async () => {
    const font = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 5 0 R >>';
    expect(await send(page(font, '(5555 5555 5555 4444)', DIGITS_TO_LETTERS))).toBe('BOUNCE');
  });
  it('bounces a CID font under a predefined UCS-2 CMap whose map sends the digits to letters', async () => {
    // /UniGB-UCS2-H draws the character of each two-byte code (U+0034 is `4`), from the system's font.
    const font =
      '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> >>] /ToUnicode 5 0 R >>';
    const map = [
      '1 begincodespacerange <0000> <FFFF> endcodespacerange',
      '1 beginbfrange <0030> <0039> <0061> endbfrange',
    ].join('\n');
    const hex = Buffer.from('4111 1111 1111 1111', 'utf16le').swap16().toString('hex');
    expect(await send(page(font, `<${hex}>`, map, true))).toBe('BOUNCE');
  });
  it('bounces the same map with a one-byte codespace, misreading the two-byte codes', async () => {
    const font =
      '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light >>] /ToUnicode 5 0 R >>';
    const map = '1 beginbfchar <00> <0078> endbfchar';
    const hex = Buffer.from('4111 1111 1111 1111', 'utf16le').swap16().toString('hex');
    expect(await send(page(font, `<${hex}>`, map))).toBe('BOUNCE');
  });
});

describe('A98-1 controls: PDFs whose maps agree with their encodings', () => {
  it('delivers an invoice whose map agrees (order number, phone, IBAN-free totals)', async () => {
    const map = '1 beginbfrange <20> <7E> <0020> endbfrange';
    const text = '(Invoice 2026-00417  Order 88120344  Tel +1 415 555 0100  Total 1,234.56)';
    expect(await send(page(HELVETICA, text, map))).toBe('DEFAULT');
  });
  it('delivers a page whose map turns ligature codes into letters (no digits drawn)', async () => {
    const font =
      '<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding << /Differences [1 /fi /fl] >> /ToUnicode 5 0 R >>';
    const map = '2 beginbfchar <01> <00660069> <02> <0066006C> endbfchar';
    expect(await send(page(font, '(\\001nal \\002ow, tracking 1Z999AA10123456784)', map))).toBe('DEFAULT');
  });
  it('delivers a statement with a masked card', async () => {
    expect(
      await send(pdfFile(['Card ending **** **** **** 1111, ref 2026-12-07T06:55:44Z'], { font: 'winansi' })),
    ).toBe('DEFAULT');
  });
});
