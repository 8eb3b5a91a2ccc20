// The cross-reference chain as viewers follow it: the last `startxref`, then each section (a classic `xref`
// table with its trailer, or a cross-reference stream), then its /Prev (and a hybrid file's /XRefStm), newer
// sections winning per object number. What viewers show is what this chain names; a scan of the file for
// `N G obj` finds copies (after %%EOF, unlisted, another generation) that they never show. Bounded: sections,
// rows, bytes lexed; a broken chain is reported, never followed by guessing.

import { isPdfDelimiter, isPdfSpace } from './pdf-bytes.js';
import { unpng } from './pdf-predictor.js';

/** Where the chain says an object is: at a byte offset, inside an object stream, or nowhere (free). */
export type XrefEntry =
  | {
      kind: 'offset';
      /** The position in `pdf` (the file's offset plus any bytes before `%PDF-`, as viewers count). */
      offset: number;
      gen: number;
    }
  | {
      kind: 'compressed';
      /** The object stream's object number. */
      stream: number;
      /** The object's place among the stream's objects (0 for the first pair of its header). */
      index: number;
    }
  | { kind: 'free' };

/** What {@link readXrefChain} read. */
export interface XrefChain {
  /** Per object number, the entry of the newest section that lists it (a free entry hides older ones). */
  entries: Map<number, XrefEntry>;
  /**
   * Where each section's trailer dictionary starts (its `<<`: a table's `trailer << … >>`, a cross-reference
   * stream's own dictionary), newest first, for the caller to lex. A hybrid file's /XRefStm stream is not one.
   */
  trailers: number[];
  /** Where each section read starts (`xref`, or the stream's `N G obj`), newest first. */
  sections: number[];
  /**
   * Why the chain stops short. Then `entries` and `trailers` hold only the sections read before the broken one:
   * none when it was the newest (`sections` is empty), and viewers rebuild the table by scanning the file.
   */
  problem?: string;
}

/** Most sections (tables and streams) followed in one file. */
export const MAX_XREF_SECTIONS = 1000;
const MAX_NESTING = 32;
// A classic row is at least `0 0 n` and an end of line.
const MIN_ROW = 6;

class Broken extends Error {}

/**
 * Reads a PDF's cross-reference chain. `inflate` decodes a cross-reference stream's FlateDecode data (bound it:
 * it may throw, which is reported as a problem). Never throws; linear in the file's size.
 *
 * As pdf.js reads a file that is not broken: offsets count from `%PDF-`; an offset may be followed by white
 * space and comments before `xref` or `N G obj`, nothing else (no search nearby); table rows are read as tokens
 * (any end of line, 19- to 21-byte rows); a subsection numbered from 1 whose first row is free starts at 0; a
 * cross-reference stream needs no /Type. A hybrid table's /XRefStm fills the objects the table lists as free or
 * does not list (ISO 32000 §7.5.8.4; pdf.js lets the table's free rows win), and its own /Prev is followed after the
 * table's (pdf.js queues it so); a /XRefStm that cannot be read adds nothing. The chain may also start at a given
 * section (a linearized file's first-page table).
 * A section that cannot be read (not `xref` nor a stream there, a malformed row, an offset past the end, a
 * filter other than FlateDecode) stops the chain with a `problem`: a viewer then rebuilds the table by scanning.
 *
 * @example
 * ```ts
 * const chain = readXrefChain(pdf, (data) => inflateSync(data, { maxOutputLength: 64 << 20 }));
 * if (chain.sections.length > 0) for (const [num, entry] of chain.entries) if (entry.kind === 'offset') use(num, entry.offset);
 * ```
 */
export function readXrefChain(pdf: Buffer, inflate: (data: Buffer) => Buffer, start?: number): XrefChain {
  const chain: XrefChain = { entries: new Map(), trailers: [], sections: [] };
  const reader = new XrefReader(pdf, inflate);
  try {
    reader.follow(chain, start);
  } catch (error) {
    chain.problem = error instanceof Broken ? error.message : `not read (${(error as Error).message})`;
  }
  return chain;
}

// --- Bytes and values -------------------------------------------------------------------------------------

const isSpace = isPdfSpace;
const isDelimiter = isPdfDelimiter;
const isDigit = (b: number | undefined) => b !== undefined && b >= 0x30 && b <= 0x39;

class XName {
  constructor(readonly name: string) {}
}
const REF = Symbol('reference');
const OTHER = Symbol('other');
type XValue = number | XName | XValue[] | Map<string, XValue> | typeof REF | typeof OTHER;

