import { baseChar, glyphChar } from './pdf-encodings.js';
import { norm } from './pdf-layout.js';
import { type Dict, isDict, Keyword, type Lexer, Name, Ref, type Value } from './pdf-lexer.js';
import { lastAtOrBelow, type PdfObjects } from './pdf-objects.js';
import { utf16be } from './utf16be.js';

// A PDF's fonts as the content interpreter (pdf-content.ts) shows text with them: each code's character (from the
// ToUnicode CMap, the encoding or the glyph name) and how far it moves the pen.

/** What a shown string's bytes are: its characters, and what moves the pen (glyph widths in 1/1000 em). */
export interface Glyphs {
  text: string;
  unknown: number;
  width: number;
  /** A vertical font's displacement down the column (w1y, 1/1000 em, negative is down); 0 for others. */
  height: number;
  count: number;
  /** Single-byte code 32, which word spacing widens. */
  spaces: number;
}

export function latin1Glyphs(bytes: Buffer): Glyphs {
  let spaces = 0;
  for (const b of bytes) if (b === 0x20) spaces++;
  return {
    text: bytes.toString('latin1'),
    unknown: 0,
    width: bytes.length * 500,
    height: 0,
    count: bytes.length,
    spaces,
  };
}

interface CodeMap {
  /** Byte lengths of codes, by first byte (from the codespace ranges); 0 where none says. */
  lengths: number[];
  chars: Map<number, string>;
  /** bfrange entries by code length (1 to 4 bytes), each sorted by first code: looked up by binary search. */
  ranges: { lo: number; hi: number; to: Buffer | string[] }[][];
}

/**
 * How a font's codes become characters (its ToUnicode CMap, its encoding, or its glyph names) and how far each
 * moves the pen (its widths: a simple font's /Widths, a CID font's /W and /DW).
 */
export class Font {
  private static count = 0;
  /** Tells fonts apart in a text's style. */
  readonly id = ++Font.count;
  private readonly type0: boolean;
  private readonly toUnicode?: CodeMap;
  /** For a Type0 font whose encoding CMap is UCS-2 or UTF-16: the codes are the characters. */
  private readonly utf16: boolean;
  private readonly simple: (string | undefined)[] = [];
  /**
   * A simple font (not Type3) that a viewer draws by the glyph names of its encoding: one with an /Encoding, or
   * one whose program is not embedded (the standard 14 and system fonts). A digit, space or hyphen so named is
   * drawn whatever the ToUnicode map says of its code.
   */
  private readonly drawnByName: boolean = false;
  private readonly widths: Metrics;
  /** How much larger than the size a glyph is drawn: a Type3 font's own /FontMatrix (others are 1/1000 em). */
  readonly emScale: number;
  /** Written top to bottom (a CID font whose CMap's /WMode is 1, as `Identity-V`): each glyph moves the pen down. */
  readonly vertical: boolean;
  /** A vertical font's glyph displacements (w1y of /W2 and /DW2, in 1/1000 em; negative is down). */
  private readonly heights?: Metrics;

  constructor(dict: Dict, doc: PdfObjects) {
    this.type0 = doc.nameOf(dict.get('Subtype')) === 'Type0';
    const fm = doc.numbers(dict.get('FontMatrix'));
    this.emScale =
      doc.nameOf(dict.get('Subtype')) === 'Type3' && fm.length === 6
        ? 1000 * Math.max(norm(fm[0] as number, fm[1] as number), norm(fm[2] as number, fm[3] as number))
        : 1;
    const tu = dict.get('ToUnicode');
    if (tu instanceof Ref) this.toUnicode = parseCMap(doc.lexer(doc.stream(tu.num)));
    const encoding = doc.resolve(dict.get('Encoding'));
    this.utf16 = this.type0 && encoding instanceof Name && /UCS2|UTF16/.test(encoding.name);
    this.vertical = this.type0 && writesVertically(dict.get('Encoding'), doc);
    if (this.type0) {
      const cid = doc.dict(doc.array(dict.get('DescendantFonts'))?.[0]);
      this.widths = new Metrics(doc, doc.array(cid.get('W')) ?? [], doc.real(cid.get('DW')) ?? 1000);
      if (this.vertical) {
        const missing = doc.real(doc.array(cid.get('DW2'))?.[1]) ?? -1000;
        this.heights = new Metrics(doc, doc.array(cid.get('W2')) ?? [], missing, 3);
      }
      return;
    }
    const widths = doc.array(dict.get('Widths'));
    const first = doc.real(dict.get('FirstChar')) ?? 0;
    // The standard 14 fonts come without widths: an average glyph's.
    const missing = doc.real(doc.dict(dict.get('FontDescriptor')).get('MissingWidth')) ?? (widths ? 0 : 500);
    this.widths = new Metrics(doc, widths ? [first, widths] : [], missing);
    const base =
      encoding instanceof Name
        ? encoding.name
        : isDict(encoding)
          ? doc.nameOf(encoding.get('BaseEncoding'))
          : undefined;
    const descriptor = doc.dict(dict.get('FontDescriptor'));
    const embedded = ['FontFile', 'FontFile2', 'FontFile3'].some((k) => descriptor.get(k) !== undefined);
    // Without an /Encoding a symbolic font (ZapfDingbats, Wingdings: descriptor flag 4) draws by its own built-in
    // encoding, whose codes are not the standard ones.
    const symbolic =
      ((doc.real(descriptor.get('Flags')) ?? 0) & 4) !== 0 ||
      /Dingbats|Wingdings|Webdings/i.test(doc.nameOf(dict.get('BaseFont')) ?? '');
    this.drawnByName =
      doc.nameOf(dict.get('Subtype')) !== 'Type3' &&
      (encoding instanceof Name || isDict(encoding) || (!embedded && !symbolic));
    for (let c = 0; c < 256; c++) this.simple[c] = baseChar(c, base);
    const differences = isDict(encoding) ? doc.array(encoding.get('Differences')) : undefined;
    let code = 0;
    for (const d of differences ?? []) {
      if (typeof d === 'number') code = d;
      else if (d instanceof Name && code < 256) this.simple[code++] = glyphChar(d.name);
    }
  }

