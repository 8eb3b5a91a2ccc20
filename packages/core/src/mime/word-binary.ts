import charsets from 'libmime/lib/charset';
import { type CompoundStream, compoundStreams, isCompoundFile } from './compound-file.js';

// The text of a legacy Word document (.doc, Word 97 and later: MS-DOC) as Word and LibreOffice show it: its
// characters in the order of the piece table, less the runs their character formatting (direct, a character style
// or the piece's) hides (hidden, white, or smaller than 4 points), less field codes (a field shows its result), with paragraph, line and cell marks as line
// breaks. The file's strings as stored are read besides (binary-text.ts); this reading only adds what the letter a
// sender hides between two groups of a card would otherwise break. Whatever does not add up (an offset past its
// stream, a table it does not frame) gives no reading: the strings stay what is read.

/** Word documents read in one compound file (an embedded document's streams are listed beside the host's). */
const MAX_DOCUMENTS = 4;
const FIB_IDENT = 0xa5ec;
/** wIdent of a Word 6/95 FIB, whose flags lie where Word 97's do. */
const FIB_IDENT_95 = 0xa5dc;
/** nFib of Word 97 (and of the FibBase of every later version): older FIBs are laid out otherwise. */
const NFIB_97 = 0xc1;
const FKP = 512;

/** Character properties that hide a run, each as set by the last sprm naming it (undefined: not set). */
interface Hiding {
  vanish?: boolean;
  /** A tracked deletion, which Word's default view (Simple Markup) does not show. */
  deleted?: boolean;
  tiny?: boolean;
  white?: boolean;
}

/** A run of bytes of the WordDocument stream and how its formatting hides it. */
interface Run {
  start: number;
  end: number;
  hiding: Hiding;
}

interface Piece {
  cpLength: number;
  start: number;
  compressed: boolean;
  hiding: Hiding;
}

/**
 * The text of each Word document in a compound file as shown (hidden, white and tiny runs and field codes left
 * out), or none when the file holds no Word 97+ document this can follow. Linear in the file's size: at most
 * `maxBytes` of streams are read.
 *
 * @example
 * ```ts
 * wordShownTexts(doc, 2 * doc.length); // ['Card: 4111 1111 1111 1111\n'] for `4111 1111{hidden x} 1111 1111`
 * ```
 */
export function wordShownTexts(file: Buffer, maxBytes: number): string[] {
  if (!isCompoundFile(file)) return [];
  let streams: CompoundStream[];
  try {
    streams = compoundStreams(file, maxBytes);
  } catch {
    return [];
  }
  const texts: string[] = [];
  for (const word of streams.filter((s) => s.name === 'WordDocument').slice(0, MAX_DOCUMENTS)) {
    try {
      const doc = word.bytes();
      const fib = fibTable(doc);
      if (!fib) continue;
      // Several documents (one embedded in the other): the first table stream of the name the FIB gives that frames.
      for (const table of streams.filter((s) => s.name === fib).slice(0, MAX_DOCUMENTS)) {
        const text = shownText(doc, table.bytes());
        if (text === undefined) continue;
        texts.push(text);
        break;
      }
    } catch {
      // A stream that cannot be read (past the budget, a broken chain): no reading from it.
    }
  }
  return texts;
}

/** A Word document's text as stored ({@link wordStoredTexts}), or its stream's bytes when that cannot be followed. */
export type StoredText = { text: string } | { unread: Buffer };

/**
 * The text of each Word document (`WordDocument` stream, names compared as MS-CFB compares them) among a compound
 * file's streams, every character as stored, in the order of its piece table: field codes (`0x13` code `0x14`
 * result `0x15`), hidden and deleted text too. A document whose piece table cannot be followed (a FIB other than
 * Word 97's, no table stream that frames it, past the first four documents) gives its stream's bytes instead; an
 * encrypted one gives nothing (its text is not in the clear). Linear: each stream is read at most once.
 * Throws when a stream cannot be read (past the compound file's budget, a broken chain).
 *
 * @example
 * ```ts
 * wordStoredTexts(compoundStreams(doc, 1 << 20)); // [{ text: 'Invoice\r\x13 PAGE \x141\x15\r' }]
 * ```
 */