const intOf = (v: XValue | undefined): number | undefined =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;

interface Section {
  entries: Map<number, XrefEntry>;
  trailer: number;
  dict: Map<string, XValue>;
}

class XrefReader {
  /** The position of `%PDF-`: viewers count offsets from it. */
  private readonly base: number;
  private work = 0;
  private readonly budget: number;
  private rows = 0;

  constructor(
    private readonly pdf: Buffer,
    private readonly inflate: (data: Buffer) => Buffer,
  ) {
    const header = pdf.subarray(0, 1024).indexOf('%PDF-', 0, 'latin1');
    this.base = Math.max(header, 0);
    this.budget = 2 * pdf.length + (1 << 20);
  }

  /** From the section at `first` (default: the last startxref's), following /Prev, and /XRefStm streams' /Prev. */
  follow(chain: XrefChain, first?: number): void {
    const pdf = this.pdf;
    let start = first;
    if (start === undefined) {
      const at = pdf.lastIndexOf('startxref', pdf.length, 'latin1');
      if (at < 0) throw new Broken('no startxref');
      let p = at + 9;
      while (isSpace(pdf[p])) p++;
      start = this.digits(p)?.value;
      if (start === undefined) throw new Broken('startxref is not followed by an offset');
    }
    const visited = new Set<number>();
    // Sections in the order pdf.js reads them: each /Prev after the ones already queued (a hybrid table's
    // stream's own /Prev after the table's).
    const queue: { at: number; from: string }[] = [{ at: start, from: 'startxref' }];
    for (let item = queue.shift(); item; item = queue.shift()) {
      const next = item.at;
      if (visited.has(next)) continue;
      if (chain.sections.length >= MAX_XREF_SECTIONS)
        throw new Broken(`more than ${MAX_XREF_SECTIONS} cross-reference sections`);
      visited.add(next);
      const section = this.section(next, item.from, 'any');
      const hidden = section.stream ? undefined : intOf(section.dict.get('XRefStm'));
      let hiddenPrev: number | undefined;
      if (hidden !== undefined && !visited.has(hidden)) {
        visited.add(hidden);
        // The table's objects in use win; the stream's fill those the table lists as free or does not list. A
        // stream that cannot be read adds nothing (the table is read as viewers read it).
        try {
          const extra = this.section(hidden, `/XRefStm of the section at ${next}`, 'stream');
          for (const [num, entry] of extra.entries)
            if ((section.entries.get(num)?.kind ?? 'free') === 'free') section.entries.set(num, entry);
          hiddenPrev = intOf(extra.dict.get('Prev'));
        } catch (error) {
          if (!(error instanceof Broken)) throw error;
        }
      }
      for (const [num, entry] of section.entries) if (!chain.entries.has(num)) chain.entries.set(num, entry);
      chain.trailers.push(section.trailer);
      chain.sections.push(section.at);
      const prev = intOf(section.dict.get('Prev'));
      if (prev !== undefined) queue.push({ at: prev, from: `/Prev of the section at ${next}` });
      if (hiddenPrev !== undefined)
        queue.push({ at: hiddenPrev, from: `/Prev of the /XRefStm of the section at ${next}` });
    }
  }

  private section(
    offset: number,
    from: string,
    want: 'any' | 'stream',
  ): Section & { at: number; stream: boolean } {
    const at = this.base + offset;
    if (at >= this.pdf.length) throw new Broken(`${from} points past the end of the file (${offset})`);
    const p = this.skip(at);
    const where = `${from} (${offset})`;
    if (want === 'any' && this.keywordAt(p, 'xref'))
      return { ...this.table(p + 4, where), at: p, stream: false };
    if (isDigit(this.pdf[p])) return { ...this.stream(p, where), at: p, stream: true };
    throw new Broken(
      `${where} points at neither ${want === 'any' ? '"xref" nor ' : ''}a cross-reference stream`,
    );
  }

