import type { CleanRun } from './clean-lines.js';

/** One line of a message, as {@link LineSplitter} reports it. */
export interface MimeLine {
  /** The first bytes of the line (at most the splitter's `keep`), line ending removed. */
  readonly text: Buffer;
  /** Length of the whole line in octets, line ending (CR LF or LF) excluded. */
  readonly length: number;
  /** 1-based line number. */
  readonly number: number;
  /** Offset (0-based) of the first byte outside 0x01–0x7F in the line, or -1. */
  readonly firstNonAscii: number;
}

const LF = 0x0a;
const CR = 0x0d;
// Any byte that 7bit data (RFC 2045 2.7) may not carry, apart from CR and LF.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what this looks for
const NOT_SEVEN_BIT = /[^\x01-\x7f]/;

/**
 * Splits a byte stream into lines in one linear pass, keeping at most `keep`
 * bytes of each line: a hostile 25 MB line costs `keep` bytes of memory.
 *
 * @example
 * ```ts
 * const splitter = new LineSplitter((line) => console.log(line.number, line.length));
 * splitter.push(Buffer.from('a\r\nbc\n'));
 * splitter.end(); // lines 1 (length 1) and 2 (length 2)
 * ```
 */
export class LineSplitter {
  private kept: Buffer[] = [];
  private keptLength = 0;
  private pendingLength = 0;
  private pendingEndsWithCr = false;
  private pendingNonAscii = -1;
  private lineNumber = 0;

  /**
   * @param skip Optional: at a line start, the run of whole lines the caller needs no report of (they are
   *   counted, not reported), e.g. {@link CleanLines.run}; undefined to report every line.
   */
  constructor(
    private readonly onLine: (line: MimeLine) => void,
    private readonly keep = 2048,
    private readonly skip?: (buffer: Buffer, start: number) => CleanRun | undefined,
  ) {}

  /** Feeds the next bytes. */
  push(chunk: Uint8Array): void {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    let hasNonAscii: boolean | undefined;
    let start = 0;
    while (start < buffer.length) {
      const run = this.pendingLength === 0 ? this.skip?.(buffer, start) : undefined;
      if (run && run.end > start) {
        this.lineNumber += run.lines;
        start = run.end;
        continue;
      }
      // Without a skip, one test of the whole chunk spares most lines a search; with one, few lines get here.
      hasNonAscii ??= this.skip !== undefined || NOT_SEVEN_BIT.test(buffer.toString('latin1'));
      const lf = buffer.indexOf(LF, start);
      const end = lf === -1 ? buffer.length : lf;
      this.append(buffer.subarray(start, end), hasNonAscii);
      if (lf === -1) return;
      this.emit();
      start = lf + 1;
    }
  }

  /** Reports the last line when the input does not end with a line break. */
  end(): void {
    if (this.pendingLength > 0) this.emit();
  }

  /** Lines reported so far. */
  get lines(): number {
    return this.lineNumber;
  }

  private append(segment: Buffer, mayHaveNonAscii: boolean): void {
    if (segment.length === 0) return;
    if (mayHaveNonAscii && this.pendingNonAscii === -1) {
      const found = segment.toString('latin1').search(NOT_SEVEN_BIT);
      if (found !== -1) this.pendingNonAscii = this.pendingLength + found;
    }
    const room = this.keep - this.keptLength;
    if (room > 0) {
      const part = segment.length <= room ? segment : segment.subarray(0, room);
      this.kept.push(Buffer.from(part));
      this.keptLength += part.length;
    }
    this.pendingLength += segment.length;
    this.pendingEndsWithCr = segment[segment.length - 1] === CR;
  }

  private emit(): void {
    const withCr = this.pendingEndsWithCr;
    const length = this.pendingLength - (withCr ? 1 : 0);
    let text = this.kept.length === 1 ? (this.kept[0] as Buffer) : Buffer.concat(this.kept, this.keptLength);
    if (text.length > length) text = text.subarray(0, length);
    const firstNonAscii = this.pendingNonAscii < length ? this.pendingNonAscii : -1;
    this.lineNumber += 1;
    this.kept = [];
    this.keptLength = 0;
    this.pendingLength = 0;
    this.pendingEndsWithCr = false;
    this.pendingNonAscii = -1;
    this.onLine({ text, length, number: this.lineNumber, firstNonAscii });
  }
}