  /** How many bytes the code starting with `first` takes (one or more, as the CMap's codespace says). */
  codeLength(first: number): number {
    // A simple font's codes are single bytes, whatever its ToUnicode map's codespace says.
    if (!this.type0) return 1;
    // Under a UCS-2 or UTF-16 CMap the codes are two bytes (a surrogate pair two codes), the map's codespace aside.
    if (this.utf16) return 2;
    return this.toUnicode?.lengths[first] || 2;
  }

  decode(bytes: Buffer): Glyphs {
    let text = '';
    let unknown = 0;
    let width = 0;
    let height = 0;
    let count = 0;
    let spaces = 0;
    const map = this.toUnicode;
    for (let i = 0; i < bytes.length; ) {
      const first = bytes[i] as number;
      const n = this.codeLength(first);
      let code = 0;
      for (let k = 0; k < n; k++) code = code * 256 + (bytes[i + k] ?? 0);
      i += n;
      count++;
      width += this.widths.of(code);
      if (this.heights) height += this.heights.of(code);
      if (n === 1 && code === 0x20) spaces++;
      const mapped = map ? cmapChar(map, code, n) : undefined;
      if (mapped !== undefined) text += this.drawn(code, mapped);
      else if (this.utf16) text += String.fromCharCode(code);
      else if (!this.type0 && this.simple[code] !== undefined) text += this.simple[code];
      // Glyph 0 of a CID font is .notdef, which a PDF maker writes for a character its fonts lack (a box): one
      // shape, not a character the file hides.
      else if (this.type0 && code === 0) text += '\ufffd';
      else unknown++;
    }
    return { text, unknown, width, height, count, spaces };
  }

  /**
   * A code's character when its ToUnicode map says `mapped`: the digit, space or hyphen a simple font's encoding
   * names where the viewer draws by that name (the map hides a card the page shows: `<34> <0078>` under WinAnsi
   * draws Helvetica's `four`), or the code itself under a UCS-2 or UTF-16 CMap; else the map's.
   */
  private drawn(code: number, mapped: string): string {
    const named = this.utf16
      ? String.fromCharCode(code)
      : this.drawnByName && code <= 0xff
        ? this.simple[code]
        : undefined;
    return named !== undefined && named !== mapped && CARD_GLYPH.test(named) ? named : mapped;
  }
}

// What a card is drawn with: a ToUnicode map that says otherwise of such a glyph's code does not change the page.
const CARD_GLYPH = /^[0-9 -]$/;

/**
 * A Type0 font's encoding CMap writes top to bottom: a predefined CMap named `…-V`, or an embedded one whose
 * dictionary or program sets `/WMode 1` or that uses such a CMap (viewers read the program as well).
 */
function writesVertically(encoding: Value | undefined, doc: PdfObjects): boolean {
  const cmap = doc.resolve(encoding);
  if (cmap instanceof Name) return /-V$/.test(cmap.name);
  if (!isDict(cmap)) return false;
  if (doc.real(cmap.get('WMode')) === 1 || /-V$/.test(doc.nameOf(cmap.get('UseCMap')) ?? '')) return true;
  if (!(encoding instanceof Ref)) return false;
  const program = doc.stream(encoding.num).toString('latin1');
  return /\/WMode\s+1\b/.test(program) || /\/[\w.-]*-V\s+usecmap/.test(program);
}

