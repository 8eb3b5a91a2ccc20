import libmime from 'libmime';
import { isAttachedMessageType } from './attached-message.js';
import { HeaderCollector } from './header-fields.js';
import type { MimeLine } from './line-splitter.js';
import type { ProblemList } from './problems.js';
import type { UpdateCheckLimits } from './update-rules.js';

interface Multipart {
  readonly boundary: string;
  readonly line: number;
  parts: number;
}

const ENCODINGS = new Set(['7bit', '8bit', 'binary', 'quoted-printable', 'base64']);
const BASE64_LINE = /^[A-Za-z0-9+/=\t ]*$/;
const WSP_TAIL = /^[ \t]*$/;

/**
 * Walks the MIME structure of a message line by line and reports where it is
 * not well-formed: header lines that are no fields, multiparts without a
 * boundary or never closed, unknown transfer encodings, bad base64. Linear:
 * each line is compared with at most `maxDepth` open boundaries.
 *
 * @example
 * ```ts
 * const walker = new MimeWalker(problems, DEFAULT_UPDATE_CHECK_LIMITS);
 * const splitter = new LineSplitter((line) => walker.line(line));
 * splitter.push(bytes); splitter.end(); walker.end();
 * walker.root.values('from');
 * ```
 */
export class MimeWalker {
  /** The header fields of the message itself. */
  readonly root: HeaderCollector;
  private header: HeaderCollector | undefined;
  private headerStart = 1;
  private readonly open: Multipart[] = [];
  private nested = 0;
  private parts = 1;
  private base64 = false;
  private gaveUp = false;

  constructor(
    private readonly problems: ProblemList,
    private readonly limits: UpdateCheckLimits,
  ) {
    this.root = new HeaderCollector(limits.maxHeaderBytes);
    this.header = this.root;
  }

  /** True once the root header block has ended. */
  get rootHeaderDone(): boolean {
    return this.header !== this.root;
  }

  /**
   * What a body line in the current state is checked for, for a caller that skips clean lines: `base64`
   * (base64 characters only), `none`, or undefined while in a header block (every line counts).
   */
  get bodyLines(): 'base64' | 'none' | undefined {
    if (this.gaveUp) return 'none';
    if (this.header) return undefined;
    return this.base64 ? 'base64' : 'none';
  }

  /** Takes the next line. */
  line(line: MimeLine): void {
    if (this.gaveUp) return;
    if (this.open.length > 0 && line.text[0] === 0x2d && line.text[1] === 0x2d && this.delimiter(line))
      return;
    if (this.header) this.headerLine(this.header, line);
    else if (this.base64 && !BASE64_LINE.test(line.text.toString('latin1'))) {
      this.report(
        'malformed-mime',
        `line ${line.number} is not base64 in a base64-encoded part`,
        line.number,
      );
    }
  }

  /** Reports what is still open at the end of the message. */
  end(): void {
    if (this.gaveUp) return;
    if (this.root.fields.length === 0) this.report('malformed-mime', 'the message has no header fields');
    for (const multipart of this.open.reverse()) {
      this.report(
        'malformed-mime',
        `multipart opened at line ${multipart.line} is never closed by "--${multipart.boundary}--"`,
        multipart.line,
      );
    }
  }

  private headerLine(header: HeaderCollector, line: MimeLine): void {
    const kind = header.add(line);
    if (kind === 'end') this.endHeader(header);
    else if (kind === 'malformed') {
      this.report(
        'malformed-header',
        `line ${line.number} is neither a header field nor a folded line`,
        line.number,
      );
    } else if (kind === 'orphan-continuation') {
      this.report(
        'malformed-header',
        `line ${line.number} continues a header field that does not exist`,
        line.number,
      );
    }
  }

