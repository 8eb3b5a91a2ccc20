import { inflateSync, constants as zlib } from 'node:zlib';
import { hasPdfHeader } from './binary-text.js';
import { isPdfDelimiter, isPdfSpace } from './pdf-bytes.js';
import {
  emptyPasswordDecryptor,
  PdfDecryptError,
  type PdfDecryptor,
  type PdfEncryption,
} from './pdf-decrypt.js';
import {
  IDENTITY,
  MAX_PDF_PIECES,
  type Matrix,
  multiply,
  norm,
  Shown,
  type Visibility,
} from './pdf-layout.js';
import { unpng } from './pdf-predictor.js';
import { PdfProblem } from './pdf-problem.js';
import { readXrefChain } from './pdf-xref.js';
import { NO_DEADLINE, type ReadingDeadline, ReadingTimeUp, TIME_RAN_OUT } from './reading-deadline.js';

// The text a reader of a PDF sees: what the text-showing operators of its pages' content streams (and the forms
// they draw) show, each glyph turned into its character by the font's ToUnicode CMap, encoding or glyph names;
// form fields' values and annotations' contents. Objects are found by scanning the file (as viewers recover a
// damaged one), so a broken or cyclic cross-reference chain is never followed. Bounded: bytes decoded, bytes
// interpreted, objects, pages and nesting; past a bound, or for what cannot be decided (a glyph with no known
// character, a filter not read), the reading says why instead of answering with part of the text.

/** What {@link pdfText} read. */
export interface PdfReading {
  /** The pages' text (one entry a page), then form fields' values and annotations' contents. */
  texts: string[];
  /** True when the file is encrypted (/Encrypt): its content is not read. */
  encrypted: boolean;
  /** Why the text is not known (a bound, a damaged file, a glyph with no known character); absent when read whole. */
  unread?: string;
  /** Bytes decoded (streams inflated), counted against the caller's budget. */
  bytes: number;
  /**
   * The files embedded in it (its attachments pane, file-attachment notes: any stream a file specification's
   * /EF names, or typed /EmbeddedFile), for the caller to read as attached files are.
   */
  files: { name: string; bytes: Buffer }[];
}

export { MAX_PDF_PIECES };

/** Most objects looked at in one PDF. */
export const MAX_PDF_OBJECTS = 200_000;
/** Most pages read in one PDF; past it the PDF is unread. */
export const MAX_PDF_PAGES = 10_000;
// Forms drawn inside forms, containers inside containers, references to references: deeper is unread.
const MAX_NESTING = 32;

/**
 * Reads a PDF's visible text, decoding at most `maxBytes` (streams inflated, and content interpreted: a form
 * drawn on every page counts each time), and stopping at `deadline` (the reading is synchronous: no timer can
 * stop it). Never throws: what it cannot read is in `unread`.
 *
 * @example
 * ```ts
 * const { texts, encrypted, unread } = pdfText(readFileSync('statement.pdf'), 10 * 1024 * 1024);
 * ```
 */
export function pdfText(pdf: Buffer, maxBytes: number, deadline: ReadingDeadline = NO_DEADLINE): PdfReading {
  const doc = new PdfDocument(pdf, maxBytes, deadline);
  const reading: PdfReading = { texts: [], encrypted: false, bytes: 0, files: [] };
  try {
    doc.scan();
    if (!doc.encrypted) doc.viewChain();
    if (doc.encrypted) reading.encrypted = true;
    else {
      reading.texts = doc.read();
      reading.files = doc.embeddedFiles();
    }
  } catch (error) {
    reading.unread =
      error instanceof PdfProblem || error instanceof ReadingTimeUp
        ? error.message
        : `not read (${(error as Error).message})`;
  }
  // Interpreting content costs more than decoding it (3–4 MB/s against ~100 MB/s inflating, measured on a
  // 2-core EPYC): charged three times to the caller's budget, so a message's PDFs together interpret at most a
  // third of it (real documents are far below: Debian's 60-page libtasn1 manual is charged 1.2 MB).
  reading.bytes = doc.decoded + 3 * doc.interpreted;
  // Whatever caught the deadline's throw on the way, a reading it cut short is not the whole text.
  if (deadline.expired)
    Object.assign(reading, { unread: TIME_RAN_OUT, encrypted: false, texts: [], files: [] });
  if (reading.unread === undefined && doc.unknownGlyphs > 0)
    reading.unread = `${doc.unknownGlyphs} glyphs whose characters the file does not say (no ToUnicode map)`;
  return reading;
}

// --- Values and the lexer -----------------------------------------------------------------------------------

class Name {
  constructor(readonly name: string) {}
}
class Ref {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}
class Keyword {
  constructor(readonly word: string) {}
}
type Dict = Map<string, Value>;
type Value = null | boolean | number | string | Name | Ref | Buffer | Value[] | Dict | Keyword;

const isDict = (v: Value | undefined): v is Dict => v instanceof Map;
const isSpace = isPdfSpace;
const isDelimiter = isPdfDelimiter;

const ARRAY_END = new Keyword(']');
const DICT_END = new Keyword('>>');

/** Reads PDF values from bytes: objects' bodies, content streams, CMaps. */
class Lexer {
  pos: number;
  constructor(
    readonly b: Buffer,
    start = 0,
    readonly end = b.length,
    // Every value lexed is a step: scanning, object streams, content and CMaps all stop at the deadline.
    private readonly deadline: ReadingDeadline = NO_DEADLINE,
  ) {
    this.pos = start;
  }

  skip(): void {
    const b = this.b;
    while (this.pos < this.end) {
      const c = b[this.pos] as number;
      if (isSpace(c)) this.pos++;
      else if (c === 0x25) {
        while (this.pos < this.end && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      } else break;
    }
  }

  /** The next value or keyword; undefined at the end. Arrays and dictionaries nest at most {@link MAX_NESTING}. */
  value(depth = 0): Value | undefined {
    if (depth > MAX_NESTING) throw new PdfProblem(`values nested more than ${MAX_NESTING} deep`);
    this.deadline.step();
    this.skip();
    if (this.pos >= this.end) return undefined;
    const b = this.b;
    const c = b[this.pos] as number;
    if (c === 0x28) return this.literal();
    if (c === 0x2f) return new Name(this.regular(this.pos + 1));
    if (c === 0x5b) {
      this.pos++;
      return this.items(depth, ARRAY_END);
    }
    if (c === 0x5d) {
      this.pos++;
      return ARRAY_END;
    }
    if (c === 0x3c && b[this.pos + 1] === 0x3c) {
      this.pos += 2;
      const items = this.items(depth, DICT_END);
      const dict: Dict = new Map();
      // A name, then its value; a stray token where a name should be is skipped, as viewers' parsers do, so it
      // does not shift every later key onto the wrong value.
      for (let i = 0; i + 1 < items.length; ) {
        const key = items[i];
        if (!(key instanceof Name)) {
          i++;
          continue;
        }
        dict.set(key.name, items[i + 1] ?? null);
        i += 2;
      }
      return dict;
    }
    if (c === 0x3e && b[this.pos + 1] === 0x3e) {
      this.pos += 2;
      return DICT_END;
    }
    if (c === 0x3c) return this.hex();
    if (c === 0x3e || c === 0x29 || c === 0x7b || c === 0x7d) {
      this.pos++;
      return new Keyword(String.fromCharCode(c));
    }
    const word = this.regular(this.pos);
    if (/^[+-]?(?:\d+\.?\d*|\.\d+)$/.test(word)) {
      const n = Number(word);
      // `num gen R`: a reference.
      if (/^\d+$/.test(word)) {
        const save = this.pos;
        this.skip();
        const gen = /^\d+/.exec(this.b.toString('latin1', this.pos, Math.min(this.end, this.pos + 12)))?.[0];
        if (gen) {
          this.pos += gen.length;
          this.skip();
          if (
            this.b[this.pos] === 0x52 &&
            (this.pos + 1 >= this.end ||
              isSpace(this.b[this.pos + 1] as number) ||
              isDelimiter(this.b[this.pos + 1] as number))
          ) {
            this.pos++;
            return new Ref(n, Number(gen));
          }
        }
        this.pos = save;
      }
      return n;
    }
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (word === '') {
      this.pos++; // a byte no token starts with
      return new Keyword('');
    }
    return new Keyword(word);
  }

  private items(depth: number, close: Keyword): Value[] {
    const items: Value[] = [];
    for (;;) {
      const v = this.value(depth + 1);
      if (v === undefined || v === close) return items;
      if (v === ARRAY_END || v === DICT_END) return items; // unbalanced: ends here, as viewers recover
      items.push(v);
    }
  }

  private regular(start: number): string {
    let i = start;
    while (i < this.end && !isSpace(this.b[i] as number) && !isDelimiter(this.b[i] as number)) i++;
    this.pos = i;
    const raw = this.b.toString('latin1', start, i);
    return raw.includes('#')
      ? raw.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
      : raw;
  }

  private hex(): Buffer {
    const close = this.b.indexOf(0x3e, this.pos);
    const end = close < 0 || close > this.end ? this.end : close;
    let digits = this.b.toString('latin1', this.pos + 1, end).replace(/[^0-9a-fA-F]/g, '');
    if (digits.length % 2 === 1) digits += '0';
    this.pos = end + 1;
    return Buffer.from(digits, 'hex');
  }

  private literal(): Buffer {
    const b = this.b;
    const out: number[] = [];
    let depth = 1;
    let i = this.pos + 1;
    while (i < this.end) {
      const c = b[i++] as number;
      if (c === 0x28) depth++;
      else if (c === 0x29 && --depth === 0) break;
      if (c !== 0x5c) {
        out.push(c);
        continue;
      }
      const e = b[i++] as number;
      const simple = ESCAPES[e];
      if (simple !== undefined) out.push(simple);
      else if (e >= 0x30 && e <= 0x37) {
        let v = e - 0x30;
        for (let k = 0; k < 2 && (b[i] as number) >= 0x30 && (b[i] as number) <= 0x37; k++)
          v = v * 8 + ((b[i++] as number) - 0x30);
        out.push(v & 0xff);
      } else if (e === 0x0d) {
        if (b[i] === 0x0a) i++;
      } else if (e !== 0x0a) out.push(e);
    }
    this.pos = i;
    return Buffer.from(out);
  }
}

const ESCAPES: Record<number, number> = {
  110: 0x0a,
  114: 0x0d,
  116: 0x09,
  98: 0x08,
  102: 0x0c,
  40: 0x28,
  41: 0x29,
  92: 0x5c,
};

// --- The document -------------------------------------------------------------------------------------------

interface Entry {
  /** Where it was defined (a later definition wins, as an incremental update's does). */
  at: number;
  value: Value;
  /** A stream's raw bytes. */
  raw?: Buffer;
  /** Its generation number, which an encrypted file's keys mix in. */
  gen?: number;
}

/** A cross-reference stream's dictionary, with or without its /Type (viewers do not ask for it). */
/** Where the value at `offset` starts: past white space and comments, as viewers' lexers skip them. */
function skipSpaceAndComments(pdf: Buffer, offset: number): number {
  const lexer = new Lexer(pdf, offset);
  lexer.skip();
  return lexer.pos;
}

function isXref(dict: Dict, doc: { nameOf(v: Value | undefined): string | undefined }): boolean {
  return doc.nameOf(dict.get('Type')) === 'XRef' || (dict.has('W') && dict.has('Size'));
}

// `N G obj` as a PDF lexer reads it: white space or comments between the numbers, none needed before `obj`.
// (A comment runs to its end of line, so each splits one way only: no backtracking over `%%%%`.)
const OBJ =
  /(?<![\d.])(\d{1,10})(?:[ \t\r\n\f\0]|%[^\r\n]*[\r\n])+(\d{1,5})(?:[ \t\r\n\f\0]|%[^\r\n]*[\r\n])*obj\b/g;

class PdfDocument {
  /** The objects the reading resolves references in: the last definition of each number (or the chain's view). */
  objects = new Map<number, Entry>();
  /** Every `N G obj` the scan found, by where it starts: what a cross-reference offset names. */
  private readonly byOffset = new Map<number, Entry & { num: number }>();
  /** What the cross-reference chain names, where it differs from the last definitions: a second reading. */
  private readonly chainViews: { objects: Map<number, Entry>; trailer: Dict }[] = [];
  /** The objects of the object streams, by `stream number:index`, as a cross-reference stream names them. */
  private readonly compressed = new Map<string, Entry>();
  private readonly unpacked = new Map<Entry, (Entry | undefined)[]>();
  readonly trailers: Dict[] = [];
  encrypted = false;
  decoded = 0;
  private decryptor: PdfDecryptor | undefined;
  private parsed = 0;
  /** Content bytes interpreted (a form drawn on many pages counts each time). */
  interpreted = 0;
  private readonly pieces = { left: MAX_PDF_PIECES };
  /** Where each object's body (and stream) lies: `trailer` written inside one is no trailer. */
  private readonly bodyRanges: [number, number][] = [];
  /** The encryption dictionary's object, whose strings and streams are never encrypted. */
  private unencrypted = -1;
  unknownGlyphs = 0;
  private readonly streams = new Map<Entry, Buffer>();
  private readonly fonts = new Map<Dict, Font>();
  /** The optional content groups the document's default configuration turns off (their object numbers). */
  private offGroups = new Set<number>();