export function wordStoredTexts(streams: readonly CompoundStream[]): StoredText[] {
  const cache = new Map<CompoundStream, Buffer>();
  const bytes = (stream: CompoundStream) => {
    const cached = cache.get(stream);
    if (cached) return cached;
    const read = stream.bytes();
    cache.set(stream, read);
    return read;
  };
  const named = (name: string) => streams.filter((s) => s.name.toUpperCase() === name.toUpperCase());
  const out: StoredText[] = [];
  named('WordDocument').forEach((word, k) => {
    const doc = bytes(word);
    if (fibEncrypted(doc)) return;
    const fib = k < MAX_DOCUMENTS ? fibTable(doc) : undefined;
    for (const table of fib ? named(fib).slice(0, MAX_DOCUMENTS) : []) {
      const text = storedText(doc, bytes(table));
      if (text === undefined) continue;
      out.push({ text });
      return;
    }
    out.push({ unread: doc });
  });
  return out;
}

// Every character of the pieces, in CP order (the piece table alone: no formatting is read).
function storedText(doc: Buffer, table: Buffer): string | undefined {
  const at = fcLcbPairs(doc);
  if (at === undefined) return undefined;
  const clx = slice(table, doc.readUInt32LE(at + 33 * 8), doc.readUInt32LE(at + 33 * 8 + 4));
  const pieces = clx && clx.length > 0 ? pieceTable(clx, doc.length, NO_STYLES) : undefined;
  return pieces
    ?.map((piece) =>
      piece.compressed
        ? CP1252.decode(doc.subarray(piece.start, piece.start + piece.cpLength))
        : doc.toString('utf16le', piece.start, piece.start + piece.cpLength * 2),
    )
    .join('');
}

// The name of the table stream a Word 97+ FIB names, or undefined for anything else (an encrypted document too).
function fibTable(doc: Buffer): string | undefined {
  if (doc.length < 0x22 || doc.readUInt16LE(0) !== FIB_IDENT || doc.readUInt16LE(2) < NFIB_97)
    return undefined;
  if (fibEncrypted(doc)) return undefined;
  return doc.readUInt16LE(0x0a) & 0x0200 ? '1Table' : '0Table';
}

/**
 * Whether a `WordDocument` stream's FIB (Word 97 and later, or Word 6/95's) sets fEncrypted: its text is not in the
 * clear (RC4, or XOR when fObfuscated is set beside it, MS-DOC 2.5.1).
 */
export function fibEncrypted(doc: Buffer): boolean {
  if (doc.length < 0x0c) return false;
  const ident = doc.readUInt16LE(0);
  return (ident === FIB_IDENT || ident === FIB_IDENT_95) && (doc.readUInt16LE(0x0a) & 0x0100) !== 0;
}

// Where the FIB's fc/lcb pairs start: FibBase (32 bytes), then csw 16-bit words, cslw 32-bit words, then cbRgFcLcb
// pairs of fc/lcb (at least the 34 up to fcClx); undefined when the FIB does not frame them.
function fcLcbPairs(doc: Buffer): number | undefined {
  let at = 0x20;
  const csw = u16(doc, at);
  if (csw === undefined) return undefined;
  at += 2 + csw * 2;
  const cslw = u16(doc, at);
  if (cslw === undefined) return undefined;
  at += 2 + cslw * 4;
  const pairs = u16(doc, at);
  at += 2;
  return pairs === undefined || pairs < 34 || at + pairs * 8 > doc.length ? undefined : at;
}

function shownText(doc: Buffer, table: Buffer): string | undefined {
  // fcStshf is pair 1 of FibRgFcLcb97, fcPlcfBteChpx pair 12, fcPlcfBtePapx 13, fcClx 33.
  const at = fcLcbPairs(doc);
  if (at === undefined) return undefined;
  const clx = slice(table, doc.readUInt32LE(at + 33 * 8), doc.readUInt32LE(at + 33 * 8 + 4));
  const bte = slice(table, doc.readUInt32LE(at + 12 * 8), doc.readUInt32LE(at + 12 * 8 + 4));
  if (!clx || clx.length === 0 || !bte) return undefined;
  // Styles it cannot follow hide nothing: the text is still read as its runs' own properties show it.
  const stsh = slice(table, doc.readUInt32LE(at + 8), doc.readUInt32LE(at + 8 + 4));
  const styles = (stsh && characterStyles(stsh)) ?? NO_STYLES;
  const pieces = pieceTable(clx, doc.length, styles);
  const runs = pieces && characterRuns(bte, doc, styles);
  // Paragraphs' styles (their character properties under the runs'): a table it cannot follow gives none.
  const papx = slice(table, doc.readUInt32LE(at + 13 * 8), doc.readUInt32LE(at + 13 * 8 + 4));
  const paragraphs = (papx && styles !== NO_STYLES && paragraphRuns(papx, doc, styles)) || [];
  return runs && pieces ? writeText(doc, pieces, runs, paragraphs) : undefined;
}

