import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

// A tiny PDF writer for tests: numbered objects, a cross-reference table and trailer (or an object stream and
// a cross-reference stream), FlateDecode content, a Type0/Identity-H font with a ToUnicode CMap (as
// LibreOffice, Word and Chrome export), a simple WinAnsi font, and the standard security handler (RC4, 40-bit).

/** One object of {@link pdfObjects}: its body (a dictionary, array…), and a stream's bytes when it has one. */
export interface PdfObject {
  body: string;
  /** The stream's bytes (already filtered as the body's /Filter says); /Length is added. */
  stream?: Buffer;
}

/** How {@link pdfObjects} writes the file. */
export interface PdfObjectsOptions {
  /** The catalog's object number. Default 1. */
  root?: number;
  /** Extra trailer entries, written as given (`/Encrypt 9 0 R /ID [<…> <…>]`). */
  trailer?: string;
  /** Objects (by number) written inside one compressed object stream, with a cross-reference stream. */
  inObjectStream?: readonly number[];
  /** Each stream is passed through this (object number, bytes); strings are written encrypted by the caller. */
  encryptStream?: (num: number, bytes: Buffer) => Buffer;
}

/**
 * A PDF of the given objects, numbered from 1, with a cross-reference table and a trailer.
 *
 * @example
 * ```ts
 * const pdf = pdfObjects([{ body: '<< /Type /Catalog /Pages 2 0 R >>' }, { body: '<< /Type /Pages /Kids [] /Count 0 >>' }]);
 * ```
 */