  constructor(
    readonly pdf: Buffer,
    readonly maxBytes: number,
    private readonly deadline: ReadingDeadline,
  ) {}

  lexer(data: Buffer, start = 0, end = data.length): Lexer {
    return new Lexer(data, start, end, this.deadline);
  }

  /** Finds every object, the trailers, and the objects of object streams. */
  scan(): void {
    const text = this.pdf.toString('latin1');
    if (!hasPdfHeader(this.pdf)) throw new PdfProblem('no %PDF- header');
    OBJ.lastIndex = 0;
    let count = 0;
    for (let m = OBJ.exec(text); m; m = OBJ.exec(text)) {
      if (++count > MAX_PDF_OBJECTS) throw new PdfProblem(`more than ${MAX_PDF_OBJECTS} objects`);
      const lexer = this.lexer(this.pdf, m.index + m[0].length);
      let value: Value | undefined;
      try {
        value = lexer.value();
      } catch (error) {
        // A damaged object is skipped, as viewers skip it; a bound or the deadline ends the reading.
        if (error instanceof PdfProblem || error instanceof ReadingTimeUp) throw error;
        continue;
      }
      if (value === undefined || value instanceof Keyword) continue;
      const entry: Entry = { at: m.index, value, gen: Number(m[2]) };
      lexer.skip();
      if (isDict(value) && text.startsWith('stream', lexer.pos)) {
        let start = lexer.pos + 6;
        if (text[start] === '\r') start++;
        if (text[start] === '\n') start++;
        const length = value.get('Length');
        let end =
          typeof length === 'number' && length >= 0 && start + length <= text.length ? start + length : -1;
        if (end < 0 || !/^\s*endstream/.test(text.slice(end, end + 20))) {
          end = text.indexOf('endstream', start);
          if (end < 0) end = text.length;
          // The end of line before `endstream` is not data.
          if (text[end - 1] === '\n') end--;
          if (text[end - 1] === '\r') end--;
        }
        entry.raw = this.pdf.subarray(start, Math.max(start, end));
        OBJ.lastIndex = Math.max(end, OBJ.lastIndex);
        // A cross-reference stream is a trailer, with or without its /Type (viewers do not ask for it).
        if (isXref(value, this)) this.trailers.push(value);
      } else OBJ.lastIndex = Math.max(lexer.pos, OBJ.lastIndex);
      this.bodyRanges.push([m.index, OBJ.lastIndex]);
      const num = Number(m[1]);
      const old = this.objects.get(num);
      if (!old || old.at <= entry.at) this.objects.set(num, entry);
      this.byOffset.set(m.index, { ...entry, num });
    }
    // `trailer` inside an object (a string, a stream's data) or after a `%` on its line is no trailer: viewers
    // read neither there.
    const ranges = this.bodyRanges.map(([lo, to]) => ({ lo, to }));
    const inObject = (at: number) => {
      const range = ranges[lastAtOrBelow(ranges, at)];
      return range !== undefined && at < range.to;
    };
    const inComment = (at: number) => {
      const line = Math.max(text.lastIndexOf('\n', at), text.lastIndexOf('\r', at));
      return text.slice(line + 1, at).includes('%');
    };
    for (let at = text.indexOf('trailer'); at >= 0; at = text.indexOf('trailer', at + 7)) {
      if (inObject(at) || inComment(at)) continue;
      // A trailer is a small dictionary: lexed within 64 KiB, so `trailer(` a thousand times is not a thousand
      // reads to the end of the file.
      const v = this.lexAt(this.pdf, at + 7, Math.min(this.pdf.length, at + 7 + 65_536));
      if (isDict(v)) this.trailers.push(v);
    }
    const encryption = this.trailers.findLast((t) => t.has('Encrypt'));
    if (!encryption)
      for (const entry of this.objects.values()) {
        const d = entry.value;
        // A security handler's dictionary no trailer names: a viewer may still find and use it.
        if (isDict(d) && d.has('Filter') && d.has('O') && d.has('U'))
          throw new PdfProblem('an encryption dictionary that no trailer names');
      }
    if (encryption) {
      // A file that opens without a password (only an owner password, restricting printing or copying) is
      // decrypted and read as viewers show it; one that asks for a password is encrypted content.
      this.decryptor = emptyPasswordDecryptor(this.encryptionOf(encryption));
      if (!this.decryptor) {
        this.encrypted = true;
        return;
      }
      const encryptRef = encryption.get('Encrypt');
      this.unencrypted = encryptRef instanceof Ref ? encryptRef.num : -1;
      for (const [num, entry] of this.objects)
        if (num !== this.unencrypted && !isXref(this.dict(entry.value), this))
          entry.value = this.decryptStrings(entry.value, num, entry.gen ?? 0, 0);
      for (const entry of this.byOffset.values()) {
        const last = this.objects.get(entry.num);
        if (last?.at === entry.at) entry.value = last.value;
        else if (entry.num !== this.unencrypted && !isXref(this.dict(entry.value), this))
          entry.value = this.decryptStrings(entry.value, entry.num, entry.gen ?? 0, 0);
      }
    }
    // Object streams, in file order: an object defined later (here or in the file) wins.
    const streams = [...this.objects].filter(
      ([, e]) => e.raw && this.nameOf(this.dict(e.value).get('Type')) === 'ObjStm',
    );
    for (const [num, entry] of streams) {
      const dict = this.dict(entry.value);
      const data = this.stream(num);
      const n = this.number(dict.get('N'));
      const first = this.number(dict.get('First'));
      const header = this.lexer(data, 0, Math.min(first, data.length));
      // Entries pointing at one offset share its value, lexed once.
      const lexed = new Map<number, Value | undefined>();
      for (let i = 0; i < n; i++) {
        const objNum = header.value();
        const offset = header.value();
        if (typeof objNum !== 'number' || typeof offset !== 'number') break;
        if (++count > MAX_PDF_OBJECTS) throw new PdfProblem(`more than ${MAX_PDF_OBJECTS} objects`);
        const at = first + offset;
        if (!lexed.has(at)) lexed.set(at, this.lexAt(data, at));
        const value = lexed.get(at);
        if (value === undefined || value instanceof Keyword) continue;
        const packed: Entry = { at: entry.at, value };
        this.compressed.set(`${num}:${i}`, packed);
        const old = this.objects.get(objNum);
        if (!old || old.at <= entry.at) this.objects.set(objNum, packed);
      }
    }
  }

  /**
   * What the cross-reference chain names, kept where it differs from the last definitions: viewers follow the
   * chain (an object defined again after %%EOF, unlisted, or with another generation is never shown), and
   * rebuild by scanning when it is broken, so both are read.
   */
  viewChain(): void {
    // The chain from the last startxref, as viewers follow it; for a linearized file also the one from its
    // first-page table (pdf.js starts there); and the objects as pdf.js rebuilds a broken table: of the copies
    // of a number, the last with the first copy's generation (the last definitions take the last copy).
    const starts: (number | undefined)[] = [undefined];
    const linearized = this.firstPageXref();
    if (linearized !== undefined) starts.push(linearized);
    for (const start of starts) {
      const view = this.chainViewFrom(start);
      if (view && !this.chainViews.some((v) => sameView(v.objects, view.objects))) this.chainViews.push(view);
    }
    const firstGen = new Map<number, number | undefined>();
    const rebuilt = new Map(this.objects);
    for (const entry of this.byOffset.values()) {
      if (!firstGen.has(entry.num)) firstGen.set(entry.num, entry.gen);
      const last = this.objects.get(entry.num);
      if (firstGen.get(entry.num) === entry.gen && last)
        rebuilt.set(entry.num, last.at === entry.at ? last : entry);
    }
    const root = this.trailers.map((t) => t.get('Root')).findLast((r) => r !== undefined);
    if (!sameView(rebuilt, this.objects) && !this.chainViews.some((v) => sameView(v.objects, rebuilt)))
      this.chainViews.push({ objects: rebuilt, trailer: new Map([['Root', root ?? null]]) });
  }

  /** A linearized file's first-page cross-reference section: right after its first object (which says /Linearized). */
  private firstPageXref(): number | undefined {
    let first: Entry | undefined;
    for (const entry of this.byOffset.values()) if (!first || entry.at < first.at) first = entry;
    if (!first || !isDict(first.value) || !first.value.has('Linearized')) return undefined;
    const end = this.pdf.indexOf('endobj', first.at, 'latin1');
    const header = this.pdf.subarray(0, 1024).indexOf('%PDF-', 0, 'latin1');
    return end < 0 ? undefined : end + 6 - Math.max(header, 0);
  }