  private endHeader(header: HeaderCollector): void {
    this.header = undefined;
    this.base64 = false;
    if (header.tooLarge) {
      this.report(
        'limit-exceeded',
        `a header block starting at line ${this.headerStart} is over ${this.limits.maxHeaderBytes} bytes`,
      );
    }
    const encoding = (header.first('content-transfer-encoding') ?? '7bit').trim().toLowerCase();
    if (!ENCODINGS.has(encoding)) {
      this.report(
        'malformed-mime',
        `unknown Content-Transfer-Encoding "${encoding.slice(0, 40)}" in the part at line ${this.headerStart}`,
      );
    }
    const type = libmime.parseHeaderValue(header.first('content-type') ?? 'text/plain');
    const mediaType = type.value.trim().toLowerCase();
    if (mediaType.startsWith('multipart/')) {
      this.openMultipart(type.params.boundary, encoding);
    } else if (
      isAttachedMessageType(mediaType) &&
      (encoding === '7bit' || encoding === '8bit' || encoding === 'binary')
    ) {
      this.enter(() => {
        this.nested += 1;
        this.header = new HeaderCollector(this.limits.maxHeaderBytes);
      });
    } else {
      this.base64 = encoding === 'base64';
    }
  }

  private openMultipart(boundary: string | undefined, encoding: string): void {
    if (encoding === 'base64' || encoding === 'quoted-printable') {
      this.report(
        'malformed-mime',
        `multipart at line ${this.headerStart} has Content-Transfer-Encoding ${encoding}`,
      );
    }
    if (!boundary) {
      this.report('malformed-mime', `multipart at line ${this.headerStart} has no boundary parameter`);
      return;
    }
    const line = this.headerStart;
    this.enter(() => this.open.push({ boundary, line, parts: 0 }));
  }

  // Compares a line starting with "--" with the open boundaries, innermost first.
  private delimiter(line: MimeLine): boolean {
    const text = line.text.toString('latin1');
    for (let index = this.open.length - 1; index >= 0; index -= 1) {
      const multipart = this.open[index] as Multipart;
      if (!text.startsWith(multipart.boundary, 2)) continue;
      let rest = text.slice(2 + multipart.boundary.length);
      const closing = rest.startsWith('--');
      if (closing) rest = rest.slice(2);
      if (!WSP_TAIL.test(rest)) continue;
      this.closeInner(index, line.number);
      this.nested = 0;
      if (closing) {
        if (multipart.parts === 0)
          this.report('malformed-mime', `multipart at line ${multipart.line} has no parts`, multipart.line);
        this.open.pop();
        this.header = undefined;
        this.base64 = false;
      } else {
        multipart.parts += 1;
        this.enter(() => {
          this.header = new HeaderCollector(this.limits.maxHeaderBytes);
          this.headerStart = line.number + 1;
        });
      }
      return true;
    }
    return false;
  }

  private closeInner(index: number, lineNumber: number): void {
    if (this.header && this.header !== this.root && lineNumber > this.headerStart) {
      this.report(
        'malformed-mime',
        `the part header starting at line ${this.headerStart} has no blank line before line ${lineNumber}`,
        lineNumber,
      );
    }
    while (this.open.length > index + 1) {
      const inner = this.open.pop() as Multipart;
      this.report(
        'malformed-mime',
        `multipart opened at line ${inner.line} is not closed before line ${lineNumber}`,
        lineNumber,
      );
    }
  }

  private enter(open: () => void): void {
    this.parts += 1;
    if (this.parts > this.limits.maxParts || this.open.length + this.nested >= this.limits.maxDepth) {
      this.report(
        'limit-exceeded',
        `the message has more than ${this.limits.maxParts} parts or ${this.limits.maxDepth} levels of nesting`,
      );
      this.gaveUp = true;
      return;
    }
    open();
  }

  private report(
    code: 'malformed-mime' | 'malformed-header' | 'limit-exceeded',
    reason: string,
    line?: number,
  ): void {
    this.problems.add(line === undefined ? { code, reason } : { code, reason, line });
  }
}
