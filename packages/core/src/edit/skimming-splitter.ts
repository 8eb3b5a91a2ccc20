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
const EDGES = ['\n-', '\n\r', '\n\n'].map((s) => Buffer.from(s, 'latin1'));

/**
 * mailsplit's Splitter, with the body of a leaf part passed on without per-line work: a run of lines that
 * cannot be a delimiter (none starts with `-`, nor with CR and `-`) goes out as one body chunk, found with
 * native byte searches, and mailsplit itself reads every other line (headers, delimiters, preambles). The
 * run ends as mailsplit ends a chunk: the last line ending is held back, since a delimiter that follows
 * owns it. So the output is mailsplit's for the same bytes cut into other chunks. If mailsplit's internals
 * are not the ones this relies on (another version), it is plain mailsplit.
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
    if (this.skims) this.feed(chunk, 0, encoding, done);
    else super._transform(chunk, encoding, done);
  }

  private feed(chunk: Buffer, start: number, encoding: BufferEncoding, done: TransformCallback): void {
    const inner = this as unknown as SplitterInternals;
    let at = start;
    if (this.atBodyLine(inner)) {
      const end = runEnd(chunk, at);
      if (end > at) {
        const pending = inner.takePendingLine();
        if (pending) this.push({ node: inner.node, type: 'body', value: pending });
        let cut = end;
        if (inner.node.parentNode) {
          cut--; // the run ends with LF
          if (cut > at && chunk[cut - 1] === CR) cut--;
        }
        if (cut > at) this.push({ node: inner.node, type: 'body', value: chunk.subarray(at, cut) });
        if (cut < end) inner.appendPendingLine(chunk.subarray(cut, end));
        at = end;
      }
    }
    if (at >= chunk.length) {
      done();
      return;
    }
    // mailsplit reads the rest of a body line (or up to the next line that may change its state), then
    // the skim resumes.
    const inLeafBody = inner.state === BODY && !inner.node.multipart && !inner.pendingLineTruncated;
    const stop = inLeafBody ? lineEnd(chunk, at) : edgeEnd(chunk, at);
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

/** End of the run of whole lines from `start` up to the first that starts with `-` or CR `-`. */
function runEnd(chunk: Buffer, start: number): number {
  if (chunk[start] === DASH || (chunk[start] === CR && chunk[start + 1] === DASH)) return start;
  const dash = chunk.indexOf(DASH_LINE, start);
  const crDash = chunk.indexOf(CR_DASH_LINE, start);
  const stop = dash === -1 ? crDash : crDash === -1 ? dash : Math.min(dash, crDash);
  return stop === -1 ? Math.max(start, chunk.lastIndexOf(LF) + 1) : stop + 1;
}

function lineEnd(chunk: Buffer, start: number): number {
  const lf = chunk.indexOf(LF, start);
  return lf === -1 ? chunk.length : lf + 1;
}

/** End of the first line from `start` that is blank or starts with `-` or CR: only such a line changes state. */
function edgeEnd(chunk: Buffer, start: number): number {
  const first = chunk[start];
  if (first === DASH || first === CR || first === LF) return lineEnd(chunk, start);
  let edge = chunk.length;
  for (const pattern of EDGES) {
    const found = chunk.indexOf(pattern, start);
    if (found !== -1 && found < edge) edge = found;
  }
  return edge === chunk.length ? edge : lineEnd(chunk, edge + 1);
}