  private chainViewFrom(
    start: number | undefined,
  ): { objects: Map<number, Entry>; trailer: Dict } | undefined {
    const chain = readXrefChain(this.pdf, (data) => this.decode('FlateDecode', data, 0), start);
    const top = chain.trailers[0];
    if (chain.sections.length === 0 || top === undefined) return;
    // A chain cut short by a broken older section: what its newer sections name wins, as in viewers that keep
    // them; what they do not name is found by scanning.
    const view = chain.problem ? new Map(this.objects) : new Map<number, Entry>();
    for (const [num, e] of chain.entries) {
      if (e.kind === 'offset') {
        const found = this.byOffset.get(skipSpaceAndComments(this.pdf, e.offset));
        // What the chain names is not there: viewers rebuild the table by scanning, which the last view is.
        if (!found || found.num !== num) return;
        const last = this.objects.get(num);
        view.set(num, last && last.at === found.at ? last : found);
      } else if (e.kind === 'compressed') {
        // From the object stream the chain itself names, which may be another copy than the last definition.
        const os = chain.entries.get(e.stream);
        const stream =
          os?.kind === 'offset' ? this.byOffset.get(skipSpaceAndComments(this.pdf, os.offset)) : undefined;
        if (!stream || stream.num !== e.stream) return;
        const packed =
          this.objects.get(e.stream)?.at === stream.at
            ? this.compressed.get(`${e.stream}:${e.index}`)
            : this.packedIn(stream)[e.index];
        if (packed) view.set(num, packed);
      }
    }
    const trailer = this.lexAt(this.pdf, top, Math.min(this.pdf.length, top + 65_536));
    if (!isDict(trailer)) return undefined;
    // The trailer viewers use and the scanned ones must agree on encryption: a decoy either way is not read.
    const scannedEncrypt = this.trailers.some((t) => t.has('Encrypt'));
    if (trailer.has('Encrypt') !== scannedEncrypt)
      throw new PdfProblem('the cross-reference trailer and the file disagree on its encryption');
    const rootOf = (t: Value | undefined) => (t instanceof Ref ? t.num : -1);
    const scannedRoot = this.trailers.map((t) => t.get('Root')).findLast((r) => r !== undefined);
    const differs =
      rootOf(trailer.get('Root')) !== rootOf(scannedRoot) ||
      [...view].some(([num, e]) => this.objects.get(num) !== e) ||
      [...this.objects.keys()].some((num) => !view.has(num) && this.isPageContent(num));
    return differs ? { objects: view, trailer } : undefined;
  }

  /** Runs `read` with references resolved in `objects` (another view of the file), then back in the last view. */
  private inView<T>(objects: Map<number, Entry>, read: () => T): T {
    const last = this.objects;
    this.objects = objects;
    try {
      return read();
    } finally {
      this.objects = last;
    }
  }

  /** The objects an object stream holds, in its header's order (another copy than the last view's), lexed once. */
  private packedIn(stream: Entry & { num: number }): (Entry | undefined)[] {
    const known = this.unpacked.get(stream);
    if (known) return known;
    const out = this.inView(new Map(this.objects).set(stream.num, stream), () => {
      const packed: (Entry | undefined)[] = [];
      const dict = this.dict(stream.value);
      const data = this.stream(stream.num);
      const first = this.number(dict.get('First'));
      const header = this.lexer(data, 0, Math.min(first, data.length));
      for (let i = 0; i < Math.min(this.number(dict.get('N')), MAX_PDF_OBJECTS); i++) {
        header.value();
        const offset = header.value();
        if (typeof offset !== 'number') break;
        const value = this.lexAt(data, first + offset);
        packed.push(value === undefined || value instanceof Keyword ? undefined : { at: stream.at, value });
      }
      return packed;
    });
    this.unpacked.set(stream, out);
    return out;
  }

  // Objects the last view has and the chain does not: only worth a second reading if the pages could use them.
  private isPageContent(num: number): boolean {
    return this.objects.get(num)?.raw !== undefined || isDict(this.objects.get(num)?.value ?? null);
  }

  /**
   * Text a page's resources can draw without the page's content naming it directly: every form, tiling pattern
   * (a cell can hold text) and Type3 glyph procedure in them, each interpreted once per document, within the
   * same work bound (what is drawn is read; reading what is not drawn too costs nothing but time).
   */
  private sweepResources(
    res: Dict,
    into: string[],
    work: { bytes: number },
    swept: Set<number>,
    depth: number,
  ): void {
    if (depth > MAX_NESTING) return;
    const streams: { ref: Ref; resources: Value | undefined }[] = [];
    for (const group of ['XObject', 'Pattern'])
      for (const v of this.dict(res.get(group)).values())
        if (this.isStream(v) && this.nameOf(this.dict(v).get('Subtype')) !== 'Image')
          streams.push({ ref: v, resources: this.dict(v).get('Resources') });
    // A soft mask's group (ExtGState /SMask /G): a page filled through it shows what the group draws.
    for (const gs of this.dict(res.get('ExtGState')).values()) {
      const group = this.dict(this.dict(gs).get('SMask')).get('G');
      if (this.isStream(group)) streams.push({ ref: group, resources: this.dict(group).get('Resources') });
    }
    for (const f of this.dict(res.get('Font')).values()) {
      const font = this.dict(f);
      if (this.nameOf(font.get('Subtype')) !== 'Type3') continue;
      for (const proc of this.dict(font.get('CharProcs')).values())
        if (this.isStream(proc)) streams.push({ ref: proc, resources: font.get('Resources') });
    }
    for (const { ref, resources } of streams) {
      if (swept.has(ref.num)) continue;
      swept.add(ref.num);
      const inside = resources ? this.dict(resources) : res;
      const drawn = new Shown(this.pieces);
      this.interpret(this.stream(ref.num), inside, drawn, work, new Set([ref.num]), depth + 1);
      into.push(drawn.text());
      if (resources) this.sweepResources(inside, into, work, swept, depth + 1);
    }
  }

  /** The files a file specification's /EF names, and any stream typed /EmbeddedFile, each once, with its name. */
  embeddedFiles(): { name: string; bytes: Buffer }[] {
    const files: { name: string; bytes: Buffer }[] = [];
    const read = new Set<Entry>();
    // In each view of the file (the chain's may name another copy of a file than the last definition).
    for (const view of [this.objects, ...this.chainViews.map((v) => v.objects)]) {
      if (!view) continue;
      this.inView(view, () => {
        const named = new Map<number, string>();
        for (const entry of view.values()) {
          const spec = entry.value;
          if (!isDict(spec) || !spec.has('EF')) continue;
          const name = [spec.get('UF'), spec.get('F'), spec.get('Unix'), spec.get('Mac'), spec.get('DOS')]
            .map((v) => this.resolve(v))
            .find((v) => v instanceof Buffer);
          for (const file of this.dict(spec.get('EF')).values())
            if (this.isStream(file) && !named.has(file.num))
              named.set(file.num, name instanceof Buffer ? textString(name) : 'embedded file');
        }
        for (const [num, entry] of view)
          if (
            entry.raw &&
            !named.has(num) &&
            this.nameOf(this.dict(entry.value).get('Type')) === 'EmbeddedFile'
          )
            named.set(num, 'embedded file');
        for (const [num, name] of named) {
          const entry = view.get(num) as Entry;
          if (read.has(entry)) continue;
          read.add(entry);
          files.push({ name, bytes: this.stream(num) });
        }
      });
    }
    return files;
  }

  /** The pages' text, then the form fields' values and annotations' contents, as each view of the file shows. */
  read(): string[] {
    const texts = this.readView(this.trailers.map((t) => t.get('Root')).findLast((r) => r !== undefined));
    for (const chain of this.chainViews)
      texts.push(...this.inView(chain.objects, () => this.readView(chain.trailer.get('Root'))));
    return [...new Set(texts)];
  }