export function pdfObjects(objects: readonly PdfObject[], options: PdfObjectsOptions = {}): Buffer {
  const root = options.root ?? 1;
  const packed = new Set(options.inObjectStream ?? []);
  const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let size = chunks[0]?.length ?? 0;
  const offsets: number[] = [];
  const write = (b: Buffer) => {
    chunks.push(b);
    size += b.length;
  };
  const writeObject = (num: number, object: PdfObject) => {
    offsets[num] = size;
    if (!object.stream) {
      write(Buffer.from(`${num} 0 obj\n${object.body}\nendobj\n`, 'latin1'));
      return;
    }
    const data = options.encryptStream ? options.encryptStream(num, object.stream) : object.stream;
    const body = object.body.replace(/>>\s*$/, ` /Length ${data.length} >>`);
    write(Buffer.from(`${num} 0 obj\n${body}\nstream\n`, 'latin1'));
    write(data);
    write(Buffer.from('\nendstream\nendobj\n', 'latin1'));
  };
  objects.forEach((object, i) => {
    if (!packed.has(i + 1)) writeObject(i + 1, object);
  });
  if (packed.size === 0) {
    const xref = size;
    const lines = ['xref', `0 ${objects.length + 1}`, '0000000000 65535 f '];
    for (let n = 1; n <= objects.length; n++)
      lines.push(`${String(offsets[n] ?? 0).padStart(10, '0')} 00000 n `);
    write(
      Buffer.from(
        `${lines.join('\n')}\ntrailer\n<< /Size ${objects.length + 1} /Root ${root} 0 R ${options.trailer ?? ''}>>\nstartxref\n${xref}\n%%EOF\n`,
        'latin1',
      ),
    );
    return Buffer.concat(chunks);
  }
  // The packed objects in one object stream, then a cross-reference stream naming where each is.
  const stmNum = objects.length + 1;
  const xrefNum = objects.length + 2;
  const nums = [...packed];
  let header = '';
  let bodies = '';
  for (const n of nums) {
    header += `${n} ${bodies.length} `;
    bodies += `${objects[n - 1]?.body ?? 'null'}\n`;
  }
  const stm = Buffer.from(header + bodies, 'latin1');
  writeObject(stmNum, {
    body: `<< /Type /ObjStm /N ${nums.length} /First ${header.length} /Filter /FlateDecode >>`,
    stream: deflateSync(stm),
  });
  offsets[xrefNum] = size;
  const rows: Buffer[] = [Buffer.from([0, 0, 0, 0, 0xff, 0xff])];
  for (let n = 1; n <= xrefNum; n++) {
    const row = Buffer.alloc(6);
    if (packed.has(n)) {
      row[0] = 2;
      row.writeUInt32BE(stmNum, 1);
      row[5] = nums.indexOf(n);
    } else {
      row[0] = 1;
      row.writeUInt32BE(offsets[n] ?? 0, 1);
    }
    rows.push(row);
  }
  const xrefData = deflateSync(Buffer.concat(rows));
  const xref = size;
  write(
    Buffer.from(
      `${xrefNum} 0 obj\n<< /Type /XRef /Size ${xrefNum + 1} /W [1 4 1] /Root ${root} 0 R /Filter /FlateDecode /Length ${xrefData.length} ${options.trailer ?? ''}>>\nstream\n`,
      'latin1',
    ),
  );
  write(xrefData);
  write(Buffer.from(`\nendstream\nendobj\nstartxref\n${xref}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(chunks);
}

/** How {@link pdfFile} writes its text. */
export interface PdfFileOptions {
  /** `identity`: a Type0 font, Identity-H glyph ids in hex with a ToUnicode CMap; `winansi`: Helvetica, literal strings. */
  font?: 'identity' | 'winansi';
  /** FlateDecode the content streams. Default true. */
  compress?: boolean;
  /** Each character its own piece of a TJ array, kerned (as Chrome and Word place glyphs). */
  kerned?: boolean;
  /** Pages, fonts and content in an object stream with a cross-reference stream. */
  objectStream?: boolean;
  /** Encrypt it (RC4 40-bit, standard security handler) with this user password (`''`: opens without one). */
  userPassword?: string;
  /** A form field's value and an annotation's contents, on the first page. */
  field?: string;
  note?: string;
}

/**
 * A PDF with one page per entry of `pages`, each line of it shown with the font `options.font` says.
 *
 * @example
 * ```ts
 * const pdf = pdfFile(['Card: 4111 1111 1111 1111'], { font: 'identity' });
 * ```
 */
export function pdfFile(pages: readonly string[], options: PdfFileOptions = {}): Buffer {
  const font = options.font ?? 'identity';
  const compress = options.compress ?? true;
  // 1 catalog, 2 pages, 3 font, 4 ToUnicode (or a spare), 5 CID font, then page and content pairs.
  const glyphs = new Map<string, number>();
  for (const ch of pages.join('')) if (!glyphs.has(ch)) glyphs.set(ch, glyphs.size + 3);
  const show = (line: string): string => {
    const pieces = options.kerned ? [...line] : [line];
    const strings = pieces.map((p) =>
      font === 'identity'
        ? `<${[...p].map((c) => (glyphs.get(c) ?? 0).toString(16).padStart(4, '0')).join('')}>`
        : `(${Buffer.from(p, 'latin1')
            .toString('latin1')
            .replace(/[()\\]/g, '\\$&')})`,
    );
    return options.kerned ? `[${strings.join(' -12 ')}] TJ` : `${strings[0]} Tj`;
  };
  const objects: PdfObject[] = [];
  const first = 6;
  // Encrypted, every string is encrypted with its object's key, as streams are.
  const security =
    options.userPassword === undefined
      ? undefined
      : standardSecurity(options.userPassword, first + pages.length * 2 + (options.field ? 1 : 0));
  const pdfString = (num: number, s: string) =>
    security ? `<${security.encrypt(num, Buffer.from(s, 'latin1')).toString('hex')}>` : `(${s})`;
  const kids = pages.map((_, i) => `${first + i * 2} 0 R`).join(' ');
  const acro = options.field ? ' /AcroForm << /Fields [ 100 0 R ] >>' : '';
  objects.push({
    body: `<< /Type /Catalog /Pages 2 0 R${acro.replace('100', String(first + pages.length * 2))} >>`,
  });
  objects.push({ body: `<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>` });
  if (font === 'identity') {
    objects.push({
      body: '<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+LiberationSans /Encoding /Identity-H /DescendantFonts [5 0 R] /ToUnicode 4 0 R >>',
    });
    const chars = [...glyphs].map(
      ([c, g]) =>
        `<${g.toString(16).padStart(4, '0')}> <${Buffer.from(c, 'utf16le').swap16().toString('hex')}>`,
    );
    const cmap = [
      '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
      '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
      '/CMapName /Adobe-Identity-UCS def /CMapType 2 def',
      '1 begincodespacerange <0000> <FFFF> endcodespacerange',
      `${chars.length} beginbfchar`,
      ...chars,
      'endbfchar endcmap CMapName currentdict /CMap defineresource pop end end',
    ].join('\n');
    objects.push({
      body: compress ? '<< /Filter /FlateDecode >>' : '<< >>',
      stream: filtered(cmap, compress),
    });
    objects.push({
      body: '<< /Type /Font /Subtype /CIDFontType2 /BaseFont /AAAAAA+LiberationSans /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /CIDToGIDMap /Identity >>',
    });
  } else {
    objects.push({
      body: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    });
    objects.push({ body: 'null' });
    objects.push({ body: 'null' });
  }
  pages.forEach((text, i) => {
    const annots =
      i === 0 && options.note
        ? ` /Annots [<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] /Contents ${pdfString(first + i * 2, options.note)} >>]`
        : '';
    objects.push({
      body: `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${first + i * 2 + 1} 0 R${annots} >>`,
    });
    const lines = text.split('\n').map((line, n) => `${n === 0 ? '72 720 Td' : '0 -14 Td'} ${show(line)}`);
    const content = `BT /F1 12 Tf ${lines.join('\n')} ET`;
    objects.push({
      body: compress ? '<< /Filter /FlateDecode >>' : '<< >>',
      stream: filtered(content, compress),
    });
  });
  if (options.field) {
    const num = first + pages.length * 2;
    objects.push({ body: `<< /FT /Tx /T ${pdfString(num, 'card')} /V ${pdfString(num, options.field)} >>` });
  }
  const packed = options.objectStream
    ? objects.map((o, i) => (o.stream ? 0 : i + 1)).filter((n) => n > 0)
    : undefined;
  if (!security) return pdfObjects(objects, { inObjectStream: packed });
  objects.push({ body: security.dictionary });
  return pdfObjects(objects, {
    inObjectStream: packed,
    trailer: security.trailer,
    encryptStream: security.encrypt,
  });
}

function filtered(text: string, compress: boolean): Buffer {
  const bytes = Buffer.from(text, 'latin1');
  return compress ? deflateSync(bytes) : bytes;
}

const PADDING = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

// The standard security handler, revision 2 (RC4, 40-bit keys), as PDF 1.7 §7.6.3 computes it.
function standardSecurity(user: string, num: number) {
  const pad = (p: string) => Buffer.concat([Buffer.from(p, 'latin1'), PADDING]).subarray(0, 32);
  const md5 = (...parts: Buffer[]) => createHash('md5').update(Buffer.concat(parts)).digest();
  const id = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
  const owner = rc4(md5(pad('owner-secret')).subarray(0, 5), pad(user));
  const p = Buffer.alloc(4);
  p.writeInt32LE(-44);
  const key = md5(pad(user), owner, p, id).subarray(0, 5);
  const u = rc4(key, PADDING);
  return {
    dictionary: `<< /Filter /Standard /V 1 /R 2 /O <${owner.toString('hex')}> /U <${u.toString('hex')}> /P -44 >>`,
    trailer: `/Encrypt ${num} 0 R /ID [<${id.toString('hex')}> <${id.toString('hex')}>] `,
    encrypt: (n: number, bytes: Buffer) => {
      const object = Buffer.from([n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, 0, 0]);
      return rc4(md5(key, object).subarray(0, 10), bytes);
    },
  };
}

function rc4(key: Buffer, data: Buffer): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + (s[i] as number) + (key[i % key.length] as number)) & 0xff;
    [s[i], s[j]] = [s[j] as number, s[i] as number];
  }
  const out = Buffer.alloc(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 0xff;
    j = (j + (s[i] as number)) & 0xff;
    [s[i], s[j]] = [s[j] as number, s[i] as number];
    out[k] = (data[k] as number) ^ (s[((s[i] as number) + (s[j] as number)) & 0xff] as number);
  }
  return out;
}
