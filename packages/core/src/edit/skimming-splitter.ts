import type { TransformCallback } from 'node:stream';
import { Splitter, type SplitterOptions } from '@zone-eu/mailsplit';

/** The parts of mailsplit's Splitter (5.4) this class reads and drives; checked at construction. */
interface SplitterInternals {
  state: number;
  node: { multipart: string | false; parentNode: unknown };
  lineLength: number;
  lineChunks: Buffer[];
  pendingLineTruncated: boolean;
  takePendingLine(): Buffer | false;
  appendPendingLine(chunk: Buffer): void;
}

const BODY = 0x02;
const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;
const DASH_LINE = Buffer.from('\n-', 'latin1');
const CR_DASH_LINE = Buffer.from('\n\r-', 'latin1');
const BLANK_LINES = ['\n\r\n', '\n\n'].map((s) => Buffer.from(s, 'latin1'));

/**
 * mailsplit's Splitter, with the body of a leaf part passed on without per-line work: a run of lines that
 * cannot be a delimiter (none starts with `-`) goes out as one body chunk, found with native byte searches,
 * and mailsplit itself reads every other line (headers, delimiters, preambles), with the line before a
 * possible delimiter and the header block it may open in one piece (see skimmable, edgeEnd). mailsplit's
 * own output depends on how its input is cut when a part header runs into a delimiter; on input where part
 * headers end with a blank line (what RawRepair gives the editor) the output is mailsplit's, which the
 * fast-path tests check; the node a run of data lines is told under is the one mailsplit gives when its input is
 * cut where this class cuts it (after an outer close delimiter in a nested epilogue, mailsplit tells the run under
 * the node of its first line; the rewriter passes data on whatever its node). If mailsplit's internals are not the ones this relies on (another version), it is
 * plain mailsplit.
 *
 * @example
 * ```ts
 * await pipeline(source, new SkimmingSplitter({ ignoreEmbedded: true }), rewriter, new Joiner(), out);
 * ```
 */
export class SkimmingSplitter extends Splitter {
  private readonly skims: boolean;

  constructor(config?: SplitterOptions) {
    super(config);
    // Few parts in flight (mailsplit keeps Node's default of 16 objects): each may hold 64 KiB or more.
    const readable = (this as unknown as { _readableState?: { highWaterMark: number } })._readableState;
    if (readable) readable.highWaterMark = 2;
    const self = this as unknown as Partial<SplitterInternals>;
    this.skims =
      typeof self.takePendingLine === 'function' &&
      typeof self.appendPendingLine === 'function' &&
      Array.isArray(self.lineChunks) &&
      typeof self.lineLength === 'number' &&
      typeof self.pendingLineTruncated === 'boolean' &&
      self.state !== undefined &&
      self.node !== undefined;
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, done: TransformCallback): void {
    // A CR before a delimiter is read as a line end or not depending on where mailsplit's input is cut:
    // a chunk holding a line that starts with CR `-` goes to mailsplit uncut.
    const crDelimiter = chunk.includes(CR_DASH_LINE) || (chunk[0] === CR && chunk[1] === DASH);
    if (this.skims && !crDelimiter) this.feed(chunk, 0, encoding, done);
    else super._transform(chunk, encoding, done);
  }

  private feed(chunk: Buffer, start: number, encoding: BufferEncoding, done: TransformCallback): void {
    const inner = this as unknown as SplitterInternals;
    let at = start;
    let stop: number;
    if (this.atBodyLine(inner) && bodyLine(chunk, at)) {
      const skim = skimmable(chunk, at);
      if (skim.keepFrom > at) {
        // The line at `at` is no delimiter, so the line ending held before it is body.
        const pending = inner.takePendingLine();
        if (pending) this.push({ node: inner.node, type: 'body', value: pending });
        this.push({ node: inner.node, type: 'body', value: chunk.subarray(at, skim.keepFrom) });
        at = skim.keepFrom;
      }
      stop = skim.stop;
    } else {
      // mailsplit reads the rest of a body line, then the skim resumes. A line that may be a delimiter goes
      // with the header block it may open, up to the next blank line: mailsplit's output for a part with no
      // blank line depends on reading the delimiter and that header in one piece.
      const inLeafBody = inner.state === BODY && !inner.node.multipart && !inner.pendingLineTruncated;
      if (!inLeafBody)
        stop = heldCr(inner) && chunk[at] === LF ? at + 1 : edgeEnd(chunk, at, inner.lineLength === 0);
      else if (mayDelimit(inner, chunk, at)) stop = edgeEnd(chunk, lineEnd(chunk, at), true);
      else stop = lineEnd(chunk, at);
    }
    if (at >= chunk.length) {
      done();
      return;
    }
    super._transform(chunk.subarray(at, stop), encoding, (error) => {
      if (error) done(error);
      else this.feed(chunk, stop, encoding, done);
    });
  }