  private readView(rootRef: Value | undefined): string[] {
    const texts: string[] = [];
    const root = this.dict(rootRef) ?? new Map();
    const catalog = root.size > 0 ? root : this.findCatalog();
    if (!catalog) throw new PdfProblem('no document catalog');
    this.readOptionalContent(catalog);
    const work = { bytes: 0 };
    // The page tree, without recursion; a node met twice (a cycle) is read once.
    const seen = new Set<Dict>();
    const expanded = new Set<Value[]>();
    const swept = new Set<number>();
    const stack: { node: Value; resources: Value }[] = [
      { node: catalog.get('Pages') ?? null, resources: null },
    ];
    const fields: string[] = [];
    let pages = 0;
    const readPage = (dict: Dict, res: Value) => {
      if (++pages > MAX_PDF_PAGES) throw new PdfProblem(`more than ${MAX_PDF_PAGES} pages`);
      texts.push(this.readPage(dict, this.dict(res), { work, seen, expanded, swept, fields }));
    };
    while (stack.length > 0) {
      const { node, resources } = stack.pop() as { node: Value; resources: Value };
      const dict = this.dict(node);
      if (seen.has(dict)) continue;
      seen.add(dict);
      const res = dict.get('Resources') ?? resources;
      if (node instanceof Ref && !this.objects.has(node.num))
        throw new PdfProblem(`the page tree names object ${node.num}, which is not in the file`);
      const kids = this.resolve(dict.get('Kids'));
      if (Array.isArray(kids)) {
        // One array of kids shared by many nodes (or pages sharing one /Annots) is walked once, not once a node.
        if (!expanded.has(kids)) {
          expanded.add(kids);
          for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i] ?? null, resources: res });
        }
        continue;
      }
      readPage(dict, res);
    }
    // Pages the tree does not reach (a linearized file's first page, which its /O names and pdf.js shows first;
    // a page an update deleted): their content is in the file, so they are read too.
    for (const entry of [...this.objects.values()]) {
      const dict = this.dict(entry.value);
      if (seen.has(dict) || this.nameOf(dict.get('Type')) !== 'Page' || dict.has('Kids')) continue;
      seen.add(dict);
      readPage(dict, this.inherited(dict, 'Resources'));
    }
    // Form fields' values, the field tree walked without recursion.
    const form = this.dict(catalog.get('AcroForm') ?? null);
    // An XFA form (Acrobat draws it instead of the page): its XML packets, as text, and as shown (character
    // references decoded, tags apart), each and all together (a number may be split across two packets).
    const xfa = this.resolve(form.get('XFA') ?? null);
    const packets: string[] = [];
    for (const packet of Array.isArray(xfa) ? xfa : [form.get('XFA') ?? null])
      if (this.isStream(packet)) packets.push(this.stream(packet.num).toString('utf8'));
    // Each field its own value: elements are kept apart (a form's four amounts are not one number).
    const xfaText = (xml: string) => markupText(xml, true);
    fields.push(...packets, ...packets.map(xfaText));
    if (packets.length > 1) fields.push(xfaText(packets.join('')));
    const fieldStack: Value[] = [...(this.array(form.get('Fields')) ?? [])];
    for (let n = 0; fieldStack.length > 0; n++) {
      if (n > MAX_PDF_OBJECTS) throw new PdfProblem(`more than ${MAX_PDF_OBJECTS} form fields`);
      const field = this.dict(fieldStack.pop() ?? null);
      if (seen.has(field)) continue;
      seen.add(field);
      const value = this.resolve(field.get('V') ?? null);
      if (value instanceof Buffer) fields.push(textString(value));
      else if (value instanceof Name) fields.push(value.name);
      fieldStack.push(...(this.array(field.get('Kids')) ?? []));
    }
    // Every other string the file holds, wherever a viewer may show it: bookmarks' titles, the document's /Info
    // (a title bar), page labels, a list's options, tooltips, captions, rich-text notes, script literals.
    const strings = new Set<string>();
    const walked = new Set<object>();
    for (const [num, entry] of this.objects) {
      const dict = this.dict(entry.value);
      if (num === this.unencrypted || isXref(dict, this) || this.nameOf(dict.get('Type')) === 'Sig') continue;
      collectStrings(entry.value, strings, 0, walked);
    }
    for (const trailer of this.trailers)
      collectStrings(this.resolve(trailer.get('Info')), strings, 0, walked);
    // Scripts kept in streams (an action's /JS): the literals they show (an alert, a field's value) are read; a
    // number a script computes cannot be (threat-model.md).
    const scripts = new Set<number>();
    const seenValues = new Set<object>();
    for (const entry of this.objects.values()) scriptStreams(entry.value, scripts, 0, seenValues);
    for (const num of scripts)
      if (this.objects.get(num)?.raw) strings.add(this.stream(num).toString('latin1'));
    // Rich text (an annotation's /RC, XHTML) is shown with its character references decoded.
    for (const text of [...strings]) if (/[<&]/.test(text)) strings.add(markupText(text, false));
    return [...new Set([...texts, ...fields, ...strings])].filter((t) => t !== '');
  }

  /**
   * One page's text: its content, then its annotations' appearances drawn where the page shows them (a number
   * split between the page and a widget beside it reads as one), laid out together. Each appearance is also
   * read alone, and the forms, patterns and soft masks its resources hold are swept as the page's are.
   */
  private readPage(
    dict: Dict,
    res: Dict,
    doc: {
      work: { bytes: number };
      seen: Set<Dict>;
      expanded: Set<Value[]>;
      swept: Set<number>;
      fields: string[];
    },
  ): string {
    const { work, seen, expanded, swept, fields } = doc;
    // What lies outside the page's box, or its crop box, is not seen.
    const boxOf = (key: 'MediaBox' | 'CropBox'): Box | undefined => {
      const b = this.numbers(this.inherited(dict, key));
      const [x0, y0, x1, y1] = b as [number, number, number, number];
      return b.length === 4
        ? [Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1)]
        : undefined;
    };
    const media = boxOf('MediaBox');
    const crop = boxOf('CropBox');
    const shown = new Shown(this.pieces, media && crop ? intersect(media, crop) : (media ?? crop));
    const contents = this.resolve(dict.get('Contents'));
    // An array of streams is one content stream, as if joined.
    const parts = Array.isArray(contents) ? contents : [dict.get('Contents') ?? null];
    for (const p of parts)
      if (p instanceof Ref && !this.objects.get(p.num)?.raw)
        throw new PdfProblem(`a page's content names stream ${p.num}, which is not in the file`);
    const data = Buffer.concat(
      parts
        .map((p) => (p instanceof Ref ? this.stream(p.num) : Buffer.alloc(0)))
        .flatMap((b) => [b, Buffer.from('\n')]),
    );
    this.interpret(data, res, shown, work, new Set(), 0);
    this.sweepResources(res, fields, work, swept, 0);
    const annots = this.resolve(dict.get('Annots'));
    const listed = Array.isArray(annots) ? annots : [];
    // An annotation (or a whole /Annots array) shared by pages is read alone once, and drawn on each page it is
    // on (within the work bound).
    const firstTime = !expanded.has(listed);
    expanded.add(listed);
    for (const a of listed) {
      const annot = this.dict(a);
      const alone = firstTime && !seen.has(annot);
      seen.add(annot);
      const contents = this.resolve(annot.get('Contents') ?? null);
      if (alone && contents instanceof Buffer) fields.push(textString(contents));
      // What the annotation is drawn as (a stamp, a filled widget, free text): its normal appearance, or each
      // of its states.
      const normal = this.dict(annot.get('AP')).get('N');
      const looks = this.isStream(normal) ? [normal] : [...this.dict(normal).values()];
      // On the page, as a viewer draws it: not when Hidden (flag 2), or its optional content is off; of several
      // states, the one /AS selects. NoView (32) with Print (4) is drawn on paper only: laid out as unseen, so the
      // page is read both with it (printed) and without it (on screen).
      const flags = this.real(annot.get('F')) ?? 0;
      const noView = (flags & 32) !== 0;
      const drawnOnPage =
        (flags & 2) === 0 && (!noView || (flags & 4) !== 0) && !this.contentOff(annot.get('OC'));
      const state = this.nameOf(annot.get('AS'));
      const selected = this.isStream(normal)
        ? normal
        : state !== undefined
          ? this.dict(normal).get(state)
          : undefined;
      for (const look of looks) {
        if (!this.isStream(look)) continue;
        const own = this.dict(look).get('Resources');
        const inside = own ? this.dict(own) : res;
        if (alone) {
          const drawn = new Shown(this.pieces);
          this.interpret(this.stream(look.num), inside, drawn, work, new Set([look.num]), 1);
          fields.push(drawn.text());
          if (own) this.sweepResources(inside, fields, work, swept, 1);
        }
        if (drawnOnPage && (selected === undefined || selected === look))
          this.interpret(
            this.stream(look.num),
            inside,
            shown,
            work,
            new Set([look.num]),
            1,
            this.placing(annot, look),
            { unseen: noView },
          );
      }
    }
    return shown.text();
  }

  /** Where an appearance is drawn on the page: its /Matrix, then its box scaled onto the annotation's /Rect. */
  private placing(annot: Dict, look: Ref): Matrix {
    const rect = this.numbers(annot.get('Rect'));
    const form = this.dict(look);
    const box = this.numbers(form.get('BBox'));
    const m = this.numbers(form.get('Matrix'));
    const matrix: Matrix = m.length === 6 ? (m as unknown as Matrix) : IDENTITY;
    if (rect.length !== 4 || box.length !== 4) return matrix;
    const [r0, r1, r2, r3] = rect as [number, number, number, number];
    const [x0, y0, x1, y1] = boxThrough(box as unknown as Box, matrix);
    const sx = x1 > x0 ? (Math.max(r0, r2) - Math.min(r0, r2)) / (x1 - x0) : 1;
    const sy = y1 > y0 ? (Math.max(r1, r3) - Math.min(r1, r3)) / (y1 - y0) : 1;
    return multiply(matrix, [sx, 0, 0, sy, Math.min(r0, r2) - sx * x0, Math.min(r1, r3) - sy * y0]);
  }

  /** A page's value of `key`, or the nearest node's above it that has one (a page outside the tree too). */
  private inherited(page: Dict, key: 'Resources' | 'MediaBox' | 'CropBox'): Value {
    let node = page;
    for (let depth = 0; depth <= MAX_NESTING; depth++) {
      const value = node.get(key);
      if (value !== undefined) return value;
      const parent = this.dict(node.get('Parent'));
      if (parent.size === 0) break;
      node = parent;
    }
    return null;
  }

  /** The groups the catalog's default optional-content configuration turns off (/BaseState, /ON, /OFF). */
  private readOptionalContent(catalog: Dict): void {
    const oc = this.dict(catalog.get('OCProperties') ?? null);
    const config = this.dict(oc.get('D') ?? null);
    const numbers = (v: Value | undefined) =>
      (this.array(v) ?? []).filter((r): r is Ref => r instanceof Ref).map((r) => r.num);
    this.offGroups = new Set(this.nameOf(config.get('BaseState')) === 'OFF' ? numbers(oc.get('OCGs')) : []);
    for (const n of numbers(config.get('ON'))) this.offGroups.delete(n);
    for (const n of numbers(config.get('OFF'))) this.offGroups.add(n);
  }

  /** True when optional content (a group, or a membership dictionary's policy over groups) is off. */
  contentOff(v: Value | undefined): boolean {
    if (v === undefined || v === null || this.offGroups.size === 0) return false;
    const dict = this.dict(v);
    if (this.nameOf(dict.get('Type')) !== 'OCMD') return v instanceof Ref && this.offGroups.has(v.num);
    const groups = this.resolve(dict.get('OCGs') ?? null);
    const list = (Array.isArray(groups) ? groups : [dict.get('OCGs') ?? null]).filter(
      (g): g is Ref => g instanceof Ref,
    );
    if (list.length === 0) return false;
    const off = list.map((g) => this.offGroups.has(g.num));
    const policy = this.nameOf(dict.get('P')) ?? 'AnyOn';
    if (policy === 'AllOn') return off.some(Boolean);
    if (policy === 'AnyOff') return !off.some(Boolean);
    if (policy === 'AllOff') return !off.every(Boolean);
    return off.every(Boolean);
  }

  private findCatalog(): Dict | undefined {
    let found: Entry | undefined;
    for (const entry of this.objects.values())
      if (
        isDict(entry.value) &&
        this.nameOf(entry.value.get('Type')) === 'Catalog' &&
        (!found || entry.at >= found.at)
      )
        found = entry;
    return found && (found.value as Dict);
  }

  resolve(v: Value | undefined): Value {
    let value: Value = v ?? null;
    for (let hops = 0; value instanceof Ref; hops++) {
      if (hops > MAX_NESTING)
        throw new PdfProblem(`references chained more than ${MAX_NESTING} deep (a cycle)`);
      value = this.objects.get(value.num)?.value ?? null;
    }
    return value;
  }

  dict(v: Value | undefined): Dict {
    const d = this.resolve(v);
    return isDict(d) ? d : new Map();
  }

  array(v: Value | undefined): Value[] | undefined {
    const a = this.resolve(v);
    return Array.isArray(a) ? a : undefined;
  }

  private number(v: Value | undefined): number {
    const n = this.resolve(v);
    return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.floor(n) : 0;
  }

  /** True for a reference to an object that is a stream. */
  isStream(v: Value | undefined): v is Ref {
    return v instanceof Ref && this.objects.get(v.num)?.raw !== undefined;
  }

  /** A number, followed through a reference; undefined for anything else. */
  /** An array of numbers (a box, a matrix), each entry that is none read as 0; empty when it is no array. */
  numbers(v: Value | undefined): number[] {
    return (this.array(v) ?? []).map((n) => this.real(n) ?? 0);
  }

  real(v: Value | undefined): number | undefined {
    const n = this.resolve(v);
    return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
  }

  nameOf(v: Value | undefined): string | undefined {
    const n = this.resolve(v);
    return n instanceof Name ? n.name : undefined;
  }

  /** A stream's decoded bytes (once per stream), within the budget. */
  stream(num: number): Buffer {
    const entry = this.objects.get(num);
    const cached = entry && this.streams.get(entry);
    if (cached) return cached;
    if (!entry?.raw) return Buffer.alloc(0);
    const dict = this.dict(entry.value);
    const filters = this.resolve(dict.get('Filter'));
    const list = (Array.isArray(filters) ? filters : filters === null ? [] : [filters]).map(
      (f) => this.nameOf(f) ?? '?',
    );
    const params = this.resolve(dict.get('DecodeParms'));
    let data = this.decryptStream(num, entry, dict, list, params);
    list.forEach((filter, i) => {
      data = this.decode(filter, data, num);
      const p = this.dict(Array.isArray(params) ? params[i] : params);
      if (this.number(p.get('Predictor')) > 1) data = unpredict(data, p, this);
    });
    this.streams.set(entry, data);
    return data;
  }

  /**
   * One value lexed at `start`, the bytes it spans counted: values read again and again from many places (every
   * entry of an object stream pointing into one huge array, `trailer` before an unclosed string) are work too.
   */
  private lexAt(data: Buffer, start: number, end = data.length): Value | undefined {
    const lexer = this.lexer(data, start, end);
    let value: Value | undefined;
    try {
      value = lexer.value();
    } finally {
      this.parsed += Math.max(0, lexer.pos - start);
    }
    const cap = this.pdf.length + this.maxBytes;
    if (this.parsed > cap) throw new PdfProblem(`values lexed over ${cap} bytes (read again and again)`);
    return value;
  }

  /** The encryption dictionary's values, as the standard security handler needs them. */
  private encryptionOf(trailer: Dict): PdfEncryption {
    const enc = this.dict(trailer.get('Encrypt'));
    const bytes = (key: string) => {
      const v = this.resolve(enc.get(key));
      return v instanceof Buffer ? v : undefined;
    };
    const cf: Record<string, { cfm: string; length?: number }> = {};
    for (const [name, filter] of this.dict(enc.get('CF'))) {
      const d = this.dict(filter);
      const length = this.real(d.get('Length'));
      cf[name] = { cfm: this.nameOf(d.get('CFM')) ?? 'None', ...(length !== undefined ? { length } : {}) };
    }
    const id = this.array(trailer.get('ID'))?.[0];
    const length = this.real(enc.get('Length'));
    const [oe, ue, perms] = [bytes('OE'), bytes('UE'), bytes('Perms')];
    const [stmF, strF] = [this.nameOf(enc.get('StmF')), this.nameOf(enc.get('StrF'))];
    return {
      filter: this.nameOf(enc.get('Filter')) ?? '',
      v: this.real(enc.get('V')) ?? 0,
      r: this.real(enc.get('R')) ?? 0,
      ...(length !== undefined ? { length } : {}),
      o: bytes('O') ?? Buffer.alloc(0),
      u: bytes('U') ?? Buffer.alloc(0),
      p: this.real(enc.get('P')) ?? 0,
      ...(oe ? { oe } : {}),
      ...(ue ? { ue } : {}),
      ...(perms ? { perms } : {}),
      encryptMetadata: this.resolve(enc.get('EncryptMetadata')) !== false,
      cf,
      ...(stmF ? { stmF } : {}),
      ...(strF ? { strF } : {}),
      id: id instanceof Buffer ? id : Buffer.alloc(0),
    };
  }

  /** A value with each string in it decrypted (objects' strings are encrypted one by one; names are not). */
  private decryptStrings(v: Value, num: number, gen: number, depth: number): Value {
    const decryptor = this.decryptor;
    if (!decryptor || depth > MAX_NESTING) return v;
    if (v instanceof Buffer) return this.decrypting(() => decryptor.decrypt(num, gen, v, 'string'));
    if (Array.isArray(v)) return v.map((item) => this.decryptStrings(item, num, gen, depth + 1));
    if (isDict(v)) {
      const out: Dict = new Map();
      for (const [key, item] of v) out.set(key, this.decryptStrings(item, num, gen, depth + 1));
      return out;
    }
    return v;
  }

  /** A stream's bytes before its filters: decrypted, unless the file is not encrypted or they never are. */
  private decryptStream(num: number, entry: Entry, dict: Dict, filters: string[], params: Value): Buffer {
    const raw = entry.raw ?? Buffer.alloc(0);
    const decryptor = this.decryptor;
    const type = this.nameOf(dict.get('Type'));
    if (!decryptor || num === this.unencrypted || isXref(dict, this)) return raw;
    if (type === 'Metadata' && !decryptor.encryptMetadata) return raw;
    // A /Crypt filter first names the crypt filter for this stream; it is not a decoding step.
    let crypt: string | undefined;
    if (filters[0] === 'Crypt') {
      filters.shift();
      const first = Array.isArray(params) ? params.shift() : params;
      crypt = this.nameOf(this.dict(first ?? null).get('Name')) ?? 'Identity';
    }
    return this.decrypting(() => decryptor.decrypt(num, entry.gen ?? 0, raw, 'stream', crypt));
  }

  private decrypting(run: () => Buffer): Buffer {
    try {
      return run();
    } catch (error) {
      if (error instanceof PdfDecryptError) throw new PdfProblem(`not decrypted (${error.message})`);
      throw error;
    }
  }

  private decode(filter: string, data: Buffer, num: number): Buffer {
    const left = this.maxBytes - this.decoded;
    if (left <= 0) throw new PdfProblem(`over ${this.maxBytes} decoded bytes`);
    let out: Buffer;
    if (filter === 'FlateDecode' || filter === 'Fl') {
      try {
        out = inflateSync(data, { maxOutputLength: left, finishFlush: zlib.Z_SYNC_FLUSH });
      } catch (error) {
        if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError)
          throw new PdfProblem(`stream ${num} inflates past ${this.maxBytes} decoded bytes`);
        throw new PdfProblem(`stream ${num} cannot be inflated (${(error as Error).message})`);
      }
    } else if (filter === 'ASCIIHexDecode' || filter === 'AHx') {
      const end = data.indexOf(0x3e);
      let hex = data.toString('latin1', 0, end < 0 ? data.length : end).replace(/[^0-9a-fA-F]/g, '');
      if (hex.length % 2) hex += '0';
      out = Buffer.from(hex, 'hex');
    } else if (filter === 'ASCII85Decode' || filter === 'A85') out = ascii85(data, left);
    else if (filter === 'RunLengthDecode' || filter === 'RL') out = runLength(data, left);
    else if (filter === 'LZWDecode' || filter === 'LZW') out = lzw(data, left);
    else throw new PdfProblem(`stream ${num}: filter ${filter.slice(0, 40)} is not read`);
    this.decoded += out.length;
    if (this.decoded > this.maxBytes) throw new PdfProblem(`over ${this.maxBytes} decoded bytes`);
    return out;
  }

  /** Runs a content stream's text operators, drawing forms it names (each at most once on the stack). */
  private interpret(
    data: Buffer,
    resources: Dict,
    shown: Shown,
    work: { bytes: number },
    drawing: Set<number>,
    depth: number,
    ctm: Matrix = IDENTITY,
    outer: { clip?: Box | undefined; unseen?: boolean } = {},
  ): void {
    if (depth > MAX_NESTING) throw new PdfProblem(`forms nested more than ${MAX_NESTING} deep`);
    work.bytes += data.length;
    // Interpreting the same form on many pages counts each time: a work bound, not only a decoding bound.
    this.interpreted += data.length;
    if (work.bytes > this.maxBytes + 1024 * 1024)
      throw new PdfProblem(`content over ${this.maxBytes + 1024 * 1024} bytes interpreted`);
    const lexer = this.lexer(data);
    const operands: Value[] = [];
    const num = (i: number) => {
      const v = operands[operands.length - i];
      return typeof v === 'number' && Number.isFinite(v) ? v : 0;
    };
    let state: TextState = { ...START_STATE, ctm, clip: outer.clip, unseen: outer.unseen === true };
    const saved: TextState[] = [];
    let tm = IDENTITY;
    let tlm = IDENTITY;
    const moveLine = (tx: number, ty: number) => {
      tlm = [
        tlm[0],
        tlm[1],
        tlm[2],
        tlm[3],
        tx * tlm[0] + ty * tlm[2] + tlm[4],
        tx * tlm[1] + ty * tlm[3] + tlm[5],
      ];
      tm = tlm;
    };
    // Character spacing wider than half the font spreads a string's glyphs apart (one may land off the page): each
    // glyph is then placed where it is drawn. (Spacing backwards is read as a string drawn right to left.)
    const show = (bytes: Buffer) => {
      if (bytes.length > 1 && state.charSpace > 0.5 * Math.abs(state.size))
        for (let i = 0; i < bytes.length; ) {
          const n = state.font ? state.font.codeLength(bytes[i] as number) : 1;
          showRun(bytes.subarray(i, i + n));
          i += n;
        }
      else showRun(bytes);
    };
    const showRun = (bytes: Buffer) => {
      // A string spread glyph by glyph is placed many times for one value lexed: each placing is a step too.
      this.deadline.step();
      const glyphs = state.font ? state.font.decode(bytes) : latin1Glyphs(bytes);
      this.unknownGlyphs += glyphs.unknown;
      if (state.font?.vertical) return showDown(glyphs);
      // Widths are in thousandths of the em, which a Type3 font's matrix may scale.
      const advance =
        ((glyphs.width / 1000) * state.size * (state.font?.emScale ?? 1) +
          glyphs.count * state.charSpace +
          glyphs.spaces * state.wordSpace) *
        state.scale;
      // Where the text is on the page: the text matrix, raised by the rise (Ts), through the current
      // transformation (cm), so text moved by either is placed where it shows.
      const before = state.ctm === IDENTITY ? tm : multiply(tm, state.ctm);
      const start: [number, number] = [
        state.rise * before[2] + before[4],
        state.rise * before[3] + before[5],
      ];
      // The ink ends before the spacing after the last glyph (a glyph spaced far on is drawn where it starts).
      const inked = advance - (glyphs.count > 0 ? state.charSpace * state.scale : 0);
      const ink: Matrix = [tm[0], tm[1], tm[2], tm[3], tm[4] + inked * tm[0], tm[5] + inked * tm[1]];
      tm = [tm[0], tm[1], tm[2], tm[3], tm[4] + advance * tm[0], tm[5] + advance * tm[1]];
      const after = state.ctm === IDENTITY ? tm : multiply(tm, state.ctm);
      const inkAfter = state.ctm === IDENTITY ? ink : multiply(ink, state.ctm);
      const end: [number, number] = [
        state.rise * inkAfter[2] + inkAfter[4],
        state.rise * inkAfter[3] + inkAfter[5],
      ];
      const em = Math.abs(state.size) * (state.font?.emScale ?? 1);
      // The ink box: the baseline an em up and a quarter down.
      const hidden = visibility(after, em, inkBox(start, end, [em * after[2], em * after[3]]));
      const style = styleNow();
      // Glyphs that advance backwards (negative widths, Tc or Tw) are drawn right to left: shown end first.
      if (advance < 0)
        shown.place([...glyphs.text].reverse().join(''), end, start, after, state.size, style, hidden);
      else shown.place(glyphs.text, start, end, after, state.size, style, hidden);
    };
    // Vertical writing (/WMode 1): each glyph moves the pen down by its w1y (spacing, as the standard says, up),
    // and is drawn centred on the pen, an em below it.
    const showDown = (glyphs: Glyphs) => {
      const ty =
        (glyphs.height / 1000) * state.size +
        glyphs.count * state.charSpace +
        glyphs.spaces * state.wordSpace;
      const before = state.ctm === IDENTITY ? tm : multiply(tm, state.ctm);
      tm = [tm[0], tm[1], tm[2], tm[3], tm[4] + ty * tm[2], tm[5] + ty * tm[3]];
      const after = state.ctm === IDENTITY ? tm : multiply(tm, state.ctm);
      const start: [number, number] = [before[4], before[5]];
      const end: [number, number] = [after[4], after[5]];
      const em = Math.abs(state.size);
      const [hx, hy] = [(em / 2) * after[0] * state.scale, (em / 2) * after[1] * state.scale];
      const [dx, dy] = [-em * after[2], -em * after[3]];
      const xs = [start[0] - hx, start[0] + hx, end[0] + dx - hx, end[0] + dx + hx];
      const ys = [start[1] - hy, start[1] + hy, end[1] + dy - hy, end[1] + dy + hy];
      const area: Box = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
      // Down the column is the writing direction: the line's frame turned a quarter.
      const column: Matrix = [-after[2], -after[3], after[0], after[1], after[4], after[5]];
      const hidden = visibility(after, em, area);
      const style = styleNow();
      if (ty > 0)
        shown.place([...glyphs.text].reverse().join(''), end, start, column, state.size, style, hidden, true);
      else shown.place(glyphs.text, start, end, column, state.size, style, hidden, true);
    };
    const styleNow = () => {
      state.style ??= `${state.font?.id ?? 0}|${state.size}|${state.render}|${state.fill}`;
      return state.style;
    };
    // Unseen: invisible (Tr 3, 7; no fill or stroke seen: opacity 0, the /None colour space), squashed flat or too
    // small to see on either axis (Tz, the matrices, a Type3 font's own matrix), inside optional content that is
    // off, or with its ink box wholly clipped away or off the page.
    const visibility = (after: Matrix, em: number, inkArea: Box): Visibility => {
      const wide = em * Math.abs(state.scale) * norm(after[0], after[1]);
      const tall = em * norm(after[2], after[3]);
      const fills = state.render === 0 || state.render === 2 || state.render === 4 || state.render === 6;
      const strokes = state.render === 1 || state.render === 2 || state.render === 5 || state.render === 6;
      const paints =
        (fills && state.fillAlpha !== 0 && !state.noneColour) || (strokes && state.strokeAlpha !== 0);
      const unseen =
        state.unseen === true ||
        !paints ||
        Math.min(wide, tall) < MIN_SEEN_SIZE ||
        (state.clip !== undefined && !overlaps(inkArea, state.clip)) ||
        !shown.sees(inkArea);
      // White is unseen on a white page and seen on a dark box (backgrounds are not modelled): read both ways.
      const white = (!fills || WHITE.has(state.fill)) && (!strokes || WHITE.has(state.stroke ?? ''));
      return unseen ? 'unseen' : white ? 'white' : 'seen';
    };
    // The box around the path being built, for a clip (`W n`); marked content's unseen state, to restore at EMC.
    let path: Box | undefined;
    let clipping = false;
    const marked: boolean[] = [];
    // `BDC` with a property list written inline: its /ActualText is what copy and search give (pdftotext shows it).
    const actualText = (props: Value | undefined) => {
      const actual = isDict(props) ? this.resolve(props.get('ActualText')) : undefined;
      if (!(actual instanceof Buffer)) return;
      const at = state.ctm === IDENTITY ? tm : multiply(tm, state.ctm);
      shown.place(textString(actual), [at[4], at[5]], [at[4], at[5]], at, state.size, 'ActualText');
    };
    let imageDict = false;
    for (;;) {
      const v = lexer.value();
      if (v === undefined) break;
      if (!(v instanceof Keyword)) {
        if (operands.length < 64) operands.push(v);
        continue;
      }
      const op = v.word;
      if (op === 'Tf') {
        const name = operands[operands.length - 2];
        const fonts = this.dict(resources.get('Font'));
        const ref = name instanceof Name ? fonts.get(name.name) : undefined;
        if (ref instanceof Ref && !this.objects.has(ref.num))
          throw new PdfProblem(`a page's font is object ${ref.num}, which is not in the file`);
        state.font = name instanceof Name ? this.font(this.dict(ref)) : undefined;
        state.size = num(1);
        state.style = undefined;
      } else if (op === 'BT') tm = tlm = IDENTITY;
      else if (op === 'Tc') state.charSpace = num(1);
      else if (op === 'Tr') {
        state.render = num(1);
        state.style = undefined;
      } else if (op === 'Ts') state.rise = num(1);
      else if (op === 'cm') state.ctm = multiply([num(6), num(5), num(4), num(3), num(2), num(1)], state.ctm);
      else if (FILL_COLOUR.has(op)) {
        state.fill = `${op} ${operands.map(String).join(' ')}`;
        state.style = undefined;
        if (op === 'cs') {
          // [/Separation /None …] paints nothing (ISO 32000 §8.6.6.4).
          const name = operands[operands.length - 1];
          const space = this.resolve(
            name instanceof Name ? this.dict(resources.get('ColorSpace')).get(name.name) : null,
          );
          state.noneColour =
            Array.isArray(space) &&
            this.nameOf(space[0]) === 'Separation' &&
            this.nameOf(space[1]) === 'None';
        } else if (op !== 'sc' && op !== 'scn') state.noneColour = false;
      } else if (STROKE_COLOUR.has(op)) state.stroke = `${op} ${operands.map(String).join(' ')}`;
      else if (op === 'Tw') state.wordSpace = num(1);
      else if (op === 'Tz') state.scale = num(1) / 100;
      else if (op === 'TL') state.leading = num(1);
      else if (op === 'Td') moveLine(num(2), num(1));
      else if (op === 'TD') {
        state.leading = -num(1);
        moveLine(num(2), num(1));
      } else if (op === 'Tm') {
        tm = tlm = [num(6), num(5), num(4), num(3), num(2), num(1)];
      } else if (op === 'T*') moveLine(0, -state.leading);
      else if (op === 'Tj' || op === "'" || op === '"') {
        if (op === '"') {
          state.wordSpace = num(3);
          state.charSpace = num(2);
        }
        if (op !== 'Tj') moveLine(0, -state.leading);
        const s = operands[operands.length - 1];
        if (s instanceof Buffer) show(s);
      } else if (op === 'TJ') {
        const items = operands[operands.length - 1];
        if (Array.isArray(items))
          for (const item of items) {
            if (item instanceof Buffer) show(item);
            else if (typeof item === 'number' && Number.isFinite(item)) {
              // Down the column in vertical writing, along the line otherwise.
              const t = (-item / 1000) * state.size;
              if (state.font?.vertical)
                tm = [tm[0], tm[1], tm[2], tm[3], tm[4] + t * tm[2], tm[5] + t * tm[3]];
              else
                tm = [
                  tm[0],
                  tm[1],
                  tm[2],
                  tm[3],
                  tm[4] + t * state.scale * tm[0],
                  tm[5] + t * state.scale * tm[1],
                ];
            }
          }
      } else if (op === 'gs') {
        const name = operands[operands.length - 1];
        const gs = this.dict(
          name instanceof Name ? this.dict(resources.get('ExtGState')).get(name.name) : null,
        );
        const ca = this.real(gs.get('ca'));
        const CA = this.real(gs.get('CA'));
        if (ca !== undefined) state.fillAlpha = ca;
        if (CA !== undefined) state.strokeAlpha = CA;
      } else if (op === 'BMC' || op === 'BDC') {
        marked.push(state.unseen === true);
        if (op === 'BDC') {
          const props = operands[operands.length - 1];
          actualText(props);
          if (this.nameOf(operands[operands.length - 2]) === 'OC') {
            const group =
              props instanceof Name ? this.dict(resources.get('Properties')).get(props.name) : props;
            if (this.contentOff(group)) state.unseen = true;
          }
        }
      } else if (op === 'EMC') {
        const before = marked.pop();
        if (before !== undefined) state.unseen = before;
      } else if (op === 'q') {
        if (saved.length < 256) saved.push({ ...state });
      } else if (op === 'Q') state = saved.pop() ?? state;
      else if (op === 'Do') {
        const name = operands[operands.length - 1];
        const ref = name instanceof Name ? this.dict(resources.get('XObject')).get(name.name) : undefined;
        // A form the file does not hold (or that the scan could not find): what it draws is not known.
        if (ref instanceof Ref && !this.objects.has(ref.num))
          throw new PdfProblem(`a page draws object ${ref.num}, which is not in the file`);
        if (ref instanceof Ref && !drawing.has(ref.num)) {
          const form = this.dict(ref);
          if (this.nameOf(form.get('Subtype')) === 'Form') {
            drawing.add(ref.num);
            const own = form.get('Resources');
            const m = this.numbers(form.get('Matrix'));
            const matrix: Matrix = m.length === 6 ? (m as unknown as Matrix) : IDENTITY;
            const placed = multiply(matrix, state.ctm);
            // A form draws only inside its /BBox, and nothing while its optional content is off.
            const box = this.numbers(form.get('BBox'));
            const bounds = box.length === 4 ? boxThrough(box as unknown as Box, placed) : undefined;
            this.interpret(
              this.stream(ref.num),
              own ? this.dict(own) : resources,
              shown,
              work,
              drawing,
              depth + 1,
              placed,
              {
                clip: bounds ? intersect(state.clip, bounds) : state.clip,
                unseen: state.unseen === true || this.contentOff(form.get('OC')),
              },
            );
            drawing.delete(ref.num);
          }
        }
      } else if (op === 're') {
        const [x, y, w, h] = [num(4), num(3), num(2), num(1)];
        const r: Box = [Math.min(x, x + w), Math.min(y, y + h), Math.max(x, x + w), Math.max(y, y + h)];
        path = union(path, boxThrough(r, state.ctm));
      } else if (op === 'm' || op === 'l')
        path = union(path, boxThrough([num(2), num(1), num(2), num(1)], state.ctm));
      else if (op === 'c' || op === 'v' || op === 'y') {
        // Control points included: the curve lies within them.
        for (let k = op === 'c' ? 6 : 4; k >= 2; k -= 2)
          path = union(path, boxThrough([num(k), num(k - 1), num(k), num(k - 1)], state.ctm));
      } else if (op === 'W' || op === 'W*') clipping = true;
      else if (PAINT.has(op)) {
        // A clip narrows what is seen to within its path's box (any shape: the box holds it).
        if (clipping && path) state.clip = intersect(state.clip, path);
        path = undefined;
        clipping = false;
      }
      // Image data follows `ID` only in an inline image (`BI` … `ID`): a stray `ID` is an unknown operator.
      else if (op === 'ID' && imageDict) skipInlineImage(lexer);
      imageDict = op === 'BI';
      operands.length = 0;
    }
  }

  private font(dict: Dict): Font | undefined {
    if (dict.size === 0) return undefined;
    let font = this.fonts.get(dict);
    if (!font) {
      font = new Font(dict, this);
      this.fonts.set(dict, font);
    }
    return font;
  }
}

