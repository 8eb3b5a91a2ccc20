import { Transform, type TransformCallback } from 'node:stream';
import { CleanLines } from '../mime/clean-lines.js';
import { TransientError } from '../transient.js';
import { EditError } from './edits.js';
import { type HeaderLine, repairHeaderBlock } from './header-repair.js';

/** What an MTA knows that the message may lack: when it arrived and who sent it. */
export interface RepairContext {
  /** Receipt time, for a missing `Date`. */
  receivedAt: Date;
  /** Envelope sender, for a missing `From` (the null sender gives an `.invalid` placeholder). */
  mailFrom: string;
}

/** How the message was read. */
export interface RepairRead {
  /**
   * The message was read without an announced length (a chunked answer): where it ends is only where the
   * answer ended, so a multipart it leaves open is not closed (that would commit a cut read as the message).
   */
  lengthUnknown?: boolean;
}

/** Why a message that is all header block (no blank line, no body) is not rewritten. */
export const ENDS_IN_HEADER =
  'the message ends inside its header block, with no blank line and no body: it is not rewritten (a read cut after a header line looks the same)';

const MAX_HELD_LINE = 1024 * 1024;
const MAX_DEPTH = 50;

interface Open {
  boundary: string;
  parts: number;
}

/**
 * Repairs, in one streaming pass over the raw bytes and before any edit, what an MTA would repair
 * without changing the meaning, so WorkMail accepts the updated message: an mbox `From ` line or a BOM
 * before the header is dropped, a header block without its blank line is ended where the body starts,
 * malformed header lines are folded into the field before them, a missing `Date` or `From` is added
 * (see {@link repairHeaderBlock}), unknown transfer encodings are normalised, a part header running into
 * a boundary gets its blank line, multiparts left open (or closed by their parent's boundary) are closed,
 * and empty multiparts get an empty part. Each repair is listed in `repairs`. Linear: each line is
 * looked at once, against at most the open boundaries.
 */
export class RawRepair extends Transform {
  readonly repairs: string[] = [];
  /** Defects no repair may fix (8-bit bytes in an immutable header), for the edit outcome. */
  readonly unrepairable: string[] = [];
  private partial: Buffer[] = [];
  private partialSize = 0;
  private header: HeaderLine[] | undefined = [];
  private root = true;
  /** At the first line of a message header (the root, or an attached message). */
  private fresh = true;
  private first = true;
  /** Transfer encoding of the body being read. */
  private encoding = '7bit';
  private readonly stack: Open[] = [];
  private eol = '\r\n';
  private endsWithEol = true;
  private readonly base64 = new CleanLines(BASE64_CHAR, 998);

  constructor(
    private readonly context: RepairContext,
    private readonly reading: RepairRead = {},
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    while (start < chunk.length) {
      if (this.partialSize === 0 && this.passThrough() && chunk[start] !== 0x2d) {
        // Fast path: body lines of a non-base64 part go out in one piece up to the next line starting with '-'.
        const dash = chunk.indexOf('\n-', start);
        const end = dash === -1 ? chunk.lastIndexOf(0x0a) : dash;
        if (end >= start) {
          this.out(chunk.subarray(start, end + 1));
          start = end + 1;
          continue;
        }
      }
      if (this.partialSize === 0 && this.header === undefined && this.encoding === 'base64') {
        // Fast path for base64 bodies: the lines base64Line would keep as they are go out in one piece.
        const run = this.base64.run(chunk, start);
        if (run.end > start) {
          this.out(chunk.subarray(start, run.end));
          start = run.end;
          continue;
        }
      }
      const lf = chunk.indexOf(0x0a, start);
      if (lf === -1) {
        this.hold(chunk.subarray(start));
        break;
      }
      const piece = chunk.subarray(start, lf + 1);
      this.line(this.partialSize === 0 ? piece : Buffer.concat([...this.partial, piece]));
      this.partial = [];
      this.partialSize = 0;
      start = lf + 1;
    }
    done();
  }