// The Clx: Prc entries (0x01, a 16-bit size, a grpprl) that a piece's Prm may name, then the Pcdt (0x02, a 32-bit
// size, the PlcPcd): n + 1 CPs, then n 8-byte Pcds (flags, fc, prm).
function pieceTable(clx: Buffer, docLength: number, styles: Styles): Piece[] | undefined {
  const prcs: Buffer[] = [];
  let at = 0;
  let plc: Buffer | undefined;
  while (at < clx.length && !plc) {
    if (clx[at] === 0x01) {
      const size = at + 3 <= clx.length ? clx.readInt16LE(at + 1) : -1;
      if (size < 0 || at + 3 + size > clx.length) return undefined;
      prcs.push(clx.subarray(at + 3, at + 3 + size));
      at += 3 + size;
    } else if (clx[at] === 0x02) {
      plc = at + 5 <= clx.length ? slice(clx, at + 5, clx.readUInt32LE(at + 1)) : undefined;
      if (!plc) return undefined;
    } else return undefined;
  }
  if (!plc || plc.length < 16 || (plc.length - 4) % 12 !== 0) return undefined;
  const n = (plc.length - 4) / 12;
  const pieces: Piece[] = [];
  let characters = 0;
  for (let i = 0; i < n; i++) {
    const cp = plc.readUInt32LE(i * 4);
    const next = plc.readUInt32LE(i * 4 + 4);
    if (next < cp) return undefined;
    const pcd = 4 * (n + 1) + i * 8;
    const fc = plc.readUInt32LE(pcd + 2);
    if (fc & 0x80000000) return undefined;
    const compressed = (fc & 0x40000000) !== 0;
    const start = compressed ? (fc & 0x3fffffff) / 2 : fc;
    const length = next - cp;
    characters += length;
    // Pieces that name the same bytes again and again would write more text than the stream holds.
    if (
      !Number.isInteger(start) ||
      start + length * (compressed ? 1 : 2) > docLength ||
      characters > docLength
    )
      return undefined;
    pieces.push({
      cpLength: length,
      start,
      compressed,
      hiding: pieceHiding(plc.readUInt16LE(pcd + 6), prcs, styles),
    });
  }
  return pieces;
}

// A Pcd's Prm: fComplex set, the grpprl of Prc number prm >> 1; else one sprm by its isprm (0x5C: sprmCFVanish,
// 0x41: sprmCFRMarkDel).
function pieceHiding(prm: number, prcs: readonly Buffer[], styles: Styles): Hiding {
  if (prm & 1) {
    const grpprl = prcs[prm >> 1];
    return grpprl ? hidingOf(grpprl, 0, grpprl.length, styles) : {};
  }
  if (((prm >> 1) & 0x7f) === 0x5c) return { vanish: vanishes(prm >> 8, undefined) };
  if (((prm >> 1) & 0x7f) === 0x41) return { deleted: prm >> 8 === 1 };
  return {};
}

// A PlcBte (of CHPX or PAPX FKPs): n + 1 FCs, then n page numbers of 512-byte FKPs in the WordDocument stream. Each
// FKP holds crun + 1 FCs (its runs' bounds), crun entries of `entry` bytes whose first is the word offset of the
// run's properties (0: none), and crun in its last byte. Gives each run with properties: its bounds and where
// they are; undefined when a page does not add up.
function fkpRuns(
  bte: Buffer,
  doc: Buffer,
  entry: number,
): { start: number; end: number; page: number; offset: number }[] | undefined {
  if (bte.length < 12 || (bte.length - 4) % 8 !== 0) return undefined;
  const n = (bte.length - 4) / 8;
  const out: { start: number; end: number; page: number; offset: number }[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const pn = bte.readUInt32LE(4 * (n + 1) + i * 4) & 0x3fffff;
    if (seen.has(pn)) continue;
    seen.add(pn);
    const page = pn * FKP;
    if (page + FKP > doc.length) return undefined;
    const crun = doc[page + FKP - 1] as number;
    if (crun === 0 || 4 * (crun + 1) + entry * crun > FKP - 1) return undefined;
    for (let j = 0; j < crun; j++) {
      const start = doc.readUInt32LE(page + 4 * j);
      const end = doc.readUInt32LE(page + 4 * (j + 1));
      const offset = (doc[page + 4 * (crun + 1) + entry * j] as number) * 2;
      if (end < start) return undefined;
      if (offset !== 0) out.push({ start, end, page, offset });
    }
  }
  return out;
}