/** The text state a content stream sets (saved and restored with the graphics state by q and Q). */
interface TextState {
  font: Font | undefined;
  size: number;
  charSpace: number;
  wordSpace: number;
  /** Horizontal scaling, 1 = 100 %. */
  scale: number;
  leading: number;
  /** Text rendering mode (Tr: 3 is invisible) and the fill colour's operator and operands. */
  render: number;
  fill: string;
  /** The current transformation (cm, a form's /Matrix) and the text rise (Ts). */
  ctm: Matrix;
  rise: number;
  /** The font, size, render mode and fill as one key, made when first needed after one of them changes. */
  style?: string | undefined;
  /** The box the clip is within, in page space (x0, y0, x1, y1); none: the page. */
  clip?: Box | undefined;
  /** Fill and stroke opacity (ExtGState /ca, /CA) and whether the fill colour space paints nothing (/None). */
  fillAlpha?: number | undefined;
  strokeAlpha?: number | undefined;
  noneColour?: boolean;
  /** The stroke colour's operator and operands (as `fill` is the fill's). */
  stroke?: string;
  /** Drawn where nobody sees it: inside optional content that is off, or in a form drawn so. */
  unseen?: boolean;
}
type Box = readonly [number, number, number, number];
// Glyphs drawn smaller than this (in points, the matrix's larger scale times the size) are not seen.
const MIN_SEEN_SIZE = 1;
const PAINT = new Set(['n', 'f', 'F', 'f*', 'S', 's', 'B', 'B*', 'b', 'b*']);
const START_STATE: TextState = {
  font: undefined,
  size: 0,
  charSpace: 0,
  wordSpace: 0,
  scale: 1,
  leading: 0,
  render: 0,
  fill: '',
  ctm: IDENTITY,
  rise: 0,
};
const FILL_COLOUR = new Set(['g', 'rg', 'k', 'sc', 'scn', 'cs']);
const STROKE_COLOUR = new Set(['G', 'RG', 'K', 'SC', 'SCN', 'CS']);
// White, as the colour operators write it (fill and stroke): the page's own colour.
const WHITE = new Set(['g 1', 'rg 1 1 1', 'k 0 0 0 0', 'G 1', 'RG 1 1 1', 'K 0 0 0 0']);

