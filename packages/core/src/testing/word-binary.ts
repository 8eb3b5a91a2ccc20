import { compoundFile } from './compound.js';

/** One run of a {@link wordBinary} document: its text and the character properties it is given. */
export interface WordRun {
  text: string;
  /** sprmCFVanish: hidden text (1 on, 0x81 the style's inverted). */
  vanish?: number;
  /** sprmCFRMarkDel: a tracked deletion (1). */
  deleted?: number;
  /** sprmCHps: the font size in half-points. */
  halfPoints?: number;
  /** sprmCCv: a COLORREF (0x00FFFFFF white). */
  color?: number;
  /** sprmCIco: a palette colour (8 white). */
  ico?: number;
  /** sprmCIstd: a character style by its istd (see {@link WordBinaryOptions.styles}). */
  style?: number;
}

/** A style of a {@link wordBinary} document: its character properties, its base, and whether it is a paragraph's. */
export type WordStyle = Omit<WordRun, 'text' | 'style'> & { base?: number; paragraph?: boolean };

/** How {@link wordBinary} writes its document. */
export interface WordBinaryOptions {
  /** The text stored as cp1252 bytes (a compressed piece) rather than UTF-16LE. */
  compressed?: boolean;
  /** The table stream the FIB names (`fWhichTblStm`); 0Table by default. */
  table?: '0Table' | '1Table';
  /** A Prm for the piece: a Prc grpprl it names (fComplex), or a Prm0 word as stored. */
  piece?: { grpprl: Buffer } | { prm0: number };
  /** fcClx as written in the FIB (to damage it); the Clx's real place by default. */
  fcClx?: number;
  /** The piece listed this many times, each naming the same bytes (1 by default). */
  repeat?: number;
  /** FibBase flags other than fWhichTblStm (0x0100 fEncrypted). */
  flags?: number;
  /**
   * Character styles, istd 1 and on (istd 0 is the Normal paragraph style): each its properties and the istd of the
   * style it is based on.
   */
  styles?: WordStyle[];
  /** The istd of the paragraph style all the text is in (a PAPX FKP); none by default. */
  paragraph?: number;
  /** Streams written beside the document's. */
  extra?: [string, Buffer][];
}

const FIB_PAIRS = 0x5d;
const TEXT_AT = 1024;
const FKP = 512;

/**
 * A legacy Word document (MS-DOC, Word 97 FIB) in a compound file: its text in one piece, each run's character
 * properties in a CHPX FKP. For tests of what the DLP reads as a .doc shows (a hidden letter between a card's groups).
 *
 * @example
 * ```ts
 * const doc = wordBinary([{ text: 'Card: 4111 1111' }, { text: 'x', vanish: 1 }, { text: ' 1111 1111\r' }]);
 * ```
 */