// CHPX FKPs (one-byte entries): a Chpx is cb, then a grpprl of cb bytes.
function characterRuns(bte: Buffer, doc: Buffer, styles: Styles): Run[] | undefined {
  if (bte.length === 0) return [];
  const entries = fkpRuns(bte, doc, 1);
  if (!entries) return undefined;
  const runs: Run[] = [];
  for (const { start, end, page, offset } of entries) {
    const size = doc[page + offset] as number;
    if (offset + 1 + size > FKP) return undefined;
    const hiding = hidingOf(doc, page + offset + 1, page + offset + 1 + size, styles);
    if (Object.keys(hiding).length > 0) runs.push({ start, end, hiding });
  }
  return sortedRuns(runs);
}

// Sorted, each cut at the next's start, empty ones dropped: the run a byte is in is the last that starts at or
// before it, and a piece walks only the runs in its bytes.
function sortedRuns(runs: Run[]): Run[] {
  runs.sort((a, b) => a.start - b.start);
  for (let i = 0; i + 1 < runs.length; i++) {
    const run = runs[i] as Run;
    run.end = Math.min(run.end, (runs[i + 1] as Run).start);
  }
  return runs.filter((run) => run.end > run.start);
}

// PAPX FKPs (13-byte BxPaps: the word offset of a PapxInFkp, then a PHE). A PapxInFkp: cb, then (cb 0: a second
// cb) the GrpPrlAndIstd, whose first word is the paragraph's style.
function paragraphRuns(bte: Buffer, doc: Buffer, styles: Styles): Run[] | undefined {
  const entries = fkpRuns(bte, doc, 13);
  if (!entries) return undefined;
  const runs: Run[] = [];
  for (const { start, end, page, offset } of entries) {
    const cb = doc[page + offset] as number;
    const istdAt = page + offset + (cb === 0 ? 2 : 1);
    if (istdAt + 2 > page + FKP) return undefined;
    const hiding = styles(doc.readUInt16LE(istdAt));
    if (Object.keys(hiding).length > 0) runs.push({ start, end, hiding });
  }
  return sortedRuns(runs);
}

// The properties a grpprl sets that hide text: sprmCFVanish (0x083C), sprmCFRMarkDel (0x0800), sprmCHps (0x4A43, half-points), sprmCCv
// (0x6870, a COLORREF) and sprmCIco (0x2A42, 8 is white). A sprm's operand size is in its top three bits (spra);
// a sprm whose operand runs past the grpprl ends it.
function hidingOf(b: Buffer, from: number, to: number, styles: Styles): Hiding {
  let hiding: Hiding = {};
  let at = from;
  while (at + 2 <= to) {
    const sprm = b.readUInt16LE(at);
    at += 2;
    const size = operandSize(sprm, b, at, to);
    if (size === undefined || at + size > to) break;
    const op = at;
    at += size;
    if (sprm === 0x083c) hiding.vanish = vanishes(b[op] as number, hiding.vanish);
    // sprmCIstd: a character style's properties, which the run's own override.
    else if (sprm === 0x4a30) hiding = { ...styles(b.readUInt16LE(op)) };
    else if (sprm === 0x0800) hiding.deleted = b[op] === 1;
    else if (sprm === 0x4a43) hiding.tiny = b.readUInt16LE(op) < 8;
    else if (sprm === 0x6870) hiding.white = b.readUInt32LE(op) === 0x00ffffff;
    else if (sprm === 0x2a42) hiding.white = b[op] === 8;
    else if (sprm === 0x2a33) {
      // sprmCPlain: the paragraph style's properties again.
      hiding = {};
    }
  }
  return hiding;
}

// sprmCFVanish's operand: 1 on, 0 off, 0x81 the style's value inverted (taken as hidden: the paragraph's style is
// not read), 0x80 the style's.
function vanishes(op: number, style: boolean | undefined): boolean {
  return op === 1 || op === 0x81 || (op === 0x80 && style === true);
}

