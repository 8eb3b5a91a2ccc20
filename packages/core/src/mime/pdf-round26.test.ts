import { describe, expect, it } from 'vitest';
import { type PdfObject, pdfObjects } from '../testing/pdf.js';
import { pdfText } from './pdf-text.js';

// Attacker round 26: ways to show a card number in a PDF that the reader did not read (PoCs checked against
// pdf.js, pdftotext and a render, in .scratch/attack-s26). Each case: the card is read; the texts are joined
// with white space collapsed, as the detector's normalisation does.

const CARD = '4111 1111 1111 1111';
const MB = 1024 * 1024;
const HELVETICA = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';

/** Catalog 1, pages 2, page 3 (content 4, font /F1 5), then `more` from object 6 on. */
function page(
  content: string,
  extra: { resources?: string; page?: string; catalog?: string; more?: PdfObject[] } = {},
) {
  return pdfObjects([
    { body: `<< /Type /Catalog /Pages 2 0 R ${extra.catalog ?? ''}>>` },
    { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
    {
      body: `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> ${extra.resources ?? ''}>> /Contents 4 0 R ${extra.page ?? ''}>>`,
    },
    { body: '<< >>', stream: Buffer.from(content, 'latin1') },
    { body: HELVETICA },
    ...(extra.more ?? []),
  ]);
}

const read = (pdf: Buffer) => {
  const r = pdfText(pdf, 10 * MB);
  expect(r.unread).toBeUndefined();
  return r.texts.map((t) => t.replace(/\s+/g, ' ')).join('\n');
};

describe('PDF reader: attacker round 26', () => {
  it('names an embedded file by /Unix, /Mac or /DOS when it has no /UF or /F', () => {
    for (const key of ['Unix', 'Mac', 'DOS']) {
      const pdf = page('', {
        catalog: '/Names << /EmbeddedFiles << /Names [(a) 6 0 R] >> >>',
        more: [
          { body: `<< /Type /Filespec /${key} (cards.pdf) /EF << /F 7 0 R >> >>` },
          { body: '<< /Type /EmbeddedFile >>', stream: Buffer.from('junk') },
        ],
      });
      expect(pdfText(pdf, MB).files.map((f) => f.name)).toEqual(['cards.pdf']);
    }
  });

  it('reads the group of a soft mask (ExtGState /SMask /G) a page fills through', () => {
    const pdf = page('q /GS1 gs 0 0 612 792 re f Q', {
      resources: '/ExtGState << /GS1 << /SMask << /S /Luminosity /G 6 0 R >> >> >>',
      more: [
        {
          body: '<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> >>',
          stream: Buffer.from(`BT /F1 24 Tf 72 700 Td (${CARD}) Tj ET`),
        },
      ],
    });
    expect(read(pdf)).toContain(CARD);
  });

  it('sweeps the resources of an annotation appearance (a tiling pattern it fills with)', () => {
    const pdf = page('', {
      page: '/Annots [6 0 R]',
      more: [
        { body: '<< /Type /Annot /Subtype /Stamp /Rect [0 0 300 100] /AP << /N 7 0 R >> >>' },
        {
          body: '<< /Type /XObject /Subtype /Form /BBox [0 0 300 100] /Resources << /Pattern << /P1 8 0 R >> >> >>',
          stream: Buffer.from('/Pattern cs /P1 scn 0 0 300 100 re f'),
        },
        {
          body: '<< /Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 300 100] /XStep 300 /YStep 100 /Resources << /Font << /F1 5 0 R >> >> >>',
          stream: Buffer.from(`BT /F1 12 Tf 5 50 Td (${CARD}) Tj ET`),
        },
      ],
    });
    expect(read(pdf)).toContain(CARD);
  });

  it('ends an inline image where pdf.js does (`\\x80EI`), and takes a stray ID for no image', () => {
    const after = `BT /F1 12 Tf 72 700 Td (${CARD}) Tj ET`;
    expect(read(page(`BI /W 1 /H 1 /BPC 8 /CS /G ID \x80EI\n${after}`))).toContain(CARD);
    expect(read(page(`BI /W 1 /H 1 /BPC 8 /CS /G ID 0EI\n${after}`))).toContain(CARD);
    expect(read(page(`1 0 0 1 0 0 cm ID\n${after}`))).toContain(CARD);
  });

  it('reads an inline /ActualText (what copy and pdftotext give), literal or UTF-16', () => {
    const utf16 = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(CARD, 'utf16le').swap16()]);
    for (const actual of [`(${CARD})`, `<${utf16.toString('hex')}>`]) {
      const pdf = page(`/Span << /ActualText ${actual} >> BDC BT /F1 12 Tf 72 700 Td (****) Tj ET EMC`);
      expect(read(pdf)).toContain(CARD);
    }
  });

  it('reads a string drawn right to left (negative Tc or widths) as shown', () => {
    const reversed = [...CARD].reverse().join('');
    expect(read(page(`BT /F1 12 Tf -14 Tc 300 700 Td (${reversed}) Tj ET`))).toContain(CARD);
    const backwards = page(`BT /F2 12 Tf 300 700 Td (${reversed}) Tj ET`, {
      resources: '/Font << /F1 5 0 R /F2 6 0 R >>',
      more: [
        {
          body: `<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 57 /Widths [${Array(26).fill(-600).join(' ')}] >>`,
        },
      ],
    });
    expect(read(backwards)).toContain(CARD);
  });

  it('lays the page and its annotations out together: a number split between them reads as one', () => {
    const widget = (n: number, x: number, text: string) => [
      {
        body: `<< /Type /Annot /Subtype /Widget /FT /Tx /T (f${n}) /Rect [${x} 690 ${x + 110} 730] /AP << /N ${n + 1} 0 R >> >>`,
      },
      {
        body: '<< /Type /XObject /Subtype /Form /BBox [0 0 110 40] /Resources << /Font << /F1 5 0 R >> >> >>',
        stream: Buffer.from(`BT /F1 24 Tf 2 10 Td (${text}) Tj ET`),
      },
    ];
    const pdf = page('BT /F1 10 Tf 72 750 Td (Form) Tj ET', {
      page: '/Annots [6 0 R 8 0 R]',
      more: [...widget(6, 72, '4111 1111'), ...widget(8, 182, '1111 1111')],
    });
    // Drawn touching, as pdftotext also reads them (the detector takes any grouping of the 16 digits).
    expect(read(pdf)).toMatch(/4111 1111 ?1111 1111/);
  });

  it('reads XFA as shown (character references decoded), packets together, and rich text (/RC)', () => {
    const charref = [...CARD].map((c) => `&#${c.charCodeAt(0)};`).join('');
    const xfa = (packets: string[]) =>
      page('', {
        catalog: `/AcroForm << /Fields [] /XFA [${packets.map((_, i) => `(p${i}) ${6 + i} 0 R`).join(' ')}] >>`,
        more: packets.map((p) => ({ body: '<< >>', stream: Buffer.from(p) })),
      });
    expect(read(xfa([`<template><draw><value><text>${charref}</text></value></draw></template>`]))).toContain(
      CARD,
    );
    expect(read(xfa(['<template><text>4111 1111 ', '1111 1111</text></template>']))).toContain(CARD);
    const rc = page('', {
      page: '/Annots [6 0 R]',
      more: [
        {
          body: `<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] /RC (<body><p>Card ${charref}</p></body>) >>`,
        },
      ],
    });
    expect(read(rc)).toContain(CARD);
  });

  it('reads a page the page tree does not reach (a linearized file’s first page, a deleted page)', () => {
    const pdf = page('BT /F1 12 Tf 72 700 Td (Hello world) Tj ET', {
      more: [
        { body: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 7 0 R >>' },
        { body: '<< >>', stream: Buffer.from(`BT /F1 12 Tf 72 700 Td (${CARD}) Tj ET`) },
      ],
    });
    // The orphan inherits its resources (the font) from its /Parent, as a viewer showing it would.
    const text = read(
      Buffer.from(
        pdf
          .toString('latin1')
          .replace(
            '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
            '<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /Font << /F1 5 0 R >> >> >>',
          ),
        'latin1',
      ),
    );
    expect(text).toContain('Hello world');
    expect(text).toContain(CARD);
  });
});