  private table(start: number, from: string): Section {
    const pdf = this.pdf;
    const entries = new Map<number, XrefEntry>();
    const where = `the cross-reference table at ${from}`;
    let p = this.skip(start);
    while (!this.keywordAt(p, 'trailer')) {
      const first = this.digits(p);
      const count = first && this.digits(this.skip(first.end));
      if (!first || !count) throw new Broken(`${where} has a malformed subsection header`);
      p = count.end;
      const left = pdf.length - p;
      if (count.value * MIN_ROW > left)
        throw new Broken(`${where} claims ${count.value} rows, more than the ${left} bytes left can hold`);
      let firstNum = first.value;
      for (let i = 0; i < count.value; i++) {
        const off = this.digits(this.skip(p));
        const gen = off && this.digits(this.skip(off.end));
        const typeAt = gen ? this.skip(gen.end) : -1;
        const type = pdf[typeAt];
        if (
          !gen ||
          (type !== 0x6e && type !== 0x66) ||
          !(typeAt + 1 >= pdf.length || isSpace(pdf[typeAt + 1]))
        )
          throw new Broken(`${where} has a malformed row (${firstNum + i})`);
        p = typeAt + 1;
        // A subsection written as starting at 1 whose first row is free means object 0 (pdf.js reads it so).
        if (i === 0 && type === 0x66 && firstNum === 1) firstNum = 0;
        const num = firstNum + i;
        if (entries.has(num)) continue;
        if (type === 0x66) entries.set(num, { kind: 'free' });
        else {
          if (num === 0) throw new Broken(`${where} lists object 0 as in use`);
          entries.set(num, { kind: 'offset', offset: this.inFile(off.value, where, num), gen: gen.value });
        }
      }
      p = this.skip(p);
    }
    const dictAt = this.skip(p + 7);
    const dict = this.dictAt(dictAt);
    if (!dict) throw new Broken(`${where} has no trailer dictionary`);
    return { entries, trailer: dictAt, dict };
  }

  private stream(start: number, from: string): Section {
    const pdf = this.pdf;
    const where = `the cross-reference stream at ${from}`;
    const num = this.digits(start);
    const gen = num && this.digits(this.skip(num.end));
    const objAt = gen ? this.skip(gen.end) : -1;
    if (!gen || !this.keywordAt(objAt, 'obj')) throw new Broken(`${where} is not an object`);
    const dictAt = this.skip(objAt + 3);
    const dict = this.dictAt(dictAt);
    if (!dict) throw new Broken(`${where} has no dictionary`);
    let p = this.skip(this.valueEnd);
    if (!this.keywordAt(p, 'stream')) throw new Broken(`${where} is not a stream`);
    // After `stream`, the data starts on the next line.
    p += 6;
    while (p < pdf.length && pdf[p] !== 0x0a && pdf[p] !== 0x0d) p++;
    if (pdf[p] === 0x0d) p++;
    if (pdf[p] === 0x0a) p++;
    this.spend(start, p);
    const data = this.decode(pdf.subarray(p, this.dataEnd(p, intOf(dict.get('Length')))), dict, where);

    const w = dict.get('W');
    const widths = Array.isArray(w) ? w.map(intOf) : [];
    if (widths.length !== 3 || widths.some((x) => x === undefined || x > 8))
      throw new Broken(`${where} has no valid /W`);
    const [wType, wField2, wField3] = widths as [number, number, number];
    const rowWidth = wType + wField2 + wField3;
    const index = dict.get('Index') ?? [0, dict.get('Size') ?? OTHER];
    const ranges = Array.isArray(index) ? index.map(intOf) : [];
    if (ranges.length % 2 !== 0 || ranges.some((x) => x === undefined))
      throw new Broken(`${where} has no valid /Index or /Size`);
    let claimed = 0;
    for (let i = 1; i < ranges.length; i += 2) claimed += ranges[i] as number;
    if (claimed > 0 && rowWidth === 0) throw new Broken(`${where} has rows of no bytes (/W [0 0 0])`);
    if (claimed * rowWidth > data.length)
      throw new Broken(
        `${where} claims ${claimed} rows of ${rowWidth} bytes, more than its ${data.length} hold`,
      );
    this.rows += claimed;
    if (this.rows > pdf.length) throw new Broken(`more cross-reference rows than the file has bytes`);

    const entries = new Map<number, XrefEntry>();
    let q = 0;
    const field = (width: number): number => {
      let v = 0;
      for (let k = 0; k < width; k++) v = v * 256 + (data[q++] as number);
      return v;
    };
    for (let r = 0; r < ranges.length; r += 2) {
      const first = ranges[r] as number;
      const count = ranges[r + 1] as number;
      for (let i = 0; i < count; i++) {
        const type = wType === 0 ? 1 : field(wType);
        const f2 = field(wField2);
        const f3 = field(wField3);
        const objNum = first + i;
        if (entries.has(objNum)) continue;
        // Types other than 1 and 2 are references to null (ISO 32000 §7.5.8.3).
        if (type === 1)
          entries.set(objNum, { kind: 'offset', offset: this.inFile(f2, where, objNum), gen: f3 });
        else if (type === 2) entries.set(objNum, { kind: 'compressed', stream: f2, index: f3 });
        else entries.set(objNum, { kind: 'free' });
      }
    }
    return { entries, trailer: dictAt, dict };
  }