/** The hiding properties of a style by its istd ({} for none). */
type Styles = (istd: number) => Hiding;
const NO_STYLES: Styles = () => ({});
const EMPTY = Buffer.alloc(0);

// The STSH: cbStshi, the Stshi (cstd, cbSTDBaseInFile, …), then cstd LPStds (cbStd, the STD; 0 for an empty slot).
// An STD: its Stdf (cbSTDBaseInFile bytes: stk in bits 0-3 and istdBase in bits 4-15 of its second word, cupx in
// the third), its name (a 16-bit count, the UTF-16 characters, a NUL), then cupx LPUpxs (cbUpx, the UPX, a byte
// to make it even): a paragraph style's PAPX then CHPX, a character style's CHPX. A style's properties are its
// base's, overridden by its CHPX.
function characterStyles(stsh: Buffer): Styles | undefined {
  if (stsh.length === 0) return NO_STYLES;
  const cbStshi = u16(stsh, 0);
  if (cbStshi === undefined || cbStshi < 4 || 2 + cbStshi > stsh.length) return undefined;
  const cstd = stsh.readUInt16LE(2);
  const cbBase = stsh.readUInt16LE(4);
  const own: { base: number; grpprl: Buffer }[] = [];
  let at = 2 + cbStshi;
  for (let istd = 0; istd < cstd; istd++) {
    const cbStd = u16(stsh, at);
    if (cbStd === undefined) return undefined;
    const std = slice(stsh, at + 2, cbStd);
    if (!std) return undefined;
    at += 2 + cbStd;
    if (cbStd === 0) continue;
    if (cbBase < 10 || cbBase + 2 > std.length) return undefined;
    const stk = std.readUInt16LE(2) & 0x0f;
    const base = std.readUInt16LE(2) >> 4;
    const cupx = std.readUInt16LE(4) & 0x0f;
    let upx = cbBase + 2 + std.readUInt16LE(cbBase) * 2 + 2;
    // The CHPX is the paragraph style's second UPX, the character style's first.
    const chpxAt = stk === 1 ? 1 : stk === 2 ? 0 : -1;
    for (let k = 0; k < cupx && k <= chpxAt; k++) {
      const cbUpx = u16(std, upx);
      if (cbUpx === undefined || upx + 2 + cbUpx > std.length) return undefined;
      if (k === chpxAt) own[istd] = { base, grpprl: std.subarray(upx + 2, upx + 2 + cbUpx) };
      upx += 2 + cbUpx + (cbUpx & 1);
    }
  }
  // Each style resolved once, from the first base of its chain already resolved (or none) down to it, without
  // recursion (a chain may be thousands of styles long); a loop of bases ends where it meets itself.
  const resolved = new Map<number, Hiding>();
  const resolve = (istd: number): Hiding => {
    const chain: number[] = [];
    const met = new Set<number>();
    let at = istd;
    while (own[at] && !resolved.has(at) && !met.has(at)) {
      met.add(at);
      chain.push(at);
      at = (own[at] as { base: number }).base;
    }
    let hiding = resolved.get(at) ?? {};
    for (const n of chain.reverse()) {
      // A sprmCIstd inside a style's own CHPX is not followed.
      hiding = {
        ...hiding,
        ...definedOf(hidingOf(own[n]?.grpprl ?? EMPTY, 0, own[n]?.grpprl.length ?? 0, NO_STYLES)),
      };
      resolved.set(n, hiding);
    }
    return hiding;
  };
  return resolve;
}

function definedOf(h: Hiding): Hiding {
  const out: Hiding = {};
  if (h.vanish !== undefined) out.vanish = h.vanish;
  if (h.deleted !== undefined) out.deleted = h.deleted;
  if (h.tiny !== undefined) out.tiny = h.tiny;
  if (h.white !== undefined) out.white = h.white;
  return out;
}

const SPRA_SIZES = [1, 1, 2, 4, 2, 2, 0, 3];

function operandSize(sprm: number, b: Buffer, at: number, to: number): number | undefined {
  const spra = sprm >> 13;
  if (spra !== 6) return SPRA_SIZES[spra];
  // sprmTDefTable counts its operand in a 16-bit word (plus one); sprmPChgTabs's 255 is not framed here.
  if (sprm === 0xd608) return at + 2 <= to ? 2 + b.readUInt16LE(at) - 1 : undefined;
  const size = at < to ? b[at] : undefined;
  if (size === undefined || (sprm === 0xc615 && size === 255)) return undefined;
  return 1 + size;
}