// A PDF written by hand: objects where the test puts them (copies of one number too), sections as it writes them.
class Writer {
  private readonly parts: Buffer[] = [];
  size = 0;
  readonly at: Record<string, number> = {};
  write(text: string | Buffer): this {
    const b = Buffer.isBuffer(text) ? text : Buffer.from(text, 'latin1');
    this.parts.push(b);
    this.size += b.length;
    return this;
  }
  obj(key: string, num: number, body: string, stream?: string, gen = 0): this {
    this.at[key] = this.size;
    if (stream === undefined) return this.write(`${num} ${gen} obj\n${body}\nendobj\n`);
    return this.write(
      `${num} ${gen} obj\n<< /Length ${stream.length} >>\nstream\n${stream}\nendstream\nendobj\n`,
    );
  }
  /** A cross-reference stream listing `rows` ([number, offset]), one byte of type, four of offset, one of gen. */
  xrefStream(key: string, num: number, rows: [number, number][], extra = ''): this {
    const data = Buffer.alloc(rows.length * 6);
    rows.forEach(([, offset], i) => {
      data[i * 6] = 1;
      data.writeUInt32BE(offset, i * 6 + 1);
    });
    const index = rows.map(([n]) => `${n} 1`).join(' ');
    this.at[key] = this.size;
    this.write(
      `${num} 0 obj\n<< /Type /XRef /Size 20 /W [1 4 1] /Index [${index}] ${extra} /Length ${data.length} >>\nstream\n`,
    );
    return this.write(data).write('\nendstream\nendobj\n');
  }
  get pdf(): Buffer {
    return Buffer.concat(this.parts);
  }
}