  /** Where a stream's data ends: at /Length when `endstream` follows it, else before the next `endstream`. */
  private dataEnd(start: number, length: number | undefined): number {
    const pdf = this.pdf;
    if (length !== undefined && start + length <= pdf.length) {
      const after = this.skip(start + length);
      if (this.keywordAt(after, 'endstream')) return start + length;
    }
    const found = pdf.indexOf('endstream', start, 'latin1');
    const end = found < 0 ? pdf.length : found;
    this.spend(start, end);
    let e = end;
    if (pdf[e - 1] === 0x0a) e--;
    if (pdf[e - 1] === 0x0d) e--;
    return Math.max(start, e);
  }

  private decode(raw: Buffer, dict: Map<string, XValue>, where: string): Buffer {
    const filter = dict.get('Filter');
    const filters = Array.isArray(filter) ? filter : filter === undefined ? [] : [filter];
    if (filters.length === 0) return raw;
    const name = filters[0] instanceof XName ? filters[0].name : '?';
    if (filters.length > 1 || name !== 'FlateDecode')
      throw new Broken(`${where} is filtered with ${filters.length > 1 ? 'several filters' : `/${name}`}`);
    let data: Buffer;
    try {
      data = this.inflate(raw);
    } catch (error) {
      throw new Broken(`${where} cannot be inflated (${(error as Error).message})`);
    }
    const parms = dict.get('DecodeParms');
    const p = Array.isArray(parms) ? parms[0] : parms;
    if (!(p instanceof Map)) return data;
    return unpredict(data, p, where);
  }

  /** A byte offset from the file (counted from `%PDF-`) as a position in `pdf`; out of the file is broken. */
  private inFile(offset: number, where: string, num: number): number {
    const at = this.base + offset;
    if (at >= this.pdf.length) throw new Broken(`${where} puts object ${num} past the end of the file`);
    return at;
  }

  /** Counts bytes looked at; past twice the file's size (a chain lexing the same bytes again) is broken. */
  private spend(from: number, to: number): void {
    this.work += Math.max(0, to - from);
    if (this.work > this.budget) throw new Broken(`cross-reference chain read over ${this.budget} bytes`);
  }

  /** The position after white space and comments from `p`. */
  private skip(p: number): number {
    const pdf = this.pdf;
    const start = p;
    while (p < pdf.length) {
      const c = pdf[p];
      if (isSpace(c)) p++;
      else if (c === 0x25) while (p < pdf.length && pdf[p] !== 0x0a && pdf[p] !== 0x0d) p++;
      else break;
    }
    this.spend(start, p);
    return p;
  }

  private keywordAt(p: number, word: string): boolean {
    const end = p + word.length;
    return (
      end <= this.pdf.length &&
      this.pdf.toString('latin1', p, end) === word &&
      (end === this.pdf.length || isSpace(this.pdf[end]) || isDelimiter(this.pdf[end]))
    );
  }

  /** An unsigned integer of at most 15 digits at `p`, ending at white space, a delimiter or the end. */
  private digits(p: number): { value: number; end: number } | undefined {
    const pdf = this.pdf;
    let end = p;
    while (isDigit(pdf[end]) && end - p <= 15) end++;
    if (end === p || end - p > 15 || !(end >= pdf.length || isSpace(pdf[end]) || isDelimiter(pdf[end])))
      return undefined;
    this.spend(p, end);
    return { value: Number(pdf.toString('latin1', p, end)), end };
  }

  private valueEnd = 0;

  /** The dictionary at `p` (its keys at every level; values this reader has no use for kept as OTHER). */
  private dictAt(p: number): Map<string, XValue> | undefined {
    if (this.pdf[p] !== 0x3c || this.pdf[p + 1] !== 0x3c) return undefined;
    this.valueEnd = p;
    const v = this.value(0);
    return v instanceof Map ? v : undefined;
  }