// The pieces' characters in CP order, those a run or piece hides left out (a piece's own properties override its
// runs'), field codes (0x13 to 0x14) left out and their results (to 0x15) kept, paragraph, line, cell and page
// marks as line breaks, other control characters (objects, footnote marks, optional hyphens) left out.
function writeText(
  doc: Buffer,
  pieces: readonly Piece[],
  runs: readonly Run[],
  paragraphs: readonly Run[],
): string {
  const out = new Uint16Array(pieces.reduce((n, p) => n + p.cpLength, 0));
  let length = 0;
  // Each open field: true while in its code.
  const fields: boolean[] = [];
  let inCode = 0;
  for (const piece of pieces) {
    const width = piece.compressed ? 1 : 2;
    const end = piece.start + piece.cpLength * width;
    const text = piece.compressed
      ? CP1252.decode(doc.subarray(piece.start, end))
      : doc.toString('utf16le', piece.start, end);
    const own = piece.hiding;
    const run = new RunCursor(runs, piece.start, end);
    const paragraph = new RunCursor(paragraphs, piece.start, end);
    // The piece in segments of one hiding each: up to where the run or paragraph it is in ends or the next starts.
    for (let k = 0; k < piece.cpLength; ) {
      const fc = piece.start + k * width;
      const r = run.at(fc);
      const p = paragraph.at(fc);
      const until = Math.min(run.until, paragraph.until);
      const stop = Math.min(piece.cpLength, k + Math.ceil((until - fc) / width));
      const hidden =
        (own.vanish ?? r.vanish ?? p.vanish) ||
        (own.deleted ?? r.deleted ?? p.deleted) ||
        (own.tiny ?? r.tiny ?? p.tiny) ||
        (own.white ?? r.white ?? p.white);
      for (; k < stop; k++) {
        const c = text.charCodeAt(k);
        if (c === 0x13) {
          fields.push(true);
          inCode++;
        } else if (c === 0x14 || c === 0x15) {
          const code = c === 0x14 ? fields[fields.length - 1] : fields.pop();
          if (code) inCode--;
          if (c === 0x14 && code) fields[fields.length - 1] = false;
        } else if (inCode === 0 && !hidden) {
          if (c >= 0x20 || c === 0x09) out[length++] = c;
          else if (c === 0x0d || c === 0x0b || c === 0x07 || c === 0x0c) out[length++] = 0x0a;
          else if (c === 0x1e) out[length++] = 0x2d;
        }
      }
    }
  }
  return Buffer.from(out.buffer, 0, length * 2).toString('utf16le');
}

// Walks sorted runs forward through a piece's bytes: the hiding at an offset, and where it next changes.
class RunCursor {
  private r: number;
  until = 0;
  constructor(
    private readonly runs: readonly Run[],
    start: number,
    private readonly end: number,
  ) {
    this.r = lastRunAt(runs, start);
  }
  at(fc: number): Hiding {
    const runs = this.runs;
    while (this.r + 1 < runs.length && (runs[this.r + 1] as Run).start <= fc) this.r++;
    const run = runs[this.r];
    if (run && fc < run.end) {
      this.until = run.end;
      return run.hiding;
    }
    this.until = (runs[this.r + 1] as Run | undefined)?.start ?? this.end;
    return NONE;
  }
}

// A compressed piece is Windows-1252 (0x96 an en dash, 0xA0 a non-breaking space). Not node's TextDecoder: since
// 20.18.3 it decodes the label as Latin-1, 0x80–0x9F as C1 controls (nodejs/node#60888; attacker round 63: Word's
// AutoFormat en dashes between a card's groups in a .doc read as controls, so the card was sent).
const CP1252 = { decode: (bytes: Buffer): string => charsets.decode(bytes, 'windows-1252') };

const NONE: Hiding = {};

// The index of the last run starting at or before `fc` (-1 for none).
function lastRunAt(runs: readonly Run[], fc: number): number {
  let lo = 0;
  let hi = runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((runs[mid] as Run).start <= fc) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function u16(b: Buffer, at: number): number | undefined {
  return at + 2 <= b.length ? b.readUInt16LE(at) : undefined;
}

// `length` bytes of `b` from `at`, or undefined when they are not all in it.
function slice(b: Buffer, at: number, length: number): Buffer | undefined {
  return at + length <= b.length ? b.subarray(at, at + length) : undefined;
}