/**
 * A font's metric by code: a CID font's glyph widths (/W, one number a code) or vertical displacements (/W2, three
 * numbers a code, w1y first), written `c [v …]` for the codes from c or `c1 c2 v …` for a run, or a simple font's
 * /Widths from /FirstChar (`[first widths]`); `missing` for any other code.
 */
class Metrics {
  private readonly codes = new Map<number, number>();
  /** Runs by first code (never expanded). */
  private readonly runs: { lo: number; hi: number; v: number }[] = [];

  constructor(
    doc: PdfObjects,
    entries: Value[],
    private readonly missing: number,
    perCode = 1,
  ) {
    for (let i = 0; i < entries.length; ) {
      const lo = doc.real(entries[i]);
      const next = doc.resolve(entries[i + 1]);
      if (lo === undefined) break;
      if (Array.isArray(next)) {
        for (let k = 0; k * perCode < next.length; k++)
          this.codes.set(lo + k, doc.real(next[k * perCode]) ?? 0);
        i += 2;
      } else {
        const hi = doc.real(next);
        const v = doc.real(entries[i + 2]);
        if (hi === undefined || v === undefined) break;
        this.runs.push({ lo, hi, v });
        i += 2 + perCode;
      }
    }
    this.runs.sort((a, b) => a.lo - b.lo);
  }

  of(code: number): number {
    const v = this.codes.get(code);
    if (v !== undefined) return v;
    const run = this.runs[lastAtOrBelow(this.runs, code)];
    return run && code <= run.hi ? run.v : this.missing;
  }
}

function cmapChar(map: CodeMap, code: number, bytes: number): string | undefined {
  const direct = map.chars.get(code * 8 + bytes);
  if (direct !== undefined) return direct;
  const ranges = map.ranges[bytes] ?? [];
  const r = ranges[lastAtOrBelow(ranges, code)];
  if (!r || code > r.hi) return undefined;
  if (Array.isArray(r.to)) return r.to[code - r.lo];
  // The destination's last byte counts up through the range.
  const to = Buffer.from(r.to);
  to[to.length - 1] = ((to[to.length - 1] as number) + code - r.lo) & 0xff;
  return utf16be(to);
}

/** A ToUnicode CMap's codespace ranges, bfchar and bfrange entries (ranges kept as ranges: never expanded). */
function parseCMap(lexer: Lexer): CodeMap {
  const map: CodeMap = { lengths: new Array(256).fill(0), chars: new Map(), ranges: [[], [], [], [], []] };
  const stack: Value[] = [];
  for (;;) {
    const v = lexer.value();
    if (v === undefined) break;
    if (!(v instanceof Keyword)) {
      stack.push(v);
      continue;
    }
    if (v.word === 'endcodespacerange')
      for (let i = 0; i + 1 < stack.length; i += 2) {
        const lo = stack[i];
        const hi = stack[i + 1];
        if (lo instanceof Buffer && hi instanceof Buffer && lo.length > 0)
          for (let b = lo[0] as number; b <= (hi[0] as number); b++) map.lengths[b] = lo.length;
      }
    else if (v.word === 'endbfchar')
      for (let i = 0; i + 1 < stack.length; i += 2) {
        const code = stack[i];
        const to = stack[i + 1];
        if (code instanceof Buffer && code.length > 0 && code.length <= 4)
          map.chars.set(
            code.readUIntBE(0, code.length) * 8 + code.length,
            to instanceof Buffer ? utf16be(to) : to instanceof Name ? (glyphChar(to.name) ?? '') : '',
          );
      }
    else if (v.word === 'endbfrange')
      for (let i = 0; i + 2 < stack.length; i += 3) {
        const lo = stack[i];
        const hi = stack[i + 1];
        const to = stack[i + 2];
        if (
          !(lo instanceof Buffer && hi instanceof Buffer) ||
          lo.length === 0 ||
          lo.length > 4 ||
          hi.length !== lo.length
        )
          continue;
        const range = { lo: lo.readUIntBE(0, lo.length), hi: hi.readUIntBE(0, hi.length) };
        const byLength = map.ranges[lo.length] as CodeMap['ranges'][number];
        if (to instanceof Buffer && to.length > 0) byLength.push({ ...range, to });
        else if (Array.isArray(to))
          byLength.push({ ...range, to: to.map((t) => (t instanceof Buffer ? utf16be(t) : '')) });
      }
    // Where the map names no codespace, codes are as long as its entries' (bfchar and bfrange codes).
    if (v.word === 'endbfchar' || v.word === 'endbfrange')
      for (const item of stack)
        if (item instanceof Buffer && item.length > 0 && map.lengths[item[0] as number] === 0)
          map.lengths[item[0] as number] = item.length;
    stack.length = 0;
  }
  for (const ranges of map.ranges) ranges.sort((a, b) => a.lo - b.lo);
  return map;
}