const row = (offset: number) => `${String(offset).padStart(10, '0')} 00000 n \n`;
const SHOW = (text: string) => `BT /F1 24 Tf 72 700 Td (${text}) Tj ET`;
const PAGE =
  '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>';

/** Objects 1-5 with two copies of the page content (4): the card first, a decoy last (the last definition). */
function twoCopies(head = '%PDF-1.7\n'): Writer {
  return new Writer()
    .write(head)
    .obj('1', 1, '<< /Type /Catalog /Pages 2 0 R >>')
    .obj('2', 2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>')
    .obj('3', 3, PAGE)
    .obj('card', 4, '', SHOW(CARD))
    .obj('5', 5, HELVETICA)
    .obj('decoy', 4, '', SHOW('Hello world'));
}

describe('PDF reader: attacker round 26, cross-references as viewers follow them', () => {
  it('keeps the newest sections of a chain whose /Prev or /XRefStm is broken (the card copy they name)', () => {
    for (const broken of ['/Prev 999999', '/Prev 0', '/XRefStm 20']) {
      const w = twoCopies();
      const table = w.size;
      w.write(
        `xref\n0 6\n0000000000 65535 f \n${row(w.at['1'] ?? 0)}${row(w.at['2'] ?? 0)}${row(w.at['3'] ?? 0)}${row(w.at.card ?? 0)}${row(w.at['5'] ?? 0)}`,
      );
      w.write(`trailer\n<< /Size 6 /Root 1 0 R ${broken} >>\nstartxref\n${table}\n%%EOF\n`);
      const text = read(w.pdf);
      expect(text, broken).toContain(CARD);
      expect(text, broken).toContain('Hello world');
    }
  });

  it('follows a hybrid file’s /XRefStm stream’s own /Prev (pdf.js does), where the page’s resources are', () => {
    const w = new Writer()
      .write('%PDF-1.7\n')
      .obj('1', 1, '<< /Type /Catalog /Pages 2 0 R >>')
      .obj('2', 2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>')
      .obj('3', 3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources 6 0 R /Contents 4 0 R >>')
      .obj('4', 4, '', 'q /X Do Q BT /F1 12 Tf 72 750 Td (Hello) Tj ET')
      .obj('5', 5, HELVETICA)
      .obj('6a', 6, '<< /Font << /F1 5 0 R >> /XObject << /X 7 0 R >> >>')
      .obj(
        '7',
        7,
        '<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> >>',
        SHOW(CARD),
      )
      .obj('6b', 6, '<< /Font << /F1 5 0 R >> >>');
    w.xrefStream('old', 8, [
      [6, w.at['6a'] ?? 0],
      [7, w.at['7'] ?? 0],
    ]);
    w.xrefStream('hidden', 9, [[5, w.at['5'] ?? 0]], `/Prev ${w.at.old}`);
    const table = w.size;
    w.write(
      `xref\n0 6\n0000000000 65535 f \n${row(w.at['1'] ?? 0)}${row(w.at['2'] ?? 0)}${row(w.at['3'] ?? 0)}${row(w.at['4'] ?? 0)}${row(w.at['5'] ?? 0)}`,
    );
    w.write(`trailer\n<< /Size 20 /Root 1 0 R /XRefStm ${w.at.hidden} >>\nstartxref\n${table}\n%%EOF\n`);
    expect(read(w.pdf)).toContain(CARD);
  });

  it('reads a linearized file from its first-page table too (pdf.js starts there), not only the last startxref', () => {
    const w = new Writer()
      .write('%PDF-1.7\n')
      .obj('lin', 10, '<< /Linearized 1 /L 1000 /O 3 /N 1 /T 100 /H [0 0] /E 0 >>');
    const firstTable = w.size;
    // Reserved for the first-page table, written once the offsets are known.
    const slot = 300;
    w.write(' '.repeat(slot));
    w.obj('1', 1, '<< /Type /Catalog /Pages 2 0 R >>')
      .obj('2', 2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>')
      .obj('3', 3, PAGE)
      .obj('card', 4, '', SHOW(CARD))
      .obj('5', 5, HELVETICA)
      .obj('decoy', 4, '', SHOW('Hello world'));
    const main = w.size;
    w.write(
      `xref\n0 6\n0000000000 65535 f \n${row(w.at['1'] ?? 0)}${row(w.at['2'] ?? 0)}${row(w.at['3'] ?? 0)}${row(w.at.decoy ?? 0)}${row(w.at['5'] ?? 0)}`,
    );
    w.write(`trailer\n<< /Size 11 /Root 1 0 R >>\nstartxref\n${main}\n%%EOF\n`);
    const first = `xref\n0 6\n0000000000 65535 f \n${row(w.at['1'] ?? 0)}${row(w.at['2'] ?? 0)}${row(w.at['3'] ?? 0)}${row(w.at.card ?? 0)}${row(w.at['5'] ?? 0)}trailer\n<< /Size 11 /Root 1 0 R /Prev ${main} >>\n`;
    const pdf = w.pdf;
    pdf.write(first.padEnd(slot, ' '), firstTable, 'latin1');
    expect(read(pdf)).toContain(CARD);
  });

  it('reads the copy pdf.js keeps when it rebuilds the table: the first copy’s generation wins', () => {
    for (const [first, last] of [
      [5, 0],
      [0, 1],
    ]) {
      const w = new Writer()
        .write('%PDF-1.7\n')
        .obj('1', 1, '<< /Type /Catalog /Pages 2 0 R >>')
        .obj('2', 2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>')
        .obj('3', 3, PAGE.replace('4 0 R', `4 ${first} R`))
        .obj('card', 4, '', SHOW(CARD), first)
        .obj('5', 5, HELVETICA)
        .obj('decoy', 4, '', SHOW('Hello world'), last)
        .write('trailer\n<< /Root 1 0 R /Size 6 >>\n%%EOF\n');
      expect(read(w.pdf), `generations ${first}, ${last}`).toContain(CARD);
    }
  });
});

describe('PDF reader: attacker round 26, a digit drawn where nobody sees it', () => {
  // `4111 1111 5 1111 1111` as drawn, where the 5 is not seen: the page is also read without it.
  for (const [how, content] of [
    [
      'clipped away',
      `BT /F1 24 Tf 72 700 Td (4111 1111 ) Tj ET q 0 0 10 10 re W n BT /F1 24 Tf 190 700 Td (5) Tj ET Q BT /F1 24 Tf 202 700 Td ( 1111 1111) Tj ET`,
    ],
    ['squashed flat (Tz 0)', 'BT /F1 24 Tf 72 700 Td (4111 1111 ) Tj 0 Tz (5) Tj 100 Tz ( 1111 1111) Tj ET'],
    [
      'too small to see',
      'BT /F1 24 Tf 72 700 Td (4111 1111 ) Tj /F1 0.01 Tf (5) Tj /F1 24 Tf ( 1111 1111) Tj ET',
    ],
    // Each digit drawn with a decoy after it in the same string, spaced 1000 points on: off the page.
    [
      'off the page',
      `BT /F1 24 Tf 1000 Tc ${[...'4111111111111111'].map((d, i) => `1 0 0 1 ${72 + i * 14 + Math.floor(i / 4) * 7} 700 Tm (${d}${(i * 7) % 10}) Tj`).join(' ')} ET`,
    ],
  ] as const) {
    it(`${how}: read without it`, () => {
      expect(read(page(content)).replace(/ +/g, ' ')).toMatch(/4111 ?1111 ?1111 ?1111/);
    });
  }

  it('reads a script a file runs when opened (a /JS stream), whose literals a viewer may show', () => {
    const pdf = page('', {
      catalog: '/OpenAction << /S /JavaScript /JS 6 0 R >>',
      more: [{ body: '<< >>', stream: Buffer.from(`app.alert("Card: ${CARD}");`) }],
    });
    expect(read(pdf)).toContain(CARD);
  });
});

describe('PDF reader: attacker round 27', () => {
  it('reads XFA and rich text with CDATA sections as their content', () => {
    const xfa = page('', {
      catalog: '/AcroForm << /Fields [] /XFA [(t) 6 0 R] >>',
      more: [
        {
          body: '<< >>',
          stream: Buffer.from('<template><text>4111 1111 <![CDATA[1111 1111]]></text></template>'),
        },
      ],
    });
    expect(read(xfa)).toContain(CARD);
  });

  it('lays a table’s rows apart: the end of one row and the start of the next are not one number', () => {
    // Invoice, date, account: `4906 3345` ends a row and `5387` starts the next (4906 3345 5387 2026 is Luhn-valid).
    const row = (y: number, cells: string[]) =>
      cells.map((c, i) => `BT /F1 10 Tf ${60 + i * 80} ${y} Td (${c}) Tj ET`).join(' ');
    const { texts } = pdfText(
      page(
        `${row(700, ['4254', '2026-06-16', '4906 3345'])} ${row(686, ['5387', '2026-01-15', '4613 2274'])}`,
      ),
      MB,
    );
    // Cells over 2 em apart and a table's rows are kept apart by more than the six separators the card finder
    // bridges (the raw text: `read` folds runs of spaces).
    expect(texts.join('\n')).toContain('4906 3345');
    expect(texts.join('\n')).not.toMatch(/4906 3345\s{0,6}5387/);
    // A card inside a row's cell is still one number.
    expect(read(page(row(700, ['4254', '2026-06-16', CARD])))).toContain(CARD);
  });
});

describe('PDF reader: attacker round 27, decoys a viewer does not show', () => {
  // `4111 1111 ` then a decoy `5` then `1111 1111`, as drawn: the page read without what is not seen is the card.
  const A = 'BT /F1 24 Tf 72 700 Td (4111 1111 ) Tj ET ';
  const B = ' BT /F1 24 Tf 190.8 700 Td (1111 1111) Tj ET ';
  const D = 'BT /F1 24 Tf 190.8 700 Td (5) Tj ET';
  const OCG = { body: '<< /Type /OCG /Name (x) >>' };
  const seen = (pdf: Buffer) => read(pdf).replace(/ +/g, ' ');
  const cases: [string, string, Parameters<typeof page>[1]?][] = [
    [
      'optional content that is off',
      `${A}/OC /oc1 BDC ${D} EMC${B}`,
      {
        resources: '/Properties << /oc1 6 0 R >>',
        catalog: '/OCProperties << /OCGs [6 0 R] /D << /OFF [6 0 R] >> >>',
        more: [OCG],
      },
    ],
    [
      'optional content off by /BaseState',
      `${A}/OC /oc1 BDC ${D} EMC${B}`,
      {
        resources: '/Properties << /oc1 6 0 R >>',
        catalog: '/OCProperties << /OCGs [6 0 R] /D << /BaseState /OFF >> >>',
        more: [OCG],
      },
    ],
    ['a clip path that is not a rectangle', `${A}q 0 0 m 1 0 l 1 1 l 0 1 l h W n ${D} Q${B}`],
    ['a clip of two rectangles', `${A}q 0 0 1 1 re 2 2 1 1 re W n ${D} Q${B}`],
    [
      'a form’s /BBox',
      `${A}q /Fm1 Do Q${B}`,
      {
        resources: '/XObject << /Fm1 6 0 R >>',
        more: [
          {
            body: '<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /Font << /F1 5 0 R >> >> >>',
            stream: Buffer.from(D),
          },
        ],
      },
    ],
    ['fill opacity 0', `${A}q /G0 gs ${D} Q${B}`, { resources: '/ExtGState << /G0 << /ca 0 >> >>' }],
    [
      'the /None separation',
      `${A}q /CS0 cs 1 scn ${D} Q${B}`,
      {
        resources:
          '/ColorSpace << /CS0 [/Separation /None /DeviceGray << /FunctionType 2 /Domain [0 1] /C0 [0] /C1 [1] /N 1 >>] >>',
      },
    ],
    ['stroked in white', `${A}q 1 G ${D.replace('BT', 'BT 1 Tr')} Q${B}`],
    ['squashed on one axis (Tm)', `${A}BT /F1 24 Tf 1 0 0 0.001 190.8 700 Tm (5) Tj ET${B}`],
    ['squashed on one axis (cm)', `${A}q 1 0 0 0.001 0 699.3 cm ${D.replace('700', '0')} Q${B}`],
    ['1 % wide (Tz 1)', `${A}BT /F1 24 Tf 1 Tz 190.8 700 Td (5) Tj 100 Tz ET${B}`],
    // A card wrapped over two lines, drawn end first, and a decoy line between them right of the crop box.
    [
      'outside the crop box',
      'BT /F1 24 Tf 72 672 Td (1111 1111) Tj ET BT /F1 24 Tf 700 686 Td (5) Tj ET BT /F1 24 Tf 72 700 Td (4111 1111) Tj ET',
      { page: '/MediaBox [0 0 800 792] /CropBox [0 0 612 792]' },
    ],
  ];
  for (const [how, content, extra] of cases)
    it(`${how}: read without the decoy`, () => {
      expect(seen(page(content, extra))).toMatch(/4111 1111 ?1111 1111/);
    });

  it('an annotation a viewer does not draw (hidden, no view, another state) is not laid out on the page', () => {
    // The page draws the card's end first: only the page as shown (where the annotation would sit) reads the card.
    const annotated = (annot: string, appearance: string) =>
      page(`${B}${A}`, {
        page: '/Annots [6 0 R]',
        more: [
          { body: `<< /Type /Annot /Subtype /Stamp /Rect [178 690 194 720] ${annot} /AP ${appearance} >>` },
          {
            body: '<< /Type /XObject /Subtype /Form /BBox [0 0 16 30] /Resources << /Font << /F1 5 0 R >> >> >>',
            stream: Buffer.from('BT /F1 24 Tf 2 10 Td (5) Tj ET'),
          },
          {
            body: '<< /Type /XObject /Subtype /Form /BBox [0 0 16 30] >>',
            stream: Buffer.from(''),
          },
        ],
      });
    for (const [annot, appearance] of [
      ['/F 2', '<< /N 7 0 R >>'],
      ['/F 32', '<< /N 7 0 R >>'],
      ['/F 36', '<< /N 7 0 R >>'],
      ['/AS /Off', '<< /N << /On 7 0 R /Off 8 0 R >> >>'],
    ])
      expect(seen(annotated(annot as string, appearance as string)), annot).toContain(CARD);
  });

  it('an annotation printed but not viewed (NoView and Print) is laid out on paper: a number it completes is read', () => {
    // Round 28's b3: the page shows "Card: 4111 1111", the annotation's appearance the rest, on the same line.
    const pdf = page('BT /F1 12 Tf 100 700 Td (Card: 4111 1111) Tj ET', {
      page: '/Annots [6 0 R]',
      more: [
        { body: '<< /Type /Annot /Subtype /FreeText /Rect [183 695 260 715] /F 36 /AP << /N 7 0 R >> >>' },
        {
          body: '<< /Type /XObject /Subtype /Form /BBox [0 0 77 20] /Resources << /Font << /F1 5 0 R >> >> >>',
          stream: Buffer.from('BT /F1 12 Tf 0 5 Td (1111 1111) Tj ET'),
        },
      ],
    });
    expect(read(pdf)).toContain(CARD);
  });

  it('an annotation on two pages (one /Annots array) is laid out on each', () => {
    const pdf = pdfObjects([
      { body: '<< /Type /Catalog /Pages 2 0 R >>' },
      { body: '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /Resources << /Font << /F1 6 0 R >> >> >>' },
      { body: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R /Annots 7 0 R >>' },
      { body: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 9 0 R /Annots 7 0 R >>' },
      { body: '<< >>', stream: Buffer.from('BT /F1 24 Tf 72 700 Td (Hello) Tj ET') },
      { body: HELVETICA },
      { body: '[8 0 R]' },
      {
        body: '<< /Type /Annot /Subtype /FreeText /Rect [190 690 300 720] /AP << /N 10 0 R >> >>',
      },
      { body: '<< >>', stream: Buffer.from('BT /F1 24 Tf 72 700 Td (4111 1111 ) Tj ET') },
      {
        body: '<< /Type /XObject /Subtype /Form /BBox [0 0 110 30] /Resources << /Font << /F1 6 0 R >> >> >>',
        stream: Buffer.from('BT /F1 24 Tf 0 10 Td (1111 1111) Tj ET'),
      },
    ]);
    expect(seen(pdf)).toMatch(/4111 1111 ?1111 1111/);
  });

  it('a Type3 font’s /FontMatrix scales its glyphs: 0.024 × 1000 is 24 pt, seen', () => {
    const t3 = `<< /Type /Font /Subtype /Type3 /FontBBox [0 -200 1000 1000] /FontMatrix [1 0 0 1 0 0] /CharProcs << /one 7 0 R /four 8 0 R /space 9 0 R >> /Encoding << /Differences [32 /space 49 /one 52 /four] >> /FirstChar 32 /LastChar 52 /Widths [278 ${Array(16).fill(0).join(' ')} 556 0 0 556] /Resources << /Font << /F1 5 0 R >> >> >>`;
    const proc = (d: string, w: number) => ({
      body: '<< >>',
      stream: Buffer.from(`${w} 0 d0 BT /F1 1000 Tf 0 0 Td (${d}) Tj ET`),
    });
    const pdf = page(
      `BT /T3 0.024 Tf 72 700 Td (4111 1111 ) Tj ET BT 3 Tr /F1 24 Tf 190.8 700 Td (5) Tj ET BT 0 Tr /T3 0.024 Tf 190.8 700 Td (1111 1111) Tj ET`,
      {
        resources: '/Font << /F1 5 0 R /T3 6 0 R >>',
        more: [{ body: t3 }, proc('1', 556), proc('4', 556), proc(' ', 278)],
      },
    );
    expect(seen(pdf)).toMatch(/4111 1111 ?1111 1111/);
  });
});

describe('PDF reader: attacker round 28', () => {
  it('reads a white card on a dark box with invisible decoys between its groups (white is also kept as seen)', () => {
    const pdf = page(
      '0 0 0 rg 60 680 300 40 re f 1 1 1 rg BT /F1 24 Tf 72 690 Td (4111 1111 ) Tj 3 Tr (5) Tj 0 Tr (1111 1111) Tj ET',
    );
    expect(read(pdf).replace(/ +/g, ' ')).toMatch(/4111 1111 ?1111 1111/);
  });

  it('reads a card written in four boxes or a comb field, its groups far apart on one line', () => {
    const boxes = [0, 1, 2, 3].map(
      (i) => `BT /F1 12 Tf ${72 + i * 90} 700 Td (${i === 0 ? '4111' : '1111'}) Tj ET`,
    );
    expect(read(page(boxes.join(' ')))).toContain(CARD);
    const comb = [...'4111111111111111'].map((d, i) => `BT /F1 12 Tf ${72 + i * 30} 700 Td (${d}) Tj ET`);
    expect(read(page(comb.join(' '))).replace(/ /g, '')).toContain('4111111111111111');
  });

  it('keeps an XFA form’s fields apart: four amounts are not one number', () => {
    const xml =
      '<xfa:datasets><xfa:data><form><Income>4100</Income><Deductions>1250</Deductions><Credits>2380</Credits><Tax>1000</Tax></form></xfa:data></xfa:datasets>';
    const { texts } = pdfText(
      page('', {
        catalog: '/AcroForm << /Fields [] /XFA [(datasets) 6 0 R] >>',
        more: [{ body: '<< >>', stream: Buffer.from(xml) }],
      }),
      MB,
    );
    const all = texts.join('\n');
    expect(all).toContain('4100');
    // More separators between two fields than the card finder bridges.
    expect(all).not.toMatch(/4100\s{0,6}1250/);
  });
});

// Vertical writing (/WMode 1), left after round 27: a font whose CMap writes down the column. Codes are two bytes,
// read through a ToUnicode map of 0x0020–0x0039 to themselves; glyphs one em tall (/DW2 [880 -1000] by default).
const V_FONT_OBJECTS = (encoding: string, cmapProgram?: string): PdfObject[] => [
  {
    body: `<< /Type /Font /Subtype /Type0 /BaseFont /V /Encoding ${encoding} /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>`,
  },
  {
    body: '<< /Type /Font /Subtype /CIDFontType2 /BaseFont /V /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>',
  },
  {
    body: '<< >>',
    stream: Buffer.from(
      '/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0020> <0039> <0020> endbfrange endcmap end end',
    ),
  },
  ...(cmapProgram === undefined ? [] : [{ body: '<< /Type /CMap >>', stream: Buffer.from(cmapProgram) }]),
];
const hex = (text: string) =>
  `<${[...text].map((c) => c.charCodeAt(0).toString(16).padStart(4, '0')).join('')}>`;

/** A page drawing `content` with /F1 a vertical font (object 5, its CID font 6 and ToUnicode 7, an embedded CMap 8). */
function verticalPage(content: string, encoding = '/Identity-V', cmapProgram?: string) {
  return pdfObjects([
    { body: '<< /Type /Catalog /Pages 2 0 R >>' },
    { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
    {
      body: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    },
    { body: '<< >>', stream: Buffer.from(content, 'latin1') },
    ...V_FONT_OBJECTS(encoding, cmapProgram),
  ]);
}

describe('PDF reader: vertical writing', () => {
  // The first half runs down from (300, 700) to (300, 592); a decoy is drawn where a horizontal run would have
  // ended (408, 700), a viewer showing it apart to the right; the second half goes on down the column.
  const decoyed = `BT /F1 12 Tf 300 700 Td ${hex('4111 1111')} Tj 108 0 Td ${hex('7')} Tj -108 -108 Td ${hex(' 1111 1111')} Tj ET`;

  it('advances an Identity-V font down the column: a decoy where a horizontal run would end is not glued on', () => {
    expect(read(verticalPage(decoyed))).toContain(CARD);
  });

  it('knows vertical writing from an embedded CMap: /WMode 1 in its dictionary or program, or a -V CMap it uses', () => {
    for (const program of [
      '/CIDInit /ProcSet findresource begin /WMode 1 def begincmap endcmap end',
      '/Identity-V usecmap begincmap endcmap',
    ])
      expect(read(verticalPage(decoyed, '8 0 R', program))).toContain(CARD);
    const inDictionary = pdfObjects([
      { body: '<< /Type /Catalog /Pages 2 0 R >>' },
      { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
      {
        body: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
      },
      { body: '<< >>', stream: Buffer.from(decoyed, 'latin1') },
      ...V_FONT_OBJECTS('8 0 R').slice(0, 3),
      { body: '<< /Type /CMap /WMode 1 >>', stream: Buffer.from('begincmap endcmap') },
    ]);
    expect(read(inDictionary)).toContain(CARD);
  });

  it('moves down by /W2 heights and by TJ adjustments, as a viewer places the glyphs', () => {
    const pageWith = (content: string, w2 = '') =>
      pdfObjects([
        { body: '<< /Type /Catalog /Pages 2 0 R >>' },
        { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
        {
          body: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
        },
        { body: '<< >>', stream: Buffer.from(content) },
        ...V_FONT_OBJECTS('/Identity-V').map((o, i) =>
          i === 1 ? { body: o.body.replace(/>>$/, `${w2} >>`) } : o,
        ),
      ]);
    // Code 0x31 half an em tall: '4111' is 1 + 3 × 0.5 em (30 pt), and the piece drawn there follows on.
    const w2 = pageWith(
      `BT /F1 12 Tf 300 700 Td ${hex('4111')} Tj 0 -30 Td ${hex('1111')} Tj ET`,
      '/W2 [49 49 -500 250 880]',
    );
    expect(read(w2)).toContain('41111111');
    // TJ numbers move down (positive) and up the column: a decoy drawn 2.5 em below, then back up to go on.
    const tj = pageWith(
      `BT /F1 12 Tf 300 700 Td [${hex('4111')} 2500 ${hex('7')} -3500 ${hex('1111')}] TJ ET`,
    );
    expect(read(tj)).toContain('41111111');
  });
});
