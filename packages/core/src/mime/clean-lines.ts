/** Where a run of clean lines ends, and how many lines it holds. */
export interface CleanRun {
  /** Offset just after the line feed of the last clean line (`start` when there is none). */
  end: number;
  lines: number;
}

const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;
// Byte classes in the table, one bit each so that eight lookups ANDed equal PLAIN only when all are plain.
const PLAIN = 1;
const LINE_FEED = 2;
const RETURN = 4;
// Below this many bytes a 32-bit view of the chunk costs more than it saves.
const WIDE_FROM = 512;
// The class of two bytes at once, indexed by the 16 bits of both (PLAIN only when both are): half the lookups
// on long runs. 64 KiB each, built on first use for each byte table (the callers use three) and kept.
const PAIR_TABLES = new Map<string, Uint8Array>();

/**
 * Finds the run of whole lines from a line start that a line-by-line pass would let through untouched: no
 * line longer than `maxLength` octets (its line ending excluded), no byte outside `allowed`, no line
 * starting with `-` (a possible boundary), and a CR only before LF unless `bareCr`. The first line that
 * breaks a rule, and an unfinished last line, are left to the caller's line-by-line path, so what that
 * path reports or repairs is unchanged. One table lookup per byte (per two bytes on long runs) and no
 * allocation but a view per chunk: linear, and next to no garbage for the collector.
 *
 * @example
 * ```ts
 * const base64 = new CleanLines(/[A-Za-z0-9+/=]/, 998);
 * base64.run(Buffer.from('QUJD\r\nREVG\r\n--b\r\n'), 0); // { end: 12, lines: 2 }
 * ```
 */
export class CleanLines {
  private readonly table = new Uint8Array(256);
  private pairs: Uint8Array | undefined;
  // The 32-bit view of the last chunk, as a caller runs through one chunk a line run at a time.
  private words: { chunk: Uint8Array; length: number; view: Uint32Array; shift: number } | undefined;

  /**
   * @param allowed Matches one byte (as a latin1 character) a clean line may hold; CR and LF are apart.
   * @param bareCr Whether a CR not followed by LF is allowed inside a line.
   */
  constructor(
    allowed: RegExp,
    private readonly maxLength: number,
    bareCr = false,
  ) {
    const probe = new RegExp(allowed.source, allowed.flags.replace(/[gy]/g, ''));
    for (let byte = 0; byte < 256; byte++) {
      if (probe.test(String.fromCharCode(byte))) this.table[byte] = PLAIN;
    }
    this.table[LF] = LINE_FEED;
    this.table[CR] = bareCr ? PLAIN : RETURN;
  }

  /** The clean run of `chunk` from `start`, which must be the first byte of a line. */
  run(chunk: Uint8Array, start: number): CleanRun {
    if (chunk[start] === DASH) return { end: start, lines: 0 };
    const table = this.table;
    const length = chunk.length;
    const last8 = length - 8;
    // Long runs look plain bytes up two at a time, read four at a time through a 32-bit view of the chunk.
    const wide = length - start >= WIDE_FROM ? this.wordsOf(chunk) : undefined;
    const pairs = wide ? this.pairTable() : table;
    let end = start;
    let lines = 0;
    let at = start;
    while (at < length) {
      if (wide) {
        const { view, shift } = wide;
        // Plain bytes up to a word boundary, then eight bytes (two 32-bit words, four pairs) per branch.
        while (((at - shift) & 3) !== 0 && at < length && table[chunk[at] as number] === PLAIN) at++;
        if (((at - shift) & 3) === 0) {
          let w = (at - shift) >> 2;
          while (at <= last8) {
            const a = view[w] as number;
            const b = view[w + 1] as number;
            if (
              !(
                (pairs[a & 0xffff] as number) &
                (pairs[a >>> 16] as number) &
                (pairs[b & 0xffff] as number) &
                (pairs[b >>> 16] as number)
              )
            )
              break;
            at += 8;
            w += 2;
          }
        }
      } else {
        // Most bytes are plain: skip them eight at a time, one branch per eight.
        while (
          at <= last8 &&
          (table[chunk[at] as number] as number) &
            (table[chunk[at + 1] as number] as number) &
            (table[chunk[at + 2] as number] as number) &
            (table[chunk[at + 3] as number] as number) &
            (table[chunk[at + 4] as number] as number) &
            (table[chunk[at + 5] as number] as number) &
            (table[chunk[at + 6] as number] as number) &
            (table[chunk[at + 7] as number] as number)
        ) {
          at += 8;
        }
      }
      if (at >= length) break;
      const kind = table[chunk[at] as number];
      if (kind === PLAIN) {
        at++;
      } else if (kind === LINE_FEED) {
        const bytes = at - end - (at > end && chunk[at - 1] === CR ? 1 : 0);
        if (bytes > this.maxLength) break;
        lines++;
        end = at + 1;
        at = end;
        if (chunk[end] === DASH) break;
      } else if (kind === RETURN && chunk[at + 1] === LF) {
        at++;
      } else {
        break;
      }
    }
    return { end, lines };
  }

  private pairTable(): Uint8Array {
    if (this.pairs) return this.pairs;
    const key = Buffer.from(this.table).toString('latin1');
    let pairs = PAIR_TABLES.get(key);
    if (!pairs) {
      // A row of 256 per high byte: the low byte's class where the high byte is plain, zero elsewhere. Copied
      // row by row rather than 65,536 lookups, which cost milliseconds of a cold start's first long line.
      pairs = new Uint8Array(65_536);
      const row = this.table.map((kind) => kind & PLAIN);
      for (let high = 0; high < 256; high++) if (row[high]) pairs.set(row, high << 8);
      PAIR_TABLES.set(key, pairs);
    }
    this.pairs = pairs;
    return pairs;
  }

  /** A 32-bit view of `chunk` from its first address that is a multiple of 4; `shift` is the chunk index of its first word. */
  private wordsOf(chunk: Uint8Array): { view: Uint32Array; shift: number } {
    // The same chunk at the same length: a chunk over a resizable buffer may have grown past the view.
    if (this.words?.chunk === chunk && this.words.length === chunk.length) return this.words;
    const offset = chunk.byteOffset;
    const first = (offset + 3) & ~3;
    const view = new Uint32Array(chunk.buffer, first, Math.max(0, (offset + chunk.length - first) >> 2));
    this.words = { chunk, length: chunk.length, view, shift: first - offset };
    return this.words;
  }
}
