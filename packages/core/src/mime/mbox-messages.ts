import { carriedMessage, mailboxStart } from './carried-message.js';
import { NO_DEADLINE, type ReadingDeadline } from './reading-deadline.js';

const SEPARATOR = Buffer.from('\nFrom ');
// What clients skip before an mbox's first `From ` line: a byte order mark, blank lines.
const LEAD = /^(?:\xEF\xBB\xBF)?(?:[ \t]*\r?\n)*/;

/** The messages of an mbox, found by {@link mboxMessages}. */
export interface MboxMessages {
  /** Each message to read beside the text read whole, as {@link carriedMessage} gives it (`From ` line skipped). */
  messages: Buffer[];
  /** Why none is given: the mbox holds more messages than the bound. */
  unread?: string;
}

/**
 * The messages an mbox holds, when a text is one: it starts with a `From ` line, or is a message file
 * ({@link carriedMessage}) that holds `From ` lines, as an mbox without its first separator does. Readers
 * disagree on where a message ends, so both splits are given: at every line that starts with `From `
 * (Thunderbird's mboxo reading), and only at those after a blank line (mboxrd's; `>From ` is body text in
 * both). The text read whole, as one message, is not among them; nor is a piece that is no MIME message
 * (no header block naming a MIME field): its text is the text's own. One pass over the bytes; more than
 * `maxMessages` messages give none, and `unread` says why.
 *
 * @example
 * ```ts
 * const mbox = 'From a Mon\nMIME-Version: 1.0\n\none\n\nFrom b Tue\nMIME-Version: 1.0\n\ntwo\n';
 * mboxMessages(Buffer.from(mbox), 1000).messages.length; // 2
 * ```
 */
export function mboxMessages(
  bytes: Buffer,
  maxMessages: number,
  deadline: ReadingDeadline = NO_DEADLINE,
): MboxMessages {
  const start = LEAD.exec(bytes.toString('latin1', 0, 1024))?.[0].length ?? 0;
  if (mailboxStart(bytes) === 'mmdf') return mmdfMessages(bytes, start, maxMessages, deadline);
  const first = bytes.indexOf(SEPARATOR, start);
  if (first < 0) return { messages: [] };
  if (bytes.toString('latin1', start, start + 5) !== 'From ' && !carriedMessage(bytes))
    return { messages: [] };
  const messages: Buffer[] = [];
  let counted = 0;
  // The every-line split's pieces (start and end), not to read a Content-Length message twice.
  const pieces = new Set<string>();
  // The piece of the every-line split, and of the after-a-blank-line split, being read, with how many of the
  // first it spans: a piece that spans one is the same message.
  let piece = start;
  let strict = start;
  let spanned = 0;
  for (let at = first; piece < bytes.length; ) {
    deadline.step();
    const end = at < 0 ? bytes.length : at + 1;
    const message = carriedMessage(bytes.subarray(piece, end));
    if (message) {
      if (++counted > maxMessages)
        return { messages: [], unread: `an mbox of more than ${maxMessages} messages` };
      messages.push(message);
    }
    spanned++;
    pieces.add(`${piece}-${end}`);
    piece = end;
    const blank = at < 0 || afterBlankLine(bytes, at);
    if (at >= 0) at = bytes.indexOf(SEPARATOR, end);
    if (!blank) continue;
    const whole = strict === start && end === bytes.length;
    const joined = spanned > 1 && !whole ? carriedMessage(bytes.subarray(strict, end)) : undefined;
    if (joined) messages.push(joined);
    strict = end;
    spanned = 0;
  }
  // mboxcl2 (mutt, Solaris mailx) ends a message by its Content-Length and quotes no `From ` in bodies.
  const byLength = contentLengthMessages(bytes, start, deadline).filter((m) => !pieces.has(m.span));
  if (counted + byLength.length > maxMessages)
    return { messages: [], unread: `an mbox of more than ${maxMessages} messages` };
  for (const { message } of byLength) messages.push(message);
  return { messages };
}

// Each message as its Content-Length field ends it, from the first `From ` line, while every message has one.
function contentLengthMessages(
  bytes: Buffer,
  start: number,
  deadline: ReadingDeadline,
): { message: Buffer; span: string }[] {
  const out: { message: Buffer; span: string }[] = [];
  let at = start;
  while (bytes.toString('latin1', at, at + 5) === 'From ') {
    deadline.step();
    const line = bytes.indexOf(0x0a, at);
    const headEnd = line < 0 ? -1 : blankLineEnd(bytes, line + 1);
    if (headEnd < 0) break;
    const field = CONTENT_LENGTH.exec(bytes.toString('latin1', line + 1, headEnd));
    if (!field) break;
    const end = Math.min(bytes.length, headEnd + Number(field[1]));
    let next = end;
    while (bytes[next] === 0x0d || bytes[next] === 0x0a) next++;
    // Spanned as the every-line split spans it: to the next message's `From ` line.
    const message = carriedMessage(bytes.subarray(at, end));
    if (message) out.push({ message, span: `${at}-${next}` });
    at = next;
  }
  return out;
}
const CONTENT_LENGTH = /^content-length[ \t]*:[ \t]*(\d{1,12})[ \t]*\r?$/im;

// Just past the blank line that ends the header block starting at `from` (within the header bound), or -1.
function blankLineEnd(bytes: Buffer, from: number): number {
  if (bytes[from] === 0x0a) return from + 1;
  if (bytes[from] === 0x0d && bytes[from + 1] === 0x0a) return from + 2;
  const limit = Math.min(bytes.length, from + MAX_HEADER);
  for (let i = bytes.indexOf(0x0a, from); i >= 0 && i < limit; i = bytes.indexOf(0x0a, i + 1)) {
    if (bytes[i + 1] === 0x0a) return i + 2;
    if (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) return i + 3;
  }
  return -1;
}
const MAX_HEADER = 1024 * 1024;

// An MMDF mailbox: each message between lines of four ^A bytes (mutt, MH's packf).
function mmdfMessages(
  bytes: Buffer,
  start: number,
  maxMessages: number,
  deadline: ReadingDeadline,
): MboxMessages {
  const messages: Buffer[] = [];
  let from = start;
  while (from < bytes.length) {
    deadline.step();
    const next = bytes.indexOf(MMDF, from);
    const end = next < 0 ? bytes.length : next;
    const message = carriedMessage(bytes.subarray(from, end));
    if (message) {
      if (messages.length >= maxMessages)
        return { messages: [], unread: `an mbox of more than ${maxMessages} messages` };
      messages.push(message);
    }
    from = next < 0 ? bytes.length : next + MMDF.length;
  }
  return { messages };
}
const MMDF = Buffer.from('\x01\x01\x01\x01', 'latin1');

// Whether the line ending at `newline` (the `\n` before a `From `) is blank.
function afterBlankLine(bytes: Buffer, newline: number): boolean {
  const before = bytes[newline - 1];
  return before === 0x0a || (before === 0x0d && bytes[newline - 2] === 0x0a);
}