  private passThrough(): boolean {
    return this.header === undefined && this.encoding !== 'base64';
  }

  private hold(rest: Buffer): void {
    this.partial.push(rest);
    this.partialSize += rest.length;
    if (this.partialSize > MAX_HELD_LINE && this.header === undefined) {
      this.out(Buffer.concat(this.partial)); // an over-long body line is no boundary: pass it on
      this.partial = [];
      this.partialSize = 0;
    }
  }

  override _flush(done: TransformCallback): void {
    // A read cut after a header line ends with its line break; a message of bare CRs has none at all.
    const lineEnded = this.partialSize === 0;
    if (this.partialSize > 0) this.line(Buffer.concat(this.partial));
    if (this.header) {
      const root = this.root;
      // Nothing but header fields, to the last byte: what a read cut after a header line looks like too, and an
      // update would commit it over the whole message (fault round 40). Such mail has nothing to edit: left as it is.
      if (this.endHeader(true) === 0 && root && lineEnded) {
        done(new EditError(ENDS_IN_HEADER));
        return;
      }
    }
    if (!this.endsWithEol && this.stack.length > 0) {
      // A message that stops mid-line inside an open multipart is what a read cut short looks like (mail ends
      // with a line break): closing it would commit the cut message over the whole one. The read is retried.
      const open = this.stack.at(-1)?.boundary ?? '';
      done(
        new TransientError(
          `the message ends mid-line inside multipart "${open.slice(0, 70)}": it looks cut short, so it is not rewritten`,
        ),
      );
      return;
    }
    if (this.stack.length > 0 && this.reading.lengthUnknown) {
      // Not transient: a sender's multipart left open reads the same every time. The edit is not made.
      const open = this.stack.at(-1)?.boundary ?? '';
      done(
        new EditError(
          `the message ends inside multipart "${open.slice(0, 70)}", read without an announced length: it may be cut short, so it is not rewritten`,
        ),
      );
      return;
    }
    while (this.stack.length > 0) this.close(this.stack.length - 1, 'never closed');
    done();
  }

  private line(raw: Buffer): void {
    if (this.first) {
      this.first = false;
      this.eol = raw.subarray(-2).toString() === '\r\n' ? '\r\n' : '\n';
    }
    if (this.fresh) {
      this.fresh = false;
      if (raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) {
        raw = raw.subarray(3);
        this.repairs.push('removed a byte-order mark before the header');
      }
      const start = raw.subarray(0, 200).toString('latin1');
      if (/^>?From /.test(start) && !/^>?From[ \t]*:/.test(start)) {
        this.repairs.push('removed an mbox "From " line before the header');
        return;
      }
    }
    if (this.header) {
      const text = raw.toString('latin1');
      const bare = text.replace(/\r?\n$/, '');
      if (bare === '') {
        this.endHeader(false, raw);
        return;
      }
      if (!this.root && this.boundaryIndex(bare) >= 0) {
        this.repairs.push('ended a part header that ran into a boundary');
        this.endHeader(true);
        this.line(raw);
        return;
      }
      this.header.push({ raw, text: bare });
      return;
    }
    if (raw[0] === 0x2d && raw[1] === 0x2d && this.stack.length > 0) {
      const bare = raw.toString('latin1').replace(/[ \t]*\r?\n$/, '');
      const k = this.boundaryIndex(bare);
      if (k >= 0) {
        this.boundary(k, bare.length > (this.stack[k]?.boundary.length ?? 0) + 2, raw);
        return;
      }
    }
    this.out(this.encoding === 'base64' ? base64Line(raw, this.eol, this.repairs) : raw);
  }

  private boundaryIndex(bare: string): number {
    for (let k = this.stack.length - 1; k >= 0; k--) {
      const b = (this.stack[k] as Open).boundary;
      if (bare.startsWith(`--${b}`) && (bare.length === b.length + 2 || bare === `--${b}--`)) return k;
    }
    return -1;
  }