export function wordBinary(runs: readonly WordRun[], options: WordBinaryOptions = {}): Buffer {
  const text = runs.map((r) => r.text).join('');
  const width = options.compressed ? 1 : 2;
  const stored = options.compressed ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf16le');
  const fkpAt = Math.ceil((TEXT_AT + stored.length) / FKP) * FKP;
  const doc = Buffer.alloc(fkpAt + 2 * FKP);
  stored.copy(doc, TEXT_AT);
  // The CHPX FKP: crun + 1 FCs, crun word offsets, the Chpxs from the page's end down, crun in the last byte.
  const page = doc.subarray(fkpAt, fkpAt + FKP);
  let fc = TEXT_AT;
  let free = FKP - 1;
  runs.forEach((run, j) => {
    page.writeUInt32LE(fc, 4 * j);
    fc += run.text.length * width;
    const grpprl = runGrpprl(run);
    if (grpprl.length === 0) return;
    free = (free - grpprl.length - 1) & ~1;
    page[free] = grpprl.length;
    grpprl.copy(page, free + 1);
    page[4 * (runs.length + 1) + j] = free / 2;
  });
  page.writeUInt32LE(fc, 4 * runs.length);
  page[FKP - 1] = runs.length;
  // The PAPX FKP: one paragraph over all the text, its PapxInFkp (cb 0, cb' 1: the istd alone) at byte 0x100.
  const papxPage = doc.subarray(fkpAt + FKP, fkpAt + 2 * FKP);
  papxPage.writeUInt32LE(TEXT_AT, 0);
  papxPage.writeUInt32LE(fc, 4);
  papxPage[8] = 0x80;
  papxPage[0x101] = 1;
  papxPage.writeUInt16LE(options.paragraph ?? 0, 0x102);
  papxPage[FKP - 1] = 1;
  // The table stream: the Clx (a Prc when the piece names one, then the Pcdt), then the PlcBteChpx.
  const prm =
    options.piece && 'grpprl' in options.piece
      ? 1
      : options.piece && 'prm0' in options.piece
        ? options.piece.prm0
        : 0;
  const prc =
    options.piece && 'grpprl' in options.piece
      ? Buffer.concat([Buffer.from([0x01]), u16(options.piece.grpprl.length), options.piece.grpprl])
      : Buffer.alloc(0);
  const pcdFc = options.compressed ? (TEXT_AT * 2) | 0x40000000 : TEXT_AT;
  const repeat = options.repeat ?? 1;
  const cps = Array.from({ length: repeat + 1 }, (_, i) => u32(i * text.length));
  const pcds = Array.from({ length: repeat }, () => Buffer.concat([u16(0), u32(pcdFc), u16(prm)]));
  const plcPcd = Buffer.concat([...cps, ...pcds]);
  const clx = Buffer.concat([prc, Buffer.from([0x02]), u32(plcPcd.length), plcPcd]);
  const bte = Buffer.concat([u32(TEXT_AT), u32(fc), u32(fkpAt / FKP)]);
  const btePapx = Buffer.concat([u32(TEXT_AT), u32(fc), u32(fkpAt / FKP + 1)]);
  const stsh = styleSheet(options.styles ?? []);
  const table = Buffer.concat([clx, bte, stsh, btePapx]);
  // The FIB: FibBase, 14 words, 22 longs, the fc/lcb pairs (fcPlcfBteChpx is pair 12, fcClx pair 33), cswNew 0.
  doc.writeUInt16LE(0xa5ec, 0);
  doc.writeUInt16LE(0xc1, 2);
  doc.writeUInt16LE((options.table === '1Table' ? 0x0200 : 0) | (options.flags ?? 0), 0x0a);
  doc.writeUInt16LE(14, 0x20);
  doc.writeUInt16LE(22, 0x3e);
  doc.writeUInt32LE(text.length, 0x4c); // ccpText
  doc.writeUInt16LE(FIB_PAIRS, 0x98);
  const pair = (n: number, at: number, length: number) => {
    doc.writeUInt32LE(at, 0x9a + n * 8);
    doc.writeUInt32LE(length, 0x9a + n * 8 + 4);
  };
  pair(1, clx.length + bte.length, stsh.length);
  pair(12, clx.length, bte.length);
  pair(13, clx.length + bte.length + stsh.length, btePapx.length);
  pair(33, options.fcClx ?? 0, clx.length);
  return compoundFile([['WordDocument', doc], [options.table ?? '0Table', table], ...(options.extra ?? [])]);
}

// The STSH: an 18-byte Stshi (cstd, cbSTDBaseInFile 10), then each style's cbStd and STD: a 10-byte Stdf (stk and
// istdBase, cupx), its name, its UPXs (a paragraph style's PAPX and CHPX, a character style's CHPX).
function styleSheet(styles: readonly WordStyle[]): Buffer {
  const std = (stk: number, base: number, name: string, upxs: Buffer[]) => {
    const stdf = Buffer.alloc(10);
    stdf.writeUInt16LE(stk | (base << 4), 2);
    stdf.writeUInt16LE(upxs.length, 4);
    const lpUpxs = upxs.map((upx) => Buffer.concat([u16(upx.length), upx, Buffer.alloc(upx.length % 2)]));
    const body = Buffer.concat([stdf, u16(name.length), Buffer.from(`${name}\0`, 'utf16le'), ...lpUpxs]);
    return Buffer.concat([u16(body.length), body]);
  };
  const stshi = Buffer.alloc(18);
  stshi.writeUInt16LE(styles.length + 1, 0);
  stshi.writeUInt16LE(10, 2);
  return Buffer.concat([
    u16(stshi.length),
    stshi,
    std(1, 0xfff, 'Normal', [u16(0), Buffer.alloc(0)]),
    ...styles.map((s, i) => {
      const chpx = runGrpprl({ text: '', ...s });
      // A paragraph style's UPXs: its PAPX (the istd, no sprms), then its CHPX.
      return s.paragraph
        ? std(1, s.base ?? 0xfff, `Para${i + 1}`, [u16(i + 1), chpx])
        : std(2, s.base ?? 0xfff, `Style${i + 1}`, [chpx]);
    }),
  ]);
}

function runGrpprl(run: WordRun): Buffer {
  const parts: Buffer[] = [];
  if (run.style !== undefined) parts.push(u16(0x4a30), u16(run.style));
  if (run.vanish !== undefined) parts.push(u16(0x083c), Buffer.from([run.vanish]));
  if (run.deleted !== undefined) parts.push(u16(0x0800), Buffer.from([run.deleted]));
  if (run.halfPoints !== undefined) parts.push(u16(0x4a43), u16(run.halfPoints));
  if (run.ico !== undefined) parts.push(u16(0x2a42), Buffer.from([run.ico]));
  if (run.color !== undefined) parts.push(u16(0x6870), u32(run.color));
  return Buffer.concat(parts);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}