/** The smallest upright box around `box`'s corners through `m`. */
function boxThrough(box: Box, m: Matrix): Box {
  const corners = [
    [box[0], box[1]],
    [box[2], box[1]],
    [box[0], box[3]],
    [box[2], box[3]],
  ].map(([x, y]) => [
    (x as number) * m[0] + (y as number) * m[2] + m[4],
    (x as number) * m[1] + (y as number) * m[3] + m[5],
  ]);
  const xs = corners.map((c) => c[0] as number);
  const ys = corners.map((c) => c[1] as number);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function union(a: Box | undefined, b: Box): Box {
  return a ? [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])] : b;
}

function intersect(a: Box | undefined, b: Box): Box {
  return a ? [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])] : b;
}

function overlaps(a: Box, b: Box): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** The box a run of glyphs inks: its baseline from start to end, an em up and a quarter em down. */
function inkBox(start: [number, number], end: [number, number], up: [number, number]): Box {
  // The baseline's ends moved an em up (ux, uy) and a quarter down: the box's corners are among these extremes.
  const [ux, uy] = up;
  return [
    Math.min(start[0], end[0]) + Math.min(0, ux, -0.25 * ux),
    Math.min(start[1], end[1]) + Math.min(0, uy, -0.25 * uy),
    Math.max(start[0], end[0]) + Math.max(0, ux, -0.25 * ux),
    Math.max(start[1], end[1]) + Math.max(0, uy, -0.25 * uy),
  ];
}