  private boundary(k: number, closing: boolean, raw: Buffer): void {
    while (this.stack.length - 1 > k) this.close(this.stack.length - 1, "closed by its parent's boundary");
    const open = this.stack[k] as Open;
    if (closing) {
      if (open.parts === 0) this.emptyPart(open);
      this.stack.pop();
      this.out(raw);
      // The epilogue is nobody's body: the last part's transfer encoding no longer applies (fault round 39: a
      // list's footer after a base64 part lost its spaces and dots to base64 repair).
      this.encoding = '7bit';
      return;
    }
    open.parts++;
    this.out(raw);
    this.header = [];
    this.encoding = '7bit';
  }

  private close(k: number, why: string): void {
    const open = this.stack[k] as Open;
    if (open.parts === 0) this.emptyPart(open);
    this.repairs.push(`closed multipart "${open.boundary.slice(0, 70)}" (${why})`);
    this.out(Buffer.from(`--${open.boundary}--${this.eol}`));
    this.stack.pop();
    this.encoding = '7bit';
  }

  private emptyPart(open: Open): void {
    this.repairs.push(`added an empty part to multipart "${open.boundary.slice(0, 70)}"`);
    const e = this.eol;
    this.out(Buffer.from(`--${open.boundary}${e}Content-Type: text/plain; charset=us-ascii${e}${e}${e}`));
    open.parts++;
  }

  /** Ends the header block being read; returns how many of its lines were body lines (no header field). */
  private endHeader(synthetic: boolean, blank?: Buffer): number {
    const lines = this.header ?? [];
    this.header = undefined;
    const result = repairHeaderBlock(lines, {
      root: this.root,
      context: this.context,
      eol: this.eol,
    });
    this.repairs.push(...result.repairs);
    this.unrepairable.push(...result.unrepairable);
    for (const l of result.header) this.out(l);
    if (synthetic && result.body.length === 0 && !blank)
      this.repairs.push('ended a header block that had no blank line');
    this.out(blank ?? Buffer.from(this.eol));
    if (result.message && result.body.length > 0) this.fresh = false;
    this.root = false;
    this.encoding = result.encoding;
    if (result.boundary && this.stack.length < MAX_DEPTH)
      this.stack.push({ boundary: result.boundary, parts: 0 });
    if (result.message) {
      this.header = []; // the body is a message: its own header block comes next
      this.fresh = true;
      this.encoding = '7bit';
    }
    for (const l of result.body) this.line(l);
    return result.body.length;
  }

  private out(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.endsWithEol = bytes[bytes.length - 1] === 0x0a;
    this.push(bytes);
  }
}

const BASE64_CHAR = /[A-Za-z0-9+/=]/;
const BASE64_LINE = /^[A-Za-z0-9+/=]*$/;

/**
 * A base64 body line WorkMail would refuse (over-long, or with characters outside base64), made
 * acceptable without changing what decoders read: they skip such characters and line breaks, so the
 * line keeps only its base64 characters, re-wrapped at 76.
 */
function base64Line(raw: Buffer, eol: string, repairs: string[]): Buffer {
  const text = raw.toString('latin1').replace(/\r?\n$/, '');
  if (text.length <= 998 && BASE64_LINE.test(text)) return raw;
  let kept = '';
  for (const c of text) if (BASE64_CHAR.test(c)) kept += c;
  if (!repairs.includes('re-wrapped base64 lines (over-long, or with characters decoders skip)'))
    repairs.push('re-wrapped base64 lines (over-long, or with characters decoders skip)');
  const lines: string[] = [];
  for (let i = 0; i < kept.length; i += 76) lines.push(kept.slice(i, i + 76));
  return Buffer.from(lines.map((l) => l + eol).join(''));
}
