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

/**
 * Finds the run of whole lines from a line start that a line-by-line pass would let through untouched: no
 * line longer than `maxLength` octets (its line ending excluded), no byte outside `allowed`, no line
 * starting with `-` (a possible boundary), and a CR only before LF unless `bareCr`. The first line that
 * breaks a rule, and an unfinished last line, are left to the caller's line-by-line path, so what that
 * path reports or repairs is unchanged. One table lookup per byte and no allocation: linear, and no
 * garbage for the collector.
 *
 * @example
 * ```ts
 * const base64 = new CleanLines(/[A-Za-z0-9+/=]/, 998);
 * base64.run(Buffer.from('QUJD\r\nREVG\r\n--b\r\n'), 0); // { end: 12, lines: 2 }
 * ```
 */
export class CleanLines {
  private readonly table = new Uint8Array(256);

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
    const table = this.table;
    const length = chunk.length;
    const last8 = length - 8;
    let end = start;
    let lines = 0;
    if (chunk[start] === DASH) return { end, lines };
    let at = start;
    while (at < length) {
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
}