/** What a shown string's bytes are: its characters, and what moves the pen (glyph widths in 1/1000 em). */
interface Glyphs {
  text: string;
  unknown: number;
  width: number;
  /** A vertical font's displacement down the column (w1y, 1/1000 em, negative is down); 0 for others. */
  height: number;
  count: number;
  /** Single-byte code 32, which word spacing widens. */
  spaces: number;
}

function latin1Glyphs(bytes: Buffer): Glyphs {
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

// --- Fonts ----------------------------------------------------------------------------------------------------

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
class Font {
  private static count = 0;
  /** Tells fonts apart in a text's style. */
  readonly id = ++Font.count;
  private readonly type0: boolean;
  private readonly toUnicode?: CodeMap;
  /** For a Type0 font whose encoding CMap is UCS-2 or UTF-16: the codes are the characters. */
  private readonly utf16: boolean;
  private readonly simple: (string | undefined)[] = [];
  private readonly widths: Metrics;
  /** How much larger than the size a glyph is drawn: a Type3 font's own /FontMatrix (others are 1/1000 em). */
  readonly emScale: number;
  /** Written top to bottom (a CID font whose CMap's /WMode is 1, as `Identity-V`): each glyph moves the pen down. */
  readonly vertical: boolean;
  /** A vertical font's glyph displacements (w1y of /W2 and /DW2, in 1/1000 em; negative is down). */
  private readonly heights?: Metrics;

  constructor(dict: Dict, doc: PdfDocument) {
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
    return this.toUnicode?.lengths[first] || (this.type0 ? 2 : 1);
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
      const n = map?.lengths[first] || (this.type0 ? 2 : 1);
      let code = 0;
      for (let k = 0; k < n; k++) code = code * 256 + (bytes[i + k] ?? 0);
      i += n;
      count++;
      width += this.widths.of(code);
      if (this.heights) height += this.heights.of(code);
      if (n === 1 && code === 0x20) spaces++;
      const mapped = map ? cmapChar(map, code, n) : undefined;
      if (mapped !== undefined) text += mapped;
      else if (this.utf16) text += String.fromCharCode(code);
      else if (!this.type0 && this.simple[code] !== undefined) text += this.simple[code];
      // Glyph 0 of a CID font is .notdef, which a PDF maker writes for a character its fonts lack (a box): one
      // shape, not a character the file hides.
      else if (this.type0 && code === 0) text += '\ufffd';
      else unknown++;
    }
    return { text, unknown, width, height, count, spaces };
  }
}

/**
 * A Type0 font's encoding CMap writes top to bottom: a predefined CMap named `…-V`, or an embedded one whose
 * dictionary or program sets `/WMode 1` or that uses such a CMap (viewers read the program as well).
 */
function writesVertically(encoding: Value | undefined, doc: PdfDocument): boolean {
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
    doc: PdfDocument,
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

/** The index of the last item whose `lo` is at most `code` in items sorted by `lo`; -1 when none. */
function lastAtOrBelow(items: readonly { lo: number }[], code: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((items[mid] as { lo: number }).lo <= code) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
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

function utf16be(bytes: Buffer): string {
  const even = bytes.length - (bytes.length % 2);
  return Buffer.from(bytes.subarray(0, even)).swap16().toString('utf16le');
}

// Strings no viewer shows: a file's identifiers, a CID font's character collection.
// The streams named by /JS anywhere in a value (an action written inline in a catalog or an annotation).
function scriptStreams(v: Value, into: Set<number>, depth: number, walked: Set<object>): void {
  if (depth > MAX_NESTING || typeof v !== 'object' || v === null || walked.has(v)) return;
  walked.add(v);
  if (Array.isArray(v)) for (const item of v) scriptStreams(item, into, depth + 1, walked);
  else if (isDict(v))
    for (const [key, item] of v) {
      if (key === 'JS' && item instanceof Ref) into.add(item.num);
      else scriptStreams(item, into, depth + 1, walked);
    }
}

// Two views naming the very same entries.
function sameView(a: Map<number, Entry>, b: Map<number, Entry>): boolean {
  if (a.size !== b.size) return false;
  for (const [num, e] of a) if (b.get(num) !== e) return false;
  return true;
}

// Markup (XFA's XML, rich text's XHTML) as shown: tags apart, character references and XML's entities decoded;
// with `apart`, elements other than inline formatting end with more separators than the card finder bridges.
function markupText(markup: string, apart: boolean): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return withoutTags(markup, apart).replace(
    /&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]{2,6}));?/gi,
    (all, dec?: string, hex?: string, name?: string) => {
      const code = dec ? Number(dec) : hex ? Number.parseInt(hex, 16) : undefined;
      if (code !== undefined) return code <= 0x10ffff ? String.fromCodePoint(code) : all;
      return named[(name as string).toLowerCase()] ?? all;
    },
  );
}

// Tags become a space and CDATA sections their content, in one pass: a `<` that never closes is text to the end
// (as a browser shows it), so `<<<<…` is not searched from each `<` again (`/<[^>]*>/g` was quadratic there).
function withoutTags(markup: string, apart: boolean): string {
  const out: string[] = [];
  let at = 0;
  for (let open = markup.indexOf('<'); open >= 0; open = markup.indexOf('<', at)) {
    out.push(markup.slice(at, open));
    if (markup.startsWith('<![CDATA[', open)) {
      const end = markup.indexOf(']]>', open + 9);
      out.push(' ', markup.slice(open + 9, end < 0 ? markup.length : end), ' ');
      at = end < 0 ? markup.length : end + 3;
      continue;
    }
    const close = markup.indexOf('>', open + 1);
    if (close < 0) {
      at = open;
      break;
    }
    const name = /^\/?([A-Za-z][\w.-]*)/.exec(markup.slice(open + 1, Math.min(close, open + 40)))?.[1];
    out.push(apart && !(name && INLINE_TAGS.has(name.toLowerCase())) ? '       \n' : ' ');
    at = close + 1;
  }
  out.push(markup.slice(at));
  return out.join('');
}

const INLINE_TAGS = new Set([
  'span',
  'b',
  'i',
  'u',
  's',
  'em',
  'strong',
  'font',
  'sub',
  'sup',
  'a',
  'small',
  'big',
]);

const MACHINE_STRINGS = new Set(['ID', 'Registry', 'Ordering']);

/**
 * Adds each string in a value (dictionaries and arrays walked, references not followed) as text; a container
 * met again (many objects sharing one array) is walked once.
 */
function collectStrings(v: Value, into: Set<string>, depth: number, walked: Set<object>): void {
  if (depth > MAX_NESTING) return;
  if (v instanceof Buffer) into.add(textString(v));
  else if (Array.isArray(v) || isDict(v)) {
    if (walked.has(v)) return;
    walked.add(v);
    if (Array.isArray(v)) for (const item of v) collectStrings(item, into, depth + 1, walked);
    else
      for (const [key, item] of v)
        if (!MACHINE_STRINGS.has(key)) collectStrings(item, into, depth + 1, walked);
  }
}

