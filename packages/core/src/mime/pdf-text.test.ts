import { deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { mimeAttached, mimeMessage, mimeMultipart, mimePart } from '../testing/mime.js';
import { pdfFile, pdfObjects } from '../testing/pdf.js';
import { tnefStream } from '../testing/tnef.js';
import { zipFile } from '../testing/zip.js';
import { binaryReading } from './binary-text.js';
import { MAX_PDF_PAGES, pdfText } from './pdf-text.js';
import { readVisibleText, type VisibleTextReport } from './visible-text.js';

const CARD = '4111 1111 1111 1111';
const MB = 1024 * 1024;

describe('pdfText', () => {
  it('reads Identity-H glyph ids through the ToUnicode CMap, compressed, kerned, or in an object stream', () => {
    for (const options of [{}, { kerned: true }, { objectStream: true }, { compress: false }]) {
      const read = pdfText(pdfFile([`Card: ${CARD}\nExpires 12/29`, 'page two'], options), 10 * MB);
      expect(read).toMatchObject({ texts: [`Card: ${CARD}\nExpires 12/29`, 'page two'], encrypted: false });
      expect(read.unread).toBeUndefined();
    }
  });

  it('reads a WinAnsi font’s literal strings, form field values, annotations’ contents, every string', () => {
    const pdf = pdfFile(['Résumé (draft)'], { font: 'winansi', field: 'IBAN DE89', note: 'call Bob' });
    // The field's name (`card`) is a string of the file too.
    expect(pdfText(pdf, MB).texts).toEqual(['Résumé (draft)', 'call Bob', 'IBAN DE89', 'card']);
  });

  it('says a PDF that asks for a password is encrypted, and reads one that opens without', () => {
    expect(pdfText(pdfFile([CARD], { userPassword: 'secret' }), MB)).toMatchObject({
      encrypted: true,
      texts: [],
    });
    // Only an owner password (printing or copying restricted): viewers open it, so the DLP reads it, strings too.
    for (const font of ['identity', 'winansi'] as const) {
      const open = pdfText(
        pdfFile([CARD], { userPassword: '', font, field: 'IBAN DE89', note: 'call Bob' }),
        MB,
      );
      expect(open).toMatchObject({ encrypted: false, texts: [CARD, 'call Bob', 'IBAN DE89', 'card'] });
      expect(open.unread).toBeUndefined();
    }
  });

  // One page of Helvetica (no /Widths: an average glyph, 0.5 em) showing `content`.
  const helveticaPage = (content: string) =>
    pdfObjects([
      { body: '<< /Type /Catalog /Pages 2 0 R >>' },
      { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
      { body: '<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>' },
      { body: '<< >>', stream: Buffer.from(content, 'latin1') },
      { body: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>' },
    ]);
  const glyphByGlyph = (text: string, step: number) =>
    [...text].map((c) => `(${c}) Tj ${step} 0 Td`).join(' ');

  it('lays text out by where it is drawn: a gap or a step back is a space, a glyph that follows on joins', () => {
    const cases: [string, string][] = [
      // Table cells: a number in each, drawn apart, not glued into one run of digits.
      ['BT /F1 12 Tf 72 700 Td (2026) Tj 100 0 Td (4111111111111111) Tj ET', '2026 4111111111111111'],
      // Words each placed by Td, as many generators write them.
      ['BT /F1 12 Tf 72 700 Td (This) Tj 30 0 Td (is) Tj 15 0 Td (it) Tj ET', 'This is it'],
      // A word drawn glyph by glyph, each at the pen's place: one word.
      [`BT /F1 12 Tf 72 700 Td ${glyphByGlyph('4111111111111111', 6)} ET`, '4111111111111111'],
      // A digit drawn far off, then the number glyph by glyph: not one 17-digit run.
      [
        `BT /F1 12 Tf 10 700 Td (9) Tj 200 0 Td ${glyphByGlyph('4111111111111111', 6)} ET`,
        '9 4111111111111111',
      ],
      // The same digit drawn after the number but placed before it (a step back): read as drawn, then as shown.
      [
        `BT /F1 12 Tf 200 700 Td ${glyphByGlyph('4111111111111111', 6)} -300 0 Td (9) Tj ET`,
        '4111111111111111 9\n9 4111111111111111',
      ],
      // The end of a number drawn first, its start drawn after it, before it on the line: as shown, one number.
      [
        'BT /F1 12 Tf 150 700 Td (1111 1111) Tj -90 0 Td (Card 4111 1111 ) Tj ET',
        '1111 1111 Card 4111 1111 \nCard 4111 1111 1111 1111',
      ],
      // A digit drawn invisible (Tr 3), in another colour or font, beside a number: not glued to it (and the
      // invisible one is also left out, as a reader sees the page).
      [
        'BT /F1 12 Tf 72 700 Td 3 Tr (9) Tj 0 Tr (4111 1111 1111 1111) Tj ET',
        '9 4111 1111 1111 1111\n4111 1111 1111 1111',
      ],
      [
        'BT /F1 12 Tf 72 700 Td 1 1 1 rg (9) Tj 0 0 0 rg (4111 1111 1111 1111) Tj ET',
        '9 4111 1111 1111 1111\n4111 1111 1111 1111',
      ],
      // A line left for a footer and come back to: also read as shown, one line.
      [
        'BT /F1 12 Tf 72 700 Td (Card 4111 1111 ) Tj 0 -650 Td (Page 1) Tj 90 650 Td (1111 1111) Tj ET',
        'Card 4111 1111 \nPage 1\n1111 1111\nCard 4111 1111 1111 1111\nPage 1',
      ],
      // Moved by the transformation (cm) or the rise (Ts) back onto the line it shows on.
      [
        'BT /F1 12 Tf 72 700 Td (Card 4111 1111 ) Tj ET q 1 0 0 1 0 400 cm BT /F1 12 Tf 162 300 Td (1111 1111) Tj ET Q',
        'Card 4111 1111 1111 1111',
      ],
      [
        'BT /F1 12 Tf 72 700 Td (Card 4111 1111 ) Tj 90 -300 Td 300 Ts (1111 1111) Tj ET',
        'Card 4111 1111 1111 1111',
      ],
      // Kerning inside TJ: small adjustments join, a word-sized one is a space.
      ['BT /F1 12 Tf 72 700 Td [(Ca) -20 (rd) -400 (on) -20 (file)] TJ ET', 'Card onfile'],
      // Absolute placement by Tm, and rotated text (up the page) placed glyph by glyph.
      [
        'BT /F1 1 Tf 12 0 0 12 72 700 Tm (Card) Tj 12 0 0 12 120 700 Tm (4111) Tj 12 0 0 12 72 680 Tm (next) Tj ET',
        'Card 4111\nnext',
      ],
      ['BT /F1 12 Tf 0 1 -1 0 300 100 Tm (41) Tj 0 1 -1 0 300 112 Tm (11) Tj ET', '4111'],
    ];
    // Readings of a page are kept apart by a row break (seven spaces, a line feed): compared as line feeds.
    const lines = (t: string) => t.replaceAll('       \n', '\n');
    expect(cases.map(([content]) => pdfText(helveticaPage(content), MB).texts.map(lines))).toEqual(
      cases.map(([, text]) => [text]),
    );
  });

  it('reads the glyph names of the standard Latin encodings; a name that says no character leaves it unread', () => {
    const differences = (names: string) =>
      pdfObjects([
        { body: '<< /Type /Catalog /Pages 2 0 R >>' },
        { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
        { body: '<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>' },
        { body: '<< >>', stream: Buffer.from('BT /F1 12 Tf 72 700 Td (ABCDEFGHIJKL) Tj ET', 'latin1') },
        { body: `<< /Type /Font /Subtype /Type1 /BaseFont /X /Encoding << /Differences [65 ${names}] >> >>` },
      ]);
    const known =
      '/four /one /one.tf /eacute /Udieresis /scaron /fi /quoteright /endash /bullet /zerooldstyle /uni0034';
    const read = pdfText(differences(known), MB);
    expect(read.texts).toEqual(['411éÜšfi’–•04']);
    expect(read.unread).toBeUndefined();
    expect(pdfText(differences('/four /g17'), MB).unread).toMatch(/glyphs whose characters/);
  });

  it('reads what annotations are drawn as: a stamp’s appearance, each state of a widget’s', () => {
    const annotated = (ap: string) =>
      pdfObjects([
        { body: '<< /Type /Catalog /Pages 2 0 R >>' },
        { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
        {
          body: `<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Annots [<< /Subtype /Stamp /Rect [0 0 200 20] /AP ${ap} >>] >>`,
        },
        {
          body: '<< /Type /XObject /Subtype /Form /BBox [0 0 200 20] >>',
          stream: Buffer.from(`BT /F1 12 Tf 2 5 Td (${CARD}) Tj ET`),
        },
        { body: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>' },
      ]);
    // Read alone, and drawn on the page where its /Rect puts it (the same text once).
    expect(pdfText(annotated('<< /N 4 0 R >>'), MB).texts).toEqual([CARD]);
    // Each state read: alone (the same text once), and on the page, one over the other.
    expect(pdfText(annotated('<< /N << /On 4 0 R /Off 4 0 R >> >>'), MB).texts).toEqual([
      `${CARD} ${CARD}`,
      CARD,
    ]);
  });

  it('bounds work that re-reads the same bytes: shared kids and notes, object-stream entries at one offset, trailers', () => {
    // 3,000 page-tree nodes sharing one /Kids array (of themselves) and pages sharing one /Annots array.
    const nodes = 3000;
    const kids = `[${Array.from({ length: nodes }, (_, i) => `${i + 4} 0 R`).join(' ')}]`;
    const shared = pdfObjects([
      { body: '<< /Type /Catalog /Pages 2 0 R >>' },
      { body: '<< /Type /Pages /Kids 3 0 R >>' },
      { body: kids },
      ...Array.from({ length: nodes }, () => ({ body: '<< /Type /Pages /Kids 3 0 R /Annots 3 0 R >>' })),
    ]);
    expect(pdfText(shared, MB)).toMatchObject({ texts: [] });
    // Object-stream entries that all point into one 200,000-element array: lexed once, not once an entry.
    const array = Buffer.from(`[${' 0'.repeat(200_000)} ]`);
    const header = Array.from({ length: 2000 }, (_, i) => `${i + 10} 0`).join(' ');
    const packed = pdfObjects([
      { body: '<< /Type /Catalog /Pages 2 0 R >>' },
      { body: '<< /Type /Pages /Kids [] /Count 0 >>' },
      {
        body: `<< /Type /ObjStm /N 2000 /First ${header.length + 1} /Filter /FlateDecode >>`,
        stream: deflateSync(Buffer.concat([Buffer.from(`${header}\n`), array])),
      },
    ]);
    const read = pdfText(packed, 10 * MB);
    expect(read.unread).toBeUndefined();
    // `trailer(` repeated before an unclosed string: each trailer is lexed within 64 KiB, and all of it is counted.
    const trailers = Buffer.concat([pdfFile(['hello']), Buffer.from('trailer('.repeat(20_000))]);
    expect(pdfText(trailers, MB).unread ?? 'read').toMatch(/read|values lexed over/);
    // An ASCII85 stream of `z` (four zero bytes each): stopped at the budget while decoding.
    const zeros = page('<< /Filter /ASCII85Decode >>', Buffer.alloc(4 * MB, 'z'));
    expect(pdfText(zeros, MB).unread).toMatch(/ASCII85 data decodes past 1048576 bytes/);
  });

  it('bounds the pieces of text a PDF places apart', () => {
    // 600,000 glyphs each stepping back (a piece of its own) on one page.
    const steps = Buffer.from('[(1)1000]TJ '.repeat(600_000));
    const content = deflateSync(Buffer.concat([Buffer.from('BT /F1 12 Tf '), steps, Buffer.from('ET')]));
    const many = pdfObjects([
      { body: '<< /Type /Catalog /Pages 2 0 R >>' },
      { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
      { body: '<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>' },
      { body: '<< /Filter /FlateDecode >>', stream: content },
      { body: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>' },
    ]);
    expect(pdfText(many, 10 * MB).unread).toBe('more than 500000 pieces of text placed apart');
  });

  it('knows encryption a trailer hides: an untyped cross-reference stream, an encryption dictionary no trailer names', () => {
    const open = pdfFile([CARD], { userPassword: '', objectStream: true }).toString('latin1');
    // The cross-reference stream without its /Type: still the trailer, so the file is decrypted and read.
    const untyped = Buffer.from(open.replace('/Type /XRef ', ''), 'latin1');
    expect(pdfText(untyped, MB).texts).toEqual([CARD]);
    // The trailer's /Encrypt dropped: the security handler's dictionary is still in the file, so it is unread.
    const orphan = Buffer.from(open.replace(/\/Encrypt \d+ 0 R/, ''), 'latin1');
    expect(pdfText(orphan, MB).unread).toBe('an encryption dictionary that no trailer names');
  });

  it('reads every string a viewer may show: bookmarks, the title bar, page labels, list options, scripts', () => {
    const strings = pdfObjects(
      [
        {
          body: `<< /Type /Catalog /Pages 2 0 R /Outlines << /First << /Title (Card ${CARD}) >> >> /PageLabels << /Nums [0 << /P (4111 1111) >>] >> /OpenAction << /S /JavaScript /JS (app.alert\\('5555 5555 5555 4444'\\)) >> >>`,
        },
        { body: '<< /Type /Pages /Kids [] /Count 0 >>' },
        { body: '<< /Title (Q3 statement) >>' },
      ],
      { trailer: '/Info 3 0 R ' },
    );
    expect(pdfText(strings, MB).texts).toEqual([
      `Card ${CARD}`,
      '4111 1111',
      "app.alert('5555 5555 5555 4444')",
      'Q3 statement',
    ]);
  });

  it('reads what the cross-reference chain names, as viewers do, and the last definition of each object too', () => {
    const card = helveticaPage(`BT /F1 12 Tf 72 700 Td (Card ${CARD}) Tj ET`);
    const decoy = (number: string) =>
      Buffer.from(
        `${number} obj\n<< /Length 35 >>\nstream\nBT /F1 12 Tf 72 700 Td (Nothing) Tj ET\nendstream\nendobj\n`,
      );
    // A copy of the page's content after %%EOF (viewers never look there), or with another generation.
    for (const copy of [decoy('4 0'), decoy('4 1')]) {
      const texts = pdfText(Buffer.concat([card, copy]), MB).texts;
      expect(texts).toContain(`Card ${CARD}`);
    }
    // An incremental update that replaces the content (a new section, /Prev): chain and scan agree on the update.
    const update = Buffer.concat([card, decoy('4 0')]);
    const at = card.length;
    const prev = card.toString('latin1').lastIndexOf('xref');
    const section = `xref\n4 1\n${String(at).padStart(10, '0')} 00000 n \ntrailer\n<< /Size 6 /Root 1 0 R /Prev ${prev} >>\nstartxref\n${update.length}\n%%EOF\n`;
    const updated = pdfText(Buffer.concat([update, Buffer.from(section)]), MB).texts;
    expect(updated).toEqual(['Nothing']);
  });

  it('reads text a page’s resources can draw: a tiling pattern’s cell, a Type3 glyph procedure, an XFA form', () => {
    const drawn = (resources: string, extra: { body: string; stream?: Buffer }[], catalog = '') =>
      pdfObjects([
        { body: `<< /Type /Catalog /Pages 2 0 R ${catalog}>>` },
        { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
        { body: `<< /Type /Page /Parent 2 0 R /Resources << ${resources} >> >>` },
        { body: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>' },
        ...extra,
      ]);
    const cell = {
      body: '<< /PatternType 1 /Resources << /Font << /F1 4 0 R >> >> >>',
      stream: Buffer.from(`BT /F1 9 Tf (${CARD}) Tj ET`),
    };
    expect(pdfText(drawn('/Pattern << /P1 5 0 R >>', [cell]), MB).texts).toEqual([CARD]);
    const glyph = {
      body: '<< /FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << /space 6 0 R >> /Subtype /Type3 /Resources << /Font << /F1 4 0 R >> >> >>',
    };
    const proc = { body: '<< >>', stream: Buffer.from(`BT /F1 9 Tf (${CARD}) Tj ET`) };
    expect(pdfText(drawn('/Font << /T3 5 0 R >>', [glyph, proc]), MB).texts).toEqual([CARD]);
    const xfa = { body: '<< >>', stream: Buffer.from(`<field><value>${CARD}</value></field>`) };
    expect(
      pdfText(drawn('', [xfa], '/AcroForm << /Fields [] /XFA [(template) 5 0 R] >> '), MB).texts.join(''),
    ).toContain(CARD);
  });

  it('parses as viewers do what round 25 bent: stray keys, `6 0obj`, a decoy /Root or /Encrypt, a decoy first piece', () => {
    const content = `BT /F1 12 Tf 72 700 Td (Card ${CARD}) Tj ET`;
    // A token where a key should be: skipped, not shifting every later key onto the wrong value.
    const stray = pdfObjects([
      { body: '<< /Type /Catalog /Pages 2 0 R >>' },
      { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
      { body: '<< /Type /Page 0 /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>' },
      { body: '<< >>', stream: Buffer.from(content) },
      { body: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>' },
    ]);
    expect(pdfText(stray, MB).texts).toContain(`Card ${CARD}`);
    // An object header without a space before `obj`, or with a comment inside, is still an object.
    const page = helveticaPage(content);
    for (const header of ['4 0obj', '4 0%note\nobj'])
      expect(
        pdfText(Buffer.from(page.toString('latin1').replace('4 0 obj', header), 'latin1'), MB).texts,
      ).toContain(`Card ${CARD}`);
    // A form the file does not hold: what it draws is not known.
    const missing = helveticaPage('/X9 Do')
      .toString('latin1')
      .replace('/Font << /F1 5 0 R >>', '/Font << /F1 5 0 R >> /XObject << /X9 99 0 R >>');
    expect(pdfText(Buffer.from(missing, 'latin1'), MB).unread).toBe(
      'a page draws object 99, which is not in the file',
    );
    // A decoy trailer after %%EOF naming an empty catalog: the chain's /Root is read too.
    const decoyRoot = Buffer.concat([
      page,
      Buffer.from(
        '9 0 obj\n<< /Type /Catalog /Pages 10 0 R >>\nendobj\n10 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 9 0 R >>\n',
      ),
    ]);
    expect(pdfText(decoyRoot, MB).texts).toContain(`Card ${CARD}`);
    // A decoy `trailer << /Encrypt … >>` in a comment or a string is no trailer.
    const decoyEncrypt = Buffer.from(
      page.toString('latin1').replace('%PDF-1.7', '%PDF-1.7\n% trailer << /Encrypt 7 0 R >>'),
      'latin1',
    );
    expect(pdfText(decoyEncrypt, MB)).toMatchObject({ encrypted: false, texts: [`Card ${CARD}`] });
    // A zero-scale decoy drawn first does not set the frame the page is read in as shown.
    const reversed = helveticaPage(
      'BT /F1 12 Tf 0 0 0 0 20 20 Tm (.) Tj 12 0 0 12 162 700 Tm /F1 1 Tf (1111) Tj 12 0 0 12 132 700 Tm (1111) Tj 12 0 0 12 102 700 Tm (1111) Tj 12 0 0 12 72 700 Tm (4111) Tj ET',
    );
    expect(pdfText(reversed, MB).texts.join('\n')).toContain('4111 1111 1111 1111');
  });

  it('reads glyph 0 of a CID font (.notdef, a box for a character the fonts lack) as U+FFFD, not unknown', () => {
    const plain = pdfFile(['Card'], { font: 'identity', compress: false }).toString('latin1');
    // The content's glyph string (the ToUnicode map names <0003> first, alone).
    expect(plain).toContain('<00030004');
    const read = pdfText(Buffer.from(plain.replace('<00030004', '<00000004'), 'latin1'), MB);
    expect(read.unread).toBeUndefined();
    expect(read.texts).toEqual(['\ufffdard']);
  });

  it('reads a page with no text (a scan) as read, with nothing in it', () => {
    const scan = pdfObjects([
      { body: '<< /Type /Catalog /Pages 2 0 R >>' },
      { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
      { body: '<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>' },
      { body: '<< >>', stream: Buffer.from('q 612 0 0 792 0 0 cm /Im1 Do Q') },
    ]);
    const read = pdfText(scan, MB);
    expect(read).toMatchObject({ texts: [], encrypted: false, files: [] });
    expect(read.unread).toBeUndefined();
  });

  it('refuses what it cannot decide: damaged, no catalog, glyphs with no character, an unknown filter', () => {
    expect(pdfText(Buffer.from('%PDF-1.7\ngarbage'), MB).unread).toMatch(/no document catalog/);
    const noMap = pdfFile([CARD]).toString('latin1').replace('/ToUnicode 4 0 R', '');
    expect(pdfText(Buffer.from(noMap, 'latin1'), MB).unread).toMatch(/19 glyphs whose characters/);
    const damaged = page('<< /Filter /FlateDecode >>', Buffer.from('not deflate data at all'));
    expect(pdfText(damaged, MB).unread).toMatch(/stream 4 cannot be inflated/);
    expect(pdfText(page('<< /Filter /JBIG2Decode >>', Buffer.from('x')), MB).unread).toMatch(
      /JBIG2Decode is not read/,
    );
  });

  it('ends a Flate bomb at the budget', () => {
    const bomb = page('<< /Filter /FlateDecode >>', deflateSync(Buffer.alloc(64 * MB)));
    const read = pdfText(bomb, 10 * MB);
    expect(read.unread).toMatch(/stream 4 inflates past 10485760 decoded bytes/);
    // Work, not time: nothing past the budget was decoded.
    expect(read.bytes).toBeLessThanOrEqual(10 * MB);
  });

  it('ends self-referencing objects and cyclic page trees with a defined outcome', () => {
    const selfRef = pdfObjects([{ body: '<< /Type /Catalog /Pages 2 0 R >>' }, { body: '2 0 R' }]);
    expect(pdfText(selfRef, MB).unread).toMatch(/references chained more than 32 deep/);
    const cycle = pdfObjects([
      { body: '<< /Type /Catalog /Pages 2 0 R >>' },
      { body: '<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>' },
      { body: `<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /XObject << /X 5 0 R >> >> >>` },
      { body: '<< >>', stream: Buffer.from(`BT (${CARD}) Tj ET /X Do`) },
      {
        body: '<< /Subtype /Form /Resources << /XObject << /X 5 0 R >> >> >>',
        stream: Buffer.from('/X Do (form) Tj'),
      },
    ]);
    // The page draws the form once; the sweep of its resources reads the form once more, on its own.
    expect(pdfText(cycle, MB).texts).toEqual([`${CARD}form`, 'form']);
  });

  it('ends a 100,000-page tree: shared kids read once, distinct pages past the bound unread', () => {
    // Five levels of ten kids, all the same node: 100,000 pages as a viewer counts them, from 7 objects.
    const levels = Array.from({ length: 5 }, (_, i) => ({
      body: `<< /Type /Pages /Kids [${`${i + 4} 0 R `.repeat(10)}] /Count ${10 ** (5 - i)} >>`,
    }));
    const shared = pdfObjects([
      { body: '<< /Type /Catalog /Pages 2 0 R >>' },
      { body: '<< /Type /Pages /Kids [3 0 R] /Count 100000 >>' },
      ...levels,
      { body: '<< /Type /Page /Contents 9 0 R >>' },
      { body: '<< >>', stream: Buffer.from(`BT (${CARD}) Tj ET`) },
    ]);
    expect(pdfText(shared, MB).texts).toEqual([CARD]);
    const flat = pdfObjects([
      { body: '<< /Type /Catalog /Pages 2 0 R >>' },
      {
        body: `<< /Type /Pages /Kids [${Array.from({ length: 100_000 }, (_, i) => `${i + 3} 0 R`).join(' ')}] >>`,
      },
      ...Array.from({ length: 100_000 }, () => ({ body: '<< /Type /Page >>' })),
    ]);
    expect(pdfText(flat, 20 * MB).unread).toBe(`more than ${MAX_PDF_PAGES} pages`);
  });
});

describe('readVisibleText: PDFs wherever they are carried', () => {
  const pdf = pdfFile([`Card: ${CARD}`]);
  const attach = (name: string, file: Buffer, type = 'application/pdf') =>
    mimeMessage(
      mimeMultipart('b', [
        mimePart(['Content-Type: text/plain'], 'hello'),
        mimePart(
          [
            `Content-Type: ${type}; name="${name}"`,
            `Content-Disposition: attachment; filename="${name}"`,
            'Content-Transfer-Encoding: base64',
          ],
          file.toString('base64'),
        ),
      ]),
    );
  const read = async (message: string) => {
    const bodies: string[] = [];
    const labels: string[] = [];
    const report: VisibleTextReport = await readVisibleText(Buffer.from(message), (text, place) => {
      if (place.kind === 'body') {
        bodies.push(text);
        labels.push(place.label);
      }
      return undefined;
    });
    return { bodies, labels, report };
  };

  it('a PDF that starts as another file, or whose header a viewer finds late, is read as a PDF or refused', async () => {
    // An OLE signature before the PDF: read as OLE strings and, since a viewer opens the PDF, as a PDF too.
    const ole = Buffer.concat([Buffer.from('d0cf11e0a1b11ae10a', 'hex'), pdf]);
    const asOle = await read(attach('statement.pdf', ole));
    expect(asOle.bodies.join('\n')).toContain(`Card: ${CARD}`);
    // Named or typed PDF, with the header past 1024 bytes: not skipped as binary, unread.
    const late = Buffer.concat([Buffer.alloc(1100, 0x01), pdf]);
    for (const [name, type] of [
      ['statement.pdf', 'application/octet-stream'],
      ['statement', 'application/pdf'],
    ]) {
      const { report } = await read(attach(name as string, late, type));
      expect(report.unread.join('\n')).toMatch(/no %PDF- header/);
    }
    // All ASCII (hex-encoded streams) after 1,100 bytes of prose: text by its bytes, a PDF by its name.
    const prose = Buffer.concat([
      Buffer.from('Lorem ipsum. '.repeat(85)),
      pdfFile([CARD], { compress: false }),
    ]);
    expect(
      (await read(attach('statement.pdf', prose, 'application/octet-stream'))).report.unread.join('\n'),
    ).toMatch(/no %PDF- header/);
    // A text file named .pdf with no header (mikel-mail's test.pdf is `blah blah blah`) is read as the text it is.
    const blah = await read(attach('test.pdf', Buffer.from('blah blah blah'), 'application/pdf'));
    expect(blah.report.unread).toEqual([]);
    expect(blah.bodies).toContain('blah blah blah');
    // The same inside a zip, named .pdf.
    const zipped = await read(
      attach('docs.zip', zipFile([{ name: 'statement.pdf', data: late }]), 'application/zip'),
    );
    expect(zipped.report.unread.join('\n')).toMatch(/no %PDF- header/);
  });

  it('reads the files a PDF embeds (its attachments pane, a file-attachment note) as attached files', async () => {
    const embedding = pdfObjects([
      {
        body: '<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(cards.txt) 4 0 R] >> >> >>',
      },
      {
        body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      },
      { body: '<< /Type /Page /Parent 2 0 R /Annots [<< /Subtype /FileAttachment /FS 6 0 R >>] >>' },
      { body: '<< /Type /Filespec /F (cards.txt) /EF << /F 5 0 R >> >>' },
      { body: '<< /Type /EmbeddedFile /Filter /FlateDecode >>', stream: deflateSync(`card ${CARD}`) },
      { body: '<< /Type /Filespec /UF (more.csv) /EF << /F 7 0 R >> >>' },
      {
        body: '<< /Type /EmbeddedFile >>',
        stream: Buffer.from('name,iban\nBob,DE89 3704 0044 0532 0130 00'),
      },
    ]);
    const { bodies, labels } = await read(attach('report.pdf', embedding));
    expect(bodies).toContain(`card ${CARD}`);
    expect(bodies).toContain('name,iban\nBob,DE89 3704 0044 0532 0130 00');
    expect(labels.join('\n')).toMatch(/cards\.txt/);
  });

  it('reads an embedded file as the cross-reference chain names it, beside a decoy copy after %%EOF', () => {
    const embedding = pdfObjects([
      {
        body: '<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(cards.txt) 3 0 R] >> >> >>',
      },
      { body: '<< /Type /Pages /Kids [] /Count 0 >>' },
      { body: '<< /Type /Filespec /F (cards.txt) /EF << /F 4 0 R >> >>' },
      { body: '<< /Type /EmbeddedFile >>', stream: Buffer.from(`card ${CARD}`) },
    ]);
    const decoy = Buffer.from(
      '4 0 obj\n<< /Type /EmbeddedFile /Length 12 >>\nstream\nnothing here\nendstream\nendobj\n',
    );
    const files = pdfText(Buffer.concat([embedding, decoy]), MB).files.map((f) => f.bytes.toString());
    expect(files).toEqual(['nothing here', `card ${CARD}`]);
  });

  it('a PDF part: its text is read (not skipped), labelled with its name', async () => {
    expect(binaryReading(pdf.subarray(0, 4096))).toBe('pdf');
    const { bodies, labels, report } = await read(attach('cards.pdf', pdf));
    expect(bodies).toContain(`Card: ${CARD}`);
    expect(labels).toContain('application/pdf "cards.pdf"');
    expect(report).toMatchObject({ unread: [], skipped: [], encrypted: [] });
  });

  it('a PDF in a zip, a gzip, a winmail.dat and an attached message is read', async () => {
    const inZip = await read(
      attach('all.zip', zipFile([{ name: 'cards.pdf', data: pdf }]), 'application/zip'),
    );
    expect(inZip.bodies).toContain(`Card: ${CARD}`);
    const inGzip = await read(attach('cards.pdf.gz', gzipSync(pdf), 'application/gzip'));
    expect(inGzip.bodies).toContain(`Card: ${CARD}`);
    const tnef = tnefStream([{ title: 'CARDS.PDF', longName: 'cards.pdf', data: pdf }]);
    const inTnef = await read(attach('winmail.dat', tnef, 'application/ms-tnef'));
    expect(inTnef.bodies).toContain(`Card: ${CARD}`);
    const inner = mimeMessage(
      mimeMultipart('c', [
        mimePart(
          ['Content-Type: application/pdf; name="c.pdf"', 'Content-Transfer-Encoding: base64'],
          pdf.toString('base64'),
        ),
      ]),
    );
    const attached = await read(mimeMessage(mimeMultipart('b', [mimeAttached(inner)])));
    expect(attached.bodies).toContain(`Card: ${CARD}`);
  });

  it('an encrypted PDF is encrypted; a damaged one is unread with why, wherever it is', async () => {
    const locked = await read(attach('locked.pdf', pdfFile([CARD], { userPassword: 'x' })));
    expect(locked.report.encrypted).toEqual(['application/pdf "locked.pdf" (encrypted PDF)']);
    expect(locked.report.unread).toEqual([]);
    const lockedInZip = await read(
      attach(
        'a.zip',
        zipFile([{ name: 'l.pdf', data: pdfFile([CARD], { userPassword: 'x' }) }]),
        'application/zip',
      ),
    );
    expect(lockedInZip.report.encrypted).toEqual(['application/zip "a.zip" l.pdf (encrypted PDF)']);
    const broken = await read(attach('broken.pdf', Buffer.from('%PDF-1.7\n\xff\xfe broken', 'latin1')));
    expect(broken.report.unread).toEqual([
      'application/pdf "broken.pdf": PDF not read (no document catalog)',
    ]);
    const brokenInZip = await read(
      attach('a.zip', zipFile([{ name: 'b.pdf', data: Buffer.from('%PDF-1.4\n\0') }])),
    );
    expect(brokenInZip.report.unread[0]).toMatch(/b\.pdf: no document catalog/);
  });

  it('bounds a PDF by the largest part: decoded bytes past maxPartBytes are unread', async () => {
    const big = pdfFile(['x'.repeat(200_000)], { font: 'winansi' });
    const report = await readVisibleText(Buffer.from(attach('big.pdf', big)), () => undefined, {
      maxPartBytes: 100_000,
    });
    expect(report.unread).toEqual([
      'application/pdf "big.pdf": PDF not read (stream 7 inflates past 100000 decoded bytes)',
    ]);
  });
});

function page(streamDict: string, stream: Buffer): Buffer {
  return pdfObjects([
    { body: '<< /Type /Catalog /Pages 2 0 R >>' },
    { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
    { body: '<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>' },
    { body: streamDict, stream },
  ]);
}
