import { inflateSync, constants as zlib } from 'node:zlib';
import { hasPdfHeader } from './binary-text.js';
import {
  emptyPasswordDecryptor,
  PdfDecryptError,
  type PdfDecryptor,
  type PdfEncryption,
} from './pdf-decrypt.js';
import { ascii85, lzw, runLength, unpredict } from './pdf-filters.js';
import { type Dict, isDict, Keyword, Lexer, MAX_NESTING, Name, Ref, type Value } from './pdf-lexer.js';
import { PdfProblem } from './pdf-problem.js';
import { readXrefChain } from './pdf-xref.js';
import { type ReadingDeadline, ReadingTimeUp } from './reading-deadline.js';

// The objects of one PDF file, for the PDF text reader (pdf-text.ts): found by scanning the file, as viewers
// recover a damaged one, and as its cross-reference chain names them (a second view where they differ); their
// references resolved, their streams decrypted and decoded within the decoded-bytes budget.

/** Most objects looked at in one PDF. */
export const MAX_PDF_OBJECTS = 200_000;

export interface Entry {
  /** Where it was defined (a later definition wins, as an incremental update's does). */
  at: number;
  value: Value;
  /** A stream's raw bytes. */
  raw?: Buffer;
  /** Its generation number, which an encrypted file's keys mix in. */
  gen?: number;
}

/** Where the value at `offset` starts: past white space and comments, as viewers' lexers skip them. */
function skipSpaceAndComments(pdf: Buffer, offset: number): number {
  const lexer = new Lexer(pdf, offset);
  lexer.skip();
  return lexer.pos;
}

/** A cross-reference stream's dictionary, with or without its /Type (viewers do not ask for it). */
export function isXref(dict: Dict, doc: { nameOf(v: Value | undefined): string | undefined }): boolean {
  return doc.nameOf(dict.get('Type')) === 'XRef' || (dict.has('W') && dict.has('Size'));
}

// `N G obj` as a PDF lexer reads it: white space or comments between the numbers, none needed before `obj`.
// (A comment runs to its end of line, so each splits one way only: no backtracking over `%%%%`.)
const OBJ =
  /(?<![\d.])(\d{1,10})(?:[ \t\r\n\f\0]|%[^\r\n]*[\r\n])+(\d{1,5})(?:[ \t\r\n\f\0]|%[^\r\n]*[\r\n])*obj\b/g;

/**
 * A PDF's objects and trailers, how it is encrypted, and the bytes decoded so far (the reading's layers build on
 * it: pdf-content.ts interprets content streams, pdf-pages.ts walks the pages).
 */
export class PdfObjects {
  /** The objects the reading resolves references in: the last definition of each number (or the chain's view). */
  objects = new Map<number, Entry>();
  /** Every `N G obj` the scan found, by where it starts: what a cross-reference offset names. */
  private readonly byOffset = new Map<number, Entry & { num: number }>();
  /** What the cross-reference chain names, where it differs from the last definitions: a second reading. */
  protected readonly chainViews: { objects: Map<number, Entry>; trailer: Dict }[] = [];
  /** The objects of the object streams, by `stream number:index`, as a cross-reference stream names them. */
  private readonly compressed = new Map<string, Entry>();
  private readonly unpacked = new Map<Entry, (Entry | undefined)[]>();
  readonly trailers: Dict[] = [];
  encrypted = false;
  decoded = 0;
  private decryptor: PdfDecryptor | undefined;
  private parsed = 0;
  /** Where each object's body (and stream) lies: `trailer` written inside one is no trailer. */
  private readonly bodyRanges: [number, number][] = [];
  /** The encryption dictionary's object, whose strings and streams are never encrypted. */
  protected unencrypted = -1;
  private readonly streams = new Map<Entry, Buffer>();

  constructor(
    readonly pdf: Buffer,
    readonly maxBytes: number,
    protected readonly deadline: ReadingDeadline,
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
  protected inView<T>(objects: Map<number, Entry>, read: () => T): T {
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

  /** An array of numbers (a box, a matrix), each entry that is none read as 0; empty when it is no array. */
  numbers(v: Value | undefined): number[] {
    return (this.array(v) ?? []).map((n) => this.real(n) ?? 0);
  }

  /** A number, followed through a reference; undefined for anything else. */
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
}

// Two views naming the very same entries.
function sameView(a: Map<number, Entry>, b: Map<number, Entry>): boolean {
  if (a.size !== b.size) return false;
  for (const [num, e] of a) if (b.get(num) !== e) return false;
  return true;
}

/** The index of the last item whose `lo` is at most `code` in items sorted by `lo`; -1 when none. */
export function lastAtOrBelow(items: readonly { lo: number }[], code: number): number {
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