  /** The value at `valueEnd`, leaving `valueEnd` after it. */
  private value(depth: number): XValue | undefined {
    if (depth > MAX_NESTING) throw new Broken(`values nested more than ${MAX_NESTING} deep`);
    const pdf = this.pdf;
    let p = this.skip(this.valueEnd);
    if (p >= pdf.length) throw new Broken('the file ends inside a dictionary');
    const c = pdf[p] as number;
    const start = p;
    let result: XValue | undefined = OTHER;
    if (c === 0x3c && pdf[p + 1] === 0x3c) {
      this.valueEnd = p + 2;
      const dict = new Map<string, XValue>();
      for (;;) {
        const at = this.skip(this.valueEnd);
        if (pdf[at] === 0x3e && pdf[at + 1] === 0x3e) {
          this.valueEnd = at + 2;
          return dict;
        }
        const key = this.value(depth + 1);
        if (key === undefined) return dict; // unbalanced `]` or `>`: the dictionary ends, as viewers recover
        if (!(key instanceof XName)) continue;
        const v = this.value(depth + 1);
        if (v === undefined) return dict;
        dict.set(key.name, v);
      }
    }
    if (c === 0x5b) {
      this.valueEnd = p + 1;
      const items: XValue[] = [];
      for (;;) {
        const at = this.skip(this.valueEnd);
        if (pdf[at] === 0x5d) {
          this.valueEnd = at + 1;
          return items;
        }
        const v = this.value(depth + 1);
        if (v === undefined) return items;
        items.push(v);
      }
    }
    if (c === 0x5d || c === 0x3e) {
      // Ends a container, which the caller notices: not a value.
      this.valueEnd = p;
      return undefined;
    }
    if (c === 0x28) p = this.literalEnd(p);
    else if (c === 0x3c) {
      const close = pdf.indexOf(0x3e, p);
      p = close < 0 ? pdf.length : close + 1;
    } else if (c === 0x2f) {
      p++;
      while (p < pdf.length && !isSpace(pdf[p]) && !isDelimiter(pdf[p])) p++;
      const raw = pdf.toString('latin1', start + 1, p);
      result = new XName(
        raw.includes('#')
          ? raw.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
          : raw,
      );
    } else if (isDelimiter(c)) p++;
    else {
      while (p < pdf.length && !isSpace(pdf[p]) && !isDelimiter(pdf[p])) p++;
      const word = pdf.toString('latin1', start, Math.min(p, start + 32));
      if (/^[+-]?(?:\d+\.?\d*|\.\d+)$/.test(word) && p - start <= 32) {
        result = Number(word);
        // `num gen R`: a reference, not a number.
        const gen = /^\d+$/.test(word) ? this.digits(this.skip(p)) : undefined;
        const r = gen ? this.skip(gen.end) : -1;
        if (
          gen &&
          pdf[r] === 0x52 &&
          (r + 1 >= pdf.length || isSpace(pdf[r + 1]) || isDelimiter(pdf[r + 1]))
        ) {
          result = REF;
          p = r + 1;
        }
      }
    }
    this.spend(start, p);
    this.valueEnd = p;
    return result;
  }

  /** The position after the literal string at `p` (nested parentheses, escapes). */
  private literalEnd(p: number): number {
    const pdf = this.pdf;
    let depth = 0;
    while (p < pdf.length) {
      const c = pdf[p++];
      if (c === 0x5c) p++;
      else if (c === 0x28) depth++;
      else if (c === 0x29 && --depth === 0) break;
    }
    return Math.min(p, pdf.length);
  }
}

/** PNG predictors (10–15) undone, as cross-reference streams are commonly written (/Predictor 12). */
function unpredict(data: Buffer, parms: Map<string, XValue>, where: string): Buffer {
  const predictor = intOf(parms.get('Predictor')) ?? 1;
  if (predictor <= 1) return data;
  const colors = intOf(parms.get('Colors')) ?? 1;
  const bits = intOf(parms.get('BitsPerComponent')) ?? 8;
  const columns = intOf(parms.get('Columns')) ?? 1;
  if (
    predictor < 10 ||
    predictor > 15 ||
    colors < 1 ||
    colors > 32 ||
    ![1, 2, 4, 8, 16].includes(bits) ||
    columns < 1
  )
    throw new Broken(`${where} has a predictor not read (/Predictor ${predictor})`);
  try {
    return unpng(data, { columns, colors, bits });
  } catch (error) {
    throw new Broken(`${where} has ${(error as Error).message}`);
  }
}
