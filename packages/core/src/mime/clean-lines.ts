/** Where a run of clean lines ends, and how many lines it holds. */
export interface CleanRun {
  /** Offset just after the line feed of the last clean line (`start` when there is none). */
  end: number;
  lines: number;
}

const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;
const DASH_LINE = Buffer.from('\n-', 'latin1');
/** Bytes turned into text at a time: small strings die young, where garbage costs least. */
const WINDOW = 64 * 1024;

/**
 * Finds, with native byte scans instead of per-line work, the run of whole lines from a line start that a
 * line-by-line pass would let through untouched: no line longer than `maxLength` octets (its line ending
 * excluded), no byte that `bad` matches (read as latin1), no line starting with `-` (a possible boundary).
 * The first line that breaks a rule, and an unfinished last line, are left to the caller's line-by-line
 * path, so what that path reports or repairs is unchanged. Linear: each byte is turned into text once
 * (64 KiB at a time), and `bad` resumes from where it last stopped.
 *
 * @example
 * ```ts
 * const base64 = new CleanLines(/[^A-Za-z0-9+/=\r\n]|\r(?!\n)/g, 998);
 * base64.run(Buffer.from('QUJD\r\nREVG\r\n--b\r\n'), 0); // { end: 12, lines: 2 }
 * ```
 */
export class CleanLines {
  private chunk?: Uint8Array;
  /** Latin1 text of `chunk` from `base` (at most WINDOW bytes). */
  private text = '';
  private base = 0;
  /** The first byte `bad` matches in the window at or after `badFrom`, or the window's end for none. */
  private badAt = 0;
  private badFrom = 0;

  /** @param bad A global regular expression matching one disallowed character; it must not match `\n`. */
  constructor(
    private readonly bad: RegExp,
    private readonly maxLength: number,
  ) {
    if (!bad.global) throw new TypeError('CleanLines needs a global regular expression');
  }

  /** The clean run of `chunk` from `start`, which must be the first byte of a line. */
  run(chunk: Buffer, start: number): CleanRun {
    if (chunk[start] === DASH) return { end: start, lines: 0 };
    const dash = chunk.indexOf(DASH_LINE, start);
    let end = dash === -1 ? chunk.lastIndexOf(LF) + 1 : dash + 1;
    if (end <= start) return { end: start, lines: 0 };
    const bad = this.nextBad(chunk, start);
    // The line holding `bad` is left out (a negative offset would search from the chunk's end).
    if (bad < end) end = bad <= start ? start : chunk.lastIndexOf(LF, bad - 1) + 1;
    let lines = 0;
    let at = start;
    while (at < end) {
      const lf = chunk.indexOf(LF, at);
      const length = lf - at - (lf > at && chunk[lf - 1] === CR ? 1 : 0);
      if (length > this.maxLength) break;
      lines++;
      at = lf + 1;
    }
    return { end: at, lines };
  }

  /** Forgets the chunk last scanned, so its text is not kept alive. */
  release(): void {
    this.chunk = undefined;
    this.text = '';
  }

  private nextBad(chunk: Buffer, start: number): number {
    const windowEnd = this.base + this.text.length;
    if (chunk !== this.chunk || start < this.base || start >= windowEnd) {
      this.chunk = chunk;
      this.base = start;
      this.text = chunk.toString('latin1', start, Math.min(chunk.length, start + WINDOW));
      this.badFrom = Number.POSITIVE_INFINITY;
    }
    if (start < this.badFrom || start > this.badAt) {
      this.bad.lastIndex = start - this.base;
      const found = this.bad.exec(this.text);
      this.badAt = this.base + (found ? found.index : this.text.length);
      this.badFrom = start;
    }
    return this.badAt;
  }
}