/** A text string (a field's value, an annotation's contents): UTF-16BE or UTF-8 with a byte order mark, else PDFDocEncoding. */
function textString(bytes: Buffer): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16be(bytes.subarray(2));
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf-8');
  return bytes.toString('latin1');
}

// WinAnsi's characters 0x80–0x9F (the rest of it is Latin-1); other base encodings are read as Latin-1, which
// their digits and ASCII letters are.
const WIN_ANSI_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function baseChar(code: number, base: string | undefined): string {
  if (base === 'WinAnsiEncoding' && code >= 0x80 && code <= 0x9f) return WIN_ANSI_HIGH[code - 0x80] as string;
  return String.fromCharCode(code);
}

// Glyph names of the standard Latin encodings (Standard, WinAnsi, MacRoman, PDFDoc), which /Differences arrays
// name: punctuation and symbols, letters outside A–Z, ligatures as their letters, and digits' variants.
const GLYPHS: Record<string, string> = {
  ...Object.fromEntries(
    'zero one two three four five six seven eight nine'.split(' ').flatMap((name, digit) => [
      [name, String(digit)],
      [`${name}oldstyle`, String(digit)],
      [`${name}inferior`, String(digit)],
      [`${name}superior`, String(digit)],
    ]),
  ),
  ...Object.fromEntries(
    Object.entries({
      space: ' ',
      nbspace: ' ',
      nonbreakingspace: ' ',
      exclam: '!',
      quotedbl: '"',
      numbersign: '#',
      dollar: '$',
      percent: '%',
      ampersand: '&',
      quoteright: '’',
      quotesingle: "'",
      parenleft: '(',
      parenright: ')',
      asterisk: '*',
      plus: '+',
      comma: ',',
      hyphen: '-',
      sfthyphen: '-',
      softhyphen: '-',
      minus: '-',
      period: '.',
      slash: '/',
      fraction: '/',
      colon: ':',
      semicolon: ';',
      less: '<',
      equal: '=',
      greater: '>',
      question: '?',
      at: '@',
      bracketleft: '[',
      backslash: '\\',
      bracketright: ']',
      asciicircum: '^',
      underscore: '_',
      grave: '`',
      quoteleft: '‘',
      braceleft: '{',
      bar: '|',
      braceright: '}',
      asciitilde: '~',
      exclamdown: '¡',
      cent: '¢',
      sterling: '£',
      yen: '¥',
      florin: 'ƒ',
      section: '§',
      currency: '¤',
      quotedblleft: '“',
      guillemotleft: '«',
      guillemotright: '»',
      guilsinglleft: '‹',
      guilsinglright: '›',
      endash: '–',
      emdash: '—',
      dagger: '†',
      daggerdbl: '‡',
      periodcentered: '·',
      middot: '·',
      paragraph: '¶',
      bullet: '•',
      quotesinglbase: '‚',
      quotedblbase: '„',
      quotedblright: '”',
      ellipsis: '…',
      perthousand: '‰',
      questiondown: '¿',
      ordfeminine: 'ª',
      ordmasculine: 'º',
      copyright: '©',
      registered: '®',
      trademark: '™',
      degree: '°',
      plusminus: '±',
      multiply: '×',
      divide: '÷',
      logicalnot: '¬',
      mu: 'µ',
      onehalf: '½',
      onequarter: '¼',
      threequarters: '¾',
      brokenbar: '¦',
      dieresis: '¨',
      macron: '¯',
      acute: '´',
      cedilla: '¸',
      Euro: '€',
      circumflex: 'ˆ',
      tilde: '˜',
      breve: '˘',
      dotaccent: '˙',
      ring: '˚',
      ogonek: '˛',
      caron: 'ˇ',
      hungarumlaut: '˝',
      AE: 'AE',
      ae: 'ae',
      OE: 'OE',
      oe: 'oe',
      Oslash: 'Ø',
      oslash: 'ø',
      Lslash: 'Ł',
      lslash: 'ł',
      germandbls: 'ß',
      dotlessi: 'ı',
      Eth: 'Ð',
      eth: 'ð',
      Thorn: 'Þ',
      thorn: 'þ',
      fi: 'fi',
      fl: 'fl',
      ff: 'ff',
      ffi: 'ffi',
      ffl: 'ffl',
    }),
  ),
};
// Accented letters are named by letter and accent (`eacute`, `Udieresis`, `scaron`): composed as Unicode does.
const ACCENTS: Record<string, string> = {
  acute: '\u0301',
  grave: '\u0300',
  circumflex: '\u0302',
  dieresis: '\u0308',
  tilde: '\u0303',
  ring: '\u030a',
  cedilla: '\u0327',
  caron: '\u030c',
  macron: '\u0304',
  breve: '\u0306',
  dotaccent: '\u0307',
  ogonek: '\u0328',
  hungarumlaut: '\u030b',
  commaaccent: '\u0326',
};
const ACCENTED = new RegExp(`^([A-Za-z])(${Object.keys(ACCENTS).join('|')})$`);

/** A glyph name's character (`four`, `four.tf`, `uni0034`, `u1F600`, `A`); undefined when the name says none. */
function glyphChar(name: string): string | undefined {
  const base = name.split('.')[0] ?? '';
  if (/^[A-Za-z]$/.test(base)) return base;
  const known = GLYPHS[base];
  if (known !== undefined) return known;
  const accented = ACCENTED.exec(base);
  if (accented) return `${accented[1]}${ACCENTS[accented[2] as string]}`.normalize('NFC');
  const uni = /^uni((?:[0-9A-F]{4})+)$/.exec(base)?.[1];
  if (uni) return String.fromCharCode(...(uni.match(/.{4}/g) ?? []).map((h) => Number.parseInt(h, 16)));
  const u = /^u([0-9A-F]{4,6})$/.exec(base)?.[1];
  if (u) return String.fromCodePoint(Math.min(Number.parseInt(u, 16), 0x10ffff));
  return undefined;
}

// --- Filters -------------------------------------------------------------------------------------------------

function ascii85(data: Buffer, max: number): Buffer {
  // At most 4 bytes out for each byte in (`z`), and never more than the budget: written into one buffer.
  const out = Buffer.alloc(Math.min(max + 4, data.length * 4));
  let size = 0;
  let value = 0;
  let digits = 0;
  const put = (n: number) => {
    if (size + n > max) throw new PdfProblem(`ASCII85 data decodes past ${max} bytes`);
    for (let k = 0; k < n; k++) out[size++] = (value >>> (24 - 8 * k)) & 0xff;
  };
  let i = data[0] === 0x3c && data[1] === 0x7e ? 2 : 0;
  for (; i < data.length; i++) {
    const c = data[i] as number;
    if (c === 0x7e) break; // ~> ends the data
    if (isSpace(c)) continue;
    if (c === 0x7a && digits === 0) {
      value = 0;
      put(4);
      continue;
    }
    const d = c - 33;
    if (d < 0 || d > 84) throw new PdfProblem('ASCII85 data is damaged');
    value = value * 85 + d;
    if (++digits === 5) {
      value >>>= 0;
      put(4);
      value = 0;
      digits = 0;
    }
  }
  if (digits > 0) {
    const n = digits;
    for (; digits < 5; digits++) value = value * 85 + 84;
    value >>>= 0;
    put(n - 1);
  }
  return out.subarray(0, size);
}

function runLength(data: Buffer, max: number): Buffer {
  const out: Buffer[] = [];
  let size = 0;
  for (let i = 0; i < data.length; ) {
    const n = data[i++] as number;
    if (n === 128) break;
    const piece = n < 128 ? data.subarray(i, i + n + 1) : Buffer.alloc(257 - n, data[i] ?? 0);
    i += n < 128 ? n + 1 : 1;
    size += piece.length;
    if (size > max) throw new PdfProblem('over the decoded bytes budget (run-length data)');
    out.push(piece);
  }
  return Buffer.concat(out);
}

function lzw(data: Buffer, max: number): Buffer {
  const out: number[] = [];
  let table: number[][] = [];
  const reset = () => {
    table = Array.from({ length: 258 }, (_, i) => [i]);
  };
  reset();
  let width = 9;
  let bits = 0;
  let value = 0;
  let previous: number[] | undefined;
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= width) {
      const code = (value >>> (bits - width)) & ((1 << width) - 1);
      bits -= width;
      value &= (1 << bits) - 1;
      if (code === 256) {
        reset();
        width = 9;
        previous = undefined;
        continue;
      }
      if (code === 257) return Buffer.from(out);
      const entry =
        table[code] ?? (previous && code === table.length ? [...previous, previous[0] as number] : undefined);
      if (!entry) throw new PdfProblem('LZW data is damaged');
      for (const b of entry) out.push(b);
      if (out.length > max) throw new PdfProblem('over the decoded bytes budget (LZW data)');
      if (previous && table.length < 4096) table.push([...previous, entry[0] as number]);
      previous = entry;
      if (table.length + 1 >= 1 << width && width < 12) width++;
    }
  }
  return Buffer.from(out);
}

// PNG predictors (and TIFF's 2) undone, as object and cross-reference streams are written.
function unpredict(data: Buffer, params: Dict, doc: PdfDocument): Buffer {
  const predictor = doc.real(params.get('Predictor'));
  const columns = Math.max(1, Math.floor(doc.real(params.get('Columns')) ?? 1));
  const colors = Math.max(1, Math.floor(doc.real(params.get('Colors')) ?? 1));
  const bits = doc.real(params.get('BitsPerComponent')) ?? 8;
  if (
    predictor === undefined ||
    predictor < 10 ||
    predictor > 15 ||
    colors > 32 ||
    ![1, 2, 4, 8, 16].includes(bits)
  )
    throw new PdfProblem(`predictor ${String(predictor)} is not read`);
  try {
    return unpng(data, { columns, colors, bits });
  } catch (error) {
    throw new PdfProblem(`a predicted stream has ${(error as Error).message}`);
  }
}

// After `ID`, an inline image's data runs to the first `EI` followed by white space (or the end) and then by
// text-like bytes, as pdf.js finds it: the byte before it may be anything (`\x80EI`), so no content after a
// short image is skipped.
function skipInlineImage(lexer: Lexer): void {
  const b = lexer.b;
  let i = lexer.pos + 1;
  for (;;) {
    const at = b.indexOf('EI', i, 'latin1');
    if (at < 0 || at >= lexer.end) {
      lexer.pos = lexer.end;
      return;
    }
    const after = b[at + 2];
    if (after === undefined || at + 2 >= lexer.end || (isSpace(after) && textLike(b, at + 3, lexer.end))) {
      lexer.pos = at + 2;
      return;
    }
    i = at + 2;
  }
}

// The 10 bytes after an inline image's `EI`: content (printable ASCII and line breaks), not image data.
function textLike(b: Buffer, from: number, end: number): boolean {
  for (let k = from; k < Math.min(end, from + 10); k++) {
    const c = b[k] as number;
    if (c !== 0x0a && c !== 0x0d && (c < 0x20 || c > 0x7f)) return false;
  }
  return true;
}