  /** In the body of a leaf part, at the start of a line (nothing pending but a line ending). */
  private atBodyLine(inner: SplitterInternals): boolean {
    if (inner.state !== BODY || inner.node.multipart || inner.pendingLineTruncated) return false;
    if (inner.lineLength === 0) return true;
    if (inner.lineLength > 2) return false;
    const pending = inner.lineChunks.length === 1 ? inner.lineChunks[0] : Buffer.concat(inner.lineChunks);
    return pending?.at(-1) === LF && (pending.length === 1 || pending[0] === CR);
  }
}

/**
 * mailsplit holds a lone CR: with an LF first in the chunk it is a blank line, which ends there. Searching
 * on for a blank line would take the LF for the end of a longer line and the next empty line for the blank
 * one, cutting that empty line from a delimiter after it.
 */
function heldCr(inner: SplitterInternals): boolean {
  return inner.lineLength === 1 && inner.lineChunks.length === 1 && inner.lineChunks[0]?.[0] === CR;
}

/** The line mailsplit holds the start of (or the one at `at`) may be a delimiter. */
function mayDelimit(inner: SplitterInternals, chunk: Buffer, at: number): boolean {
  const held = inner.lineChunks[0]?.subarray(0, 3) ?? Buffer.alloc(0);
  const pending =
    held.length >= 3 || inner.lineChunks.length < 2 ? held : Buffer.concat(inner.lineChunks).subarray(0, 3);
  let k = 0;
  if (pending[0] === CR || pending[0] === LF) k = pending[0] === CR && pending[1] === LF ? 2 : 1;
  const first = k < pending.length ? pending[k] : chunk[at];
  return first === undefined || first === DASH || first === CR;
}

/** The line at `start` cannot be a delimiter, whatever mailsplit holds before it. */
function bodyLine(chunk: Buffer, start: number): boolean {
  const first = chunk[start];
  return first !== undefined && first !== DASH && first !== CR;
}

/**
 * What of the body from `start` (a line that is no delimiter) can skip mailsplit: the lines up to the first
 * that starts with `-` or CR `-`, or to the chunk's end, less the last non-empty line and what follows it.
 * mailsplit reads that stretch itself (to `stop`: the candidate line, or the chunk's end) in one piece, so
 * the line ending before a delimiter, an empty last line and a CR before a delimiter come out as mailsplit
 * makes them when the bytes are not cut there.
 */
function skimmable(chunk: Buffer, start: number): { keepFrom: number; stop: number } {
  const found = chunk.indexOf(DASH_LINE, start);
  const stop = found === -1 ? chunk.length : edgeEnd(chunk, found + 1, true);
  let end = found === -1 ? chunk.lastIndexOf(LF) : found; // the line feed of the last whole line before
  while (end >= start) {
    const lineStart = end === 0 ? 0 : chunk.lastIndexOf(LF, end - 1) + 1;
    if (lineStart < start) break;
    if (end - lineStart > 1 || (end - lineStart === 1 && chunk[lineStart] !== CR))
      return { keepFrom: lineStart, stop };
    end = lineStart - 1; // an empty line: mailsplit reads it too
  }
  return { keepFrom: start, stop };
}

function lineEnd(chunk: Buffer, start: number): number {
  const lf = chunk.indexOf(LF, start);
  return lf === -1 ? chunk.length : lf + 1;
}

/**
 * End of the first blank line from `start`: only a blank line leads into the body of a leaf part. Cutting
 * nowhere else keeps a header block and the delimiter that may close it in one piece, as mailsplit's
 * output depends on that.
 */
function edgeEnd(chunk: Buffer, start: number, atLineStart: boolean): number {
  if (atLineStart && (chunk[start] === LF || (chunk[start] === CR && chunk[start + 1] === LF)))
    return lineEnd(chunk, start);
  let edge = chunk.length;
  for (const pattern of BLANK_LINES) {
    const found = chunk.indexOf(pattern, start);
    if (found !== -1 && found + pattern.length < edge) edge = found + pattern.length;
  }
  return edge;
}
