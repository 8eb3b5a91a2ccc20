import { deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { pdfObjects } from '../testing/pdf.js';
import { readXrefChain, type XrefChain, type XrefEntry } from './pdf-xref.js';

const read = (pdf: Buffer) => readXrefChain(pdf, (data) => inflateSync(data));
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const row = (offset: number, gen = 0, type = 'n', eol = ' \n') =>
  `${pad(offset, 10)} ${pad(gen, 5)} ${type}${eol}`;

/** Writes a PDF piece by piece, remembering where each named piece starts. */
class Writer {
  private readonly chunks: Buffer[] = [];
  size = 0;
  private readonly marks = new Map<string, number>();

  constructor(prefix = '') {
    this.add(`${prefix}%PDF-1.7\n`);
  }

  add(...parts: (string | Buffer)[]): this {
    for (const part of parts) {
      const b = typeof part === 'string' ? Buffer.from(part, 'latin1') : part;
      this.chunks.push(b);
      this.size += b.length;
    }
    return this;
  }

  mark(name: string): this {
    this.marks.set(name, this.size);
    return this;
  }

  obj(name: string, header: string, body: string): this {
    return this.mark(name).add(`${header} obj\n${body}\nendobj\n`);
  }

  at(name: string): number {
    const at = this.marks.get(name);
    if (at === undefined) throw new Error(`no mark ${name}`);
    return at;
  }

  done(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Objects 1 (catalog), 2 (pages), 3 (a string), a table and trailer (with `trailer` extra entries). */
function original(w = new Writer(), trailer = ''): Writer {
  w.obj('1', '1 0', '<< /Type /Catalog /Pages 2 0 R >>');
  w.obj('2', '2 0', '<< /Type /Pages /Kids [] /Count 0 >>');
  w.obj('3', '3 0', '(original)');
  w.mark('xref').add('xref\n0 4\n', row(0, 65535, 'f'), row(w.at('1')), row(w.at('2')), row(w.at('3')));
  w.mark('trailer').add(`trailer\n<< /Size 4 /Root 1 0 R ${trailer}>>\nstartxref\n${w.at('xref')}\n%%EOF\n`);
  return w;
}

const entry = (chain: XrefChain, num: number): XrefEntry | undefined => chain.entries.get(num);
const offset = (at: number, gen = 0): XrefEntry => ({ kind: 'offset', offset: at, gen });

describe('readXrefChain', () => {
  it('reads a classic table and points at its trailer', () => {
    const w = original();
    const chain = read(w.done());
    expect(chain.problem).toBeUndefined();
    expect(entry(chain, 0)).toEqual({ kind: 'free' });
    for (const n of [1, 2, 3]) expect(entry(chain, n)).toEqual(offset(w.at(String(n))));
    expect(chain.sections).toEqual([w.at('xref')]);
    expect(chain.trailers).toEqual([w.at('trailer') + 'trailer\n'.length]);
  });

  it("reads the test writer's table and its cross-reference stream with an object stream", () => {
    const objects = [
      { body: '<< /Type /Catalog /Pages 2 0 R >>' },
      { body: '<< /Type /Pages /Kids [] /Count 0 >>' },
    ];
    const classic = pdfObjects(objects);
    const table = read(classic);
    expect(table.problem).toBeUndefined();
    for (const n of [1, 2])
      expect(classic.toString('latin1', (table.entries.get(n) as { offset: number }).offset)).toMatch(
        new RegExp(`^${n} 0 obj`),
      );

    const packed = pdfObjects([...objects, { body: '(three)' }], { inObjectStream: [1, 3] });
    const chain = read(packed);
    expect(chain.problem).toBeUndefined();
    expect(entry(chain, 1)).toEqual({ kind: 'compressed', stream: 4, index: 0 });
    expect(entry(chain, 3)).toEqual({ kind: 'compressed', stream: 4, index: 1 });
    for (const n of [2, 4, 5])
      expect(packed.toString('latin1', (chain.entries.get(n) as { offset: number }).offset)).toMatch(
        new RegExp(`^${n} 0 obj`),
      );
    expect(packed.toString('latin1', chain.trailers[0], (chain.trailers[0] ?? 0) + 14)).toBe(
      '<< /Type /XRef',
    );
  });

  it('lets an incremental update win for the objects it lists, the older section for the rest', () => {
    const w = original();
    w.obj('3new', '3 0', '(updated)');
    w.mark('xref2').add('xref\n0 1\n', row(0, 65535, 'f'), '3 1\n', row(w.at('3new')));
    w.mark('trailer2').add(`trailer\n<< /Size 4 /Root 1 0 R /Prev ${w.at('xref')} >>\n`);
    w.add(`startxref\n${w.at('xref2')}\n%%EOF\n`);
    const chain = read(w.done());
    expect(chain.problem).toBeUndefined();
    expect(entry(chain, 3)).toEqual(offset(w.at('3new')));
    expect(entry(chain, 2)).toEqual(offset(w.at('2')));
    expect(chain.sections).toEqual([w.at('xref2'), w.at('xref')]);
    expect(chain.trailers).toEqual([w.at('trailer2') + 8, w.at('trailer') + 8]);
  });

  it('ignores a copy after %%EOF, a copy the table does not list, and another generation', () => {
    const w = new Writer();
    w.obj('1', '1 0', '<< /Type /Catalog /Pages 2 0 R >>');
    w.obj('2', '2 0', '<< /Type /Pages /Kids [] /Count 0 >>');
    w.obj('3', '3 0', '(shown)');
    w.obj('3hidden', '3 0', '(never shown)');
    w.obj('4', '4 0', '(shown)');
    w.obj('4gen1', '4 1', '(never shown)');
    w.mark('xref').add('xref\n0 5\n', row(0, 65535, 'f'), row(w.at('1')), row(w.at('2')), row(w.at('3')));
    w.add(row(w.at('4')), `trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${w.at('xref')}\n%%EOF\n`);
    w.obj('2after', '2 0', '<< /Type /Pages /Kids [] /Count 0 /Benign true >>');
    const chain = read(w.done());
    expect(chain.problem).toBeUndefined();
    expect(entry(chain, 2)).toEqual(offset(w.at('2')));
    expect(entry(chain, 3)).toEqual(offset(w.at('3')));
    expect(entry(chain, 4)).toEqual(offset(w.at('4'), 0));
  });

  it('reads a cross-reference stream without /Type, with /Predictor 12 and type-2 entries', () => {
    const w = new Writer();
    w.obj('1', '1 0', '<< /Type /Catalog /Pages 2 0 R >>');
    w.obj('2', '2 0', '<< /Type /Pages /Kids [] /Count 0 >>');
    const stm = deflateSync(Buffer.from('3 0 (packed)', 'latin1'));
    w.mark('4').add(
      `4 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${stm.length} >>\nstream\n`,
    );
    w.add(stm, '\nendstream\nendobj\n');
    w.mark('5');
    const rows = [
      [0, 0, 0, 255],
      [1, w.at('1') >> 8, w.at('1') & 0xff, 0],
      [1, w.at('2') >> 8, w.at('2') & 0xff, 0],
      [2, 0, 4, 0],
      [1, w.at('4') >> 8, w.at('4') & 0xff, 0],
      [1, w.at('5') >> 8, w.at('5') & 0xff, 0],
    ];
    // PNG Up: each row the difference from the one above, after a filter-type byte of 2.
    const encoded = rows.flatMap((r, i) => [2, ...r.map((b, k) => (b - (rows[i - 1]?.[k] ?? 0)) & 0xff)]);
    const data = deflateSync(Buffer.from(encoded));
    w.add(
      `5 0 obj\n<< /Size 6 /W [1 2 1] /Root 1 0 R /Filter /FlateDecode /DecodeParms << /Columns 4 /Predictor 12 >> /Length ${data.length} >>\nstream\r\n`,
    );
    w.add(data, `\nendstream\nendobj\nstartxref\n${w.at('5')}\n%%EOF\n`);
    const chain = read(w.done());
    expect(chain.problem).toBeUndefined();
    expect(entry(chain, 0)).toEqual({ kind: 'free' });
    expect(entry(chain, 1)).toEqual(offset(w.at('1')));
    expect(entry(chain, 2)).toEqual(offset(w.at('2')));
    expect(entry(chain, 3)).toEqual({ kind: 'compressed', stream: 4, index: 0 });
    expect(entry(chain, 4)).toEqual(offset(w.at('4')));
    expect(chain.sections).toEqual([w.at('5')]);
    expect(chain.trailers).toEqual([w.at('5') + '5 0 obj\n'.length]);
  });

  it('defaults a zero-width type field to 1 and reads /Index ranges', () => {
    const w = new Writer();
    w.obj('7', '7 0', '(seven)');
    w.obj('8', '8 0', '(eight)');
    const data = Buffer.alloc(8);
    data.writeUInt32BE(w.at('7'), 0);
    data.writeUInt32BE(w.at('8'), 4);
    w.mark('x').add(`9 0 obj\n<< /Type /XRef /W [0 4 0] /Index [7 2] /Size 10 /Length 8 >>\nstream\n`, data);
    w.add(`\nendstream\nendobj\nstartxref\n${w.at('x')}\n%%EOF\n`);
    const chain = read(w.done());
    expect(chain.problem).toBeUndefined();
    expect([...chain.entries]).toEqual([
      [7, offset(w.at('7'))],
      [8, offset(w.at('8'))],
    ]);
  });

  it("fills a hybrid table's free and unlisted objects from its /XRefStm, never its objects in use", () => {
    const w = new Writer();
    w.obj('1', '1 0', '<< /Type /Catalog /Pages 2 0 R >>');
    w.obj('2', '2 0', '<< /Type /Pages /Kids [] /Count 0 >>');
    w.obj('2copy', '2 0', '<< /Type /Pages /Kids [] /Count 0 /Copy true >>');
    w.obj('5', '5 0', '<< /Type /ObjStm /N 2 /First 8 /Length 0 >>');
    const hidden = Buffer.from([1, w.at('2copy') >> 8, w.at('2copy') & 0xff, 0, 2, 0, 5, 0, 2, 0, 5, 1]);
    w.mark('6').add(
      `6 0 obj\n<< /Type /XRef /Size 5 /W [1 2 1] /Index [2 3] /Length ${hidden.length} >>\nstream\n`,
    );
    w.add(hidden, '\nendstream\nendobj\n');
    w.mark('xref').add('xref\n0 4\n', row(0, 65535, 'f'), row(w.at('1')), row(w.at('2')), row(0, 0, 'f'));
    w.add('5 1\n', row(w.at('5')));
    w.mark('trailer').add(`trailer\n<< /Size 7 /Root 1 0 R /XRefStm ${w.at('6')} >>\n`);
    w.add(`startxref\n${w.at('xref')}\n%%EOF\n`);
    const chain = read(w.done());
    expect(chain.problem).toBeUndefined();
    expect(entry(chain, 2)).toEqual(offset(w.at('2')));
    expect(entry(chain, 3)).toEqual({ kind: 'compressed', stream: 5, index: 0 });
    expect(entry(chain, 4)).toEqual({ kind: 'compressed', stream: 5, index: 1 });
    expect(entry(chain, 5)).toEqual(offset(w.at('5')));
    expect(chain.trailers).toEqual([w.at('trailer') + 8]);
  });

  it('stops at a /Prev loop', () => {
    // The original table's /Prev names the update, whose /Prev names the original: written twice to know where.
    const build = (prev: number) => {
      const w = original(new Writer(), `/Prev ${pad(prev, 10)} `);
      w.obj('3new', '3 0', '(updated)');
      w.mark('xref2').add('xref\n3 1\n', row(w.at('3new')));
      w.add(`trailer\n<< /Size 4 /Root 1 0 R /Prev ${w.at('xref')} >>\nstartxref\n${w.at('xref2')}\n%%EOF\n`);
      return w;
    };
    const w = build(build(0).at('xref2'));
    const chain = read(w.done());
    expect(chain.problem).toBeUndefined();
    expect(chain.sections).toEqual([w.at('xref2'), w.at('xref')]);
    expect(entry(chain, 3)).toEqual(offset(w.at('3new')));

    const self = original();
    self.mark('xref2').add('xref\n0 1\n', row(0, 65535, 'f'));
    self.add(`trailer\n<< /Size 4 /Prev ${self.at('xref2')} >>\nstartxref\n${self.at('xref2')}\n%%EOF\n`);
    expect(read(self.done()).sections).toEqual([self.at('xref2')]);
  });

  it('reports a startxref that points nowhere, past the end, at a plain object, or is missing', () => {
    const pointing = (to: number | string) => {
      const w = original();
      return Buffer.concat([w.done(), Buffer.from(`startxref\n${to}\n%%EOF\n`)]);
    };
    const w = original();
    const mid = read(pointing(w.at('2') + 3));
    expect(mid.problem).toMatch(/points at neither "xref" nor a cross-reference stream/);
    expect(mid.sections).toEqual([]);
    expect(mid.entries.size).toBe(0);
    expect(read(pointing(10_000_000)).problem).toMatch(/past the end of the file/);
    expect(read(pointing(w.at('2'))).problem).toMatch(/is not a stream/);
    expect(read(pointing('x')).problem).toMatch(/not followed by an offset/);
    expect(read(Buffer.from('%PDF-1.7\n1 0 obj (x) endobj\n')).problem).toBe('no startxref');
  });

  it('keeps the newer sections when an older one is broken, and says so', () => {
    const w = original();
    w.obj('3new', '3 0', '(updated)');
    w.mark('xref2').add('xref\n3 1\n', row(w.at('3new')));
    w.add(`trailer\n<< /Size 4 /Root 1 0 R /Prev ${w.at('2') + 2} >>\nstartxref\n${w.at('xref2')}\n%%EOF\n`);
    const chain = read(w.done());
    expect(chain.problem).toMatch(/at \/Prev of the section at \d+ \(\d+\) is not an object/);
    expect(chain.sections).toEqual([w.at('xref2')]);
    expect([...chain.entries.keys()]).toEqual([3]);
  });

  it('reads rows ending in \\r\\n, " \\n", " \\r", and 19- and 21-byte rows', () => {
    const w = new Writer();
    for (const n of [1, 2, 3, 4, 5]) w.obj(String(n), `${n} 0`, `(${n})`);
    w.mark('xref').add('xref\r\n0 6\r\n', row(0, 65535, 'f', '\r\n'), row(w.at('1'), 0, 'n', ' \n'));
    w.add(row(w.at('2'), 0, 'n', ' \r'), row(w.at('3'), 0, 'n', '\n'), row(w.at('4'), 0, 'n', ' \r\n'));
    w.add(
      row(w.at('5'), 0, 'n', '\r\n'),
      `trailer\r\n<< /Size 6 >>\r\nstartxref\r\n${w.at('xref')}\r\n%%EOF`,
    );
    const chain = read(w.done());
    expect(chain.problem).toBeUndefined();
    for (const n of [1, 2, 3, 4, 5]) expect(entry(chain, n)).toEqual(offset(w.at(String(n))));
  });

  it('reads a subsection misnumbered from 1 whose first row is free as starting at 0, as pdf.js does', () => {
    const w = new Writer();
    w.obj('1', '1 0', '(1)');
    w.mark('xref').add('xref\n1 2\n', row(0, 65535, 'f'), row(w.at('1')));
    w.add(`trailer\n<< /Size 2 >>\nstartxref\n${w.at('xref')}\n%%EOF\n`);
    expect(read(w.done()).entries).toEqual(
      new Map<number, XrefEntry>([
        [0, { kind: 'free' }],
        [1, offset(w.at('1'))],
      ]),
    );
  });

  it('counts offsets from %PDF- when bytes come before it, as viewers do', () => {
    const pdf = pdfObjects([{ body: '<< /Type /Catalog >>' }]);
    const junk = Buffer.concat([Buffer.from('From: someone\n'), pdf]);
    const chain = read(junk);
    expect(chain.problem).toBeUndefined();
    expect(junk.toString('latin1', (chain.entries.get(1) as { offset: number }).offset)).toMatch(/^1 0 obj/);
  });

  it('bounds a huge claimed subsection, malformed rows and rows of no bytes', () => {
    const huge = new Writer();
    huge.mark('xref').add('xref\n0 999999999\n', row(0, 65535, 'f'));
    huge.add(`trailer\n<< /Size 1 >>\nstartxref\n${huge.at('xref')}\n%%EOF\n`);
    expect(read(huge.done()).problem).toMatch(/claims 999999999 rows, more than the \d+ bytes left/);

    const bad = new Writer();
    bad.mark('xref').add('xref\n0 2\n', row(0, 65535, 'f'), '00000000x9 00000 n \n');
    bad.add(`trailer\n<< /Size 2 >>\nstartxref\n${bad.at('xref')}\n%%EOF\n`);
    expect(read(bad.done()).problem).toMatch(/malformed row \(1\)/);

    const beyond = new Writer();
    beyond.mark('xref').add('xref\n0 2\n', row(0, 65535, 'f'), row(99_999));
    beyond.add(`trailer\n<< /Size 2 >>\nstartxref\n${beyond.at('xref')}\n%%EOF\n`);
    expect(read(beyond.done()).problem).toMatch(/object 1 past the end of the file/);

    const empty = new Writer();
    empty
      .mark('x')
      .add('1 0 obj\n<< /W [0 0 0] /Size 1000000000 /Length 0 >>\nstream\n\nendstream\nendobj\n');
    empty.add(`startxref\n${empty.at('x')}\n%%EOF\n`);
    expect(read(empty.done()).problem).toMatch(/rows of no bytes/);

    const short = new Writer();
    short
      .mark('x')
      .add('1 0 obj\n<< /W [1 2 1] /Size 1000000 /Length 4 >>\nstream\n\0\0\0\0\nendstream\nendobj\n');
    short.add(`startxref\n${short.at('x')}\n%%EOF\n`);
    expect(read(short.done()).problem).toMatch(/claims 1000000 rows of 4 bytes, more than its 4 hold/);
  });

  it('reports a stream the caller cannot inflate, never throwing', () => {
    const pdf = pdfObjects([{ body: '<< /Type /Catalog >>' }, { body: '(x)' }], { inObjectStream: [2] });
    const chain = readXrefChain(pdf, () => {
      throw new Error('over budget');
    });
    expect(chain.problem).toMatch(/cannot be inflated \(over budget\)/);
  });

  it('stops at the cap of sections', () => {
    const w = original();
    let prev = w.at('xref');
    for (let i = 0; i < 1001; i++) {
      w.mark('x').add('xref\n0 1\n', row(0, 65535, 'f'), `trailer\n<< /Prev ${prev} >>\n`);
      prev = w.at('x');
    }
    w.add(`startxref\n${prev}\n%%EOF\n`);
    const chain = read(w.done());
    expect(chain.problem).toMatch(/more than 1000 cross-reference sections/);
    expect(chain.sections).toHaveLength(1000);
  });
});
