import { carriedMessage, mailboxLead, mailboxStart } from './carried-message.js';
import { NO_DEADLINE, type ReadingDeadline } from './reading-deadline.js';

const SEPARATOR = Buffer.from('\nFrom ');

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
  const start = mailboxLead(bytes);
  const kind = mailboxStart(bytes);
  if (kind === 'mmdf') return mmdfMessages(bytes, start, maxMessages, deadline);
  // Emacs Rmail's Babyl files (`\x1f\f` between messages, their headers twice): not split here, so unread.
  if (kind === 'babyl') return { messages: [], unread: 'a Babyl mailbox, which is not read' };
  const first = bytes.indexOf(SEPARATOR, start);
  // With no `From ` line after the first, only a Content-Length may split it (mutt: attacker round 40).
  if (first < 0) {
    if (bytes.toString('latin1', start, start + 5) !== 'From ') return { messages: [] };
    const byLength = contentLengthMessages(bytes, start, deadline, anyFromLine).map((m) => m.message);
    if (byLength.length > maxMessages)
      return { messages: [], unread: `an mbox of more than ${maxMessages} messages` };
    return { messages: byLength.length > 1 ? byLength : [] };
  }
  if (bytes.toString('latin1', start, start + 5) !== 'From ' && !carriedMessage(bytes))
    return { messages: [] };
  const messages: Buffer[] = [];
  let counted = 0;
  // The every-line split's pieces (start and end), not to read a Content-Length message twice.
  const pieces = new Set<string>();
  // The piece of the every-line split, and of the after-a-blank-line split, being read, with how many of the
  // first it spans: a piece that spans one is the same message.
  let piece = start;
  // The other splits: after a blank line (mboxrd), and only at a `From ` line that reads as a separator, an
  // address then a date (mutt, Dovecot: a body's `From the desk of…` is text there).
  const splits = [
    { from: start, spanned: 0, cuts: (at: number) => afterBlankLine(bytes, at) },
    { from: start, spanned: 0, cuts: (at: number) => separatorLine(bytes, at + 1) },
  ];
  const joins = new Set<string>();
  for (let at = first; piece < bytes.length; ) {
    deadline.step();
    const end = at < 0 ? bytes.length : at + 1;
    const message = carriedMessage(bytes.subarray(piece, end));
    if (message) {
      if (++counted > maxMessages)
        return { messages: [], unread: `an mbox of more than ${maxMessages} messages` };
      messages.push(message);
    }
    pieces.add(`${piece}-${end}`);
    piece = end;
    for (const split of splits) {
      split.spanned++;
      if (at >= 0 && !split.cuts(at)) continue;
      const whole = split.from === start && end === bytes.length;
      const span = `${split.from}-${end}`;
      const joined =
        split.spanned > 1 && !whole && !joins.has(span)
          ? carriedMessage(bytes.subarray(split.from, end))
          : undefined;
      if (joined) {
        if (++counted > maxMessages)
          return { messages: [], unread: `an mbox of more than ${maxMessages} messages` };
        messages.push(joined);
        joins.add(span);
      }
      split.from = end;
      split.spanned = 0;
    }
    if (at >= 0) at = bytes.indexOf(SEPARATOR, end);
  }
  // mboxcl2 (mutt, Solaris mailx) ends a message by its Content-Length and quotes no `From ` in bodies. A
  // message without one (or with one that does not land on a `From ` line) ends where the reader's next
  // separator is: any `From ` line for some, only one that reads as a separator for mutt. Both chains are read.
  const byLength = new Map<string, Buffer>();
  for (const nextFrom of [anyFromLine, separatorFromLine])
    for (const { message, span } of contentLengthMessages(bytes, start, deadline, nextFrom))
      if (!pieces.has(span)) byLength.set(span, message);
  if (counted + byLength.size > maxMessages)
    return { messages: [], unread: `an mbox of more than ${maxMessages} messages` };
  for (const message of byLength.values()) messages.push(message);
  return { messages };
}

// The start of the next `From ` line after `from`, or -1: any one, or one that reads as a separator.
function anyFromLine(bytes: Buffer, from: number): number {
  const at = bytes.indexOf(SEPARATOR, from);
  return at < 0 ? -1 : at + 1;
}
function separatorFromLine(bytes: Buffer, from: number): number {
  for (let at = bytes.indexOf(SEPARATOR, from); at >= 0; at = bytes.indexOf(SEPARATOR, at + 1))
    if (separatorLine(bytes, at + 1)) return at + 1;
  return -1;
}

// Each message as its Content-Length field ends it, from the first `From ` line; where a message has none, or
// one that ends it off a `From ` line (mutt then reads on from its headers), the next starts at `nextFrom`.
function contentLengthMessages(
  bytes: Buffer,
  start: number,
  deadline: ReadingDeadline,
  nextFrom: (bytes: Buffer, from: number) => number,
): { message: Buffer; span: string }[] {
  const out: { message: Buffer; span: string }[] = [];
  let at = start;
  while (at >= 0 && bytes.toString('latin1', at, at + 5) === 'From ') {
    deadline.step();
    const from = at;
    const line = bytes.indexOf(0x0a, at);
    const headEnd = line < 0 ? -1 : blankLineEnd(bytes, line + 1);
    if (headEnd < 0) break;
    const length = contentLength(bytes.toString('latin1', line + 1, headEnd));
    if (length !== undefined) {
      const end = Math.min(bytes.length, headEnd + length);
      let next = end;
      while (bytes[next] === 0x0d || bytes[next] === 0x0a) next++;
      // mutt looks for the next separator one byte past the body, whatever that byte is.
      if (next === end && bytes.toString('latin1', end + 1, end + 6) === 'From ') next = end + 1;
      if (next >= bytes.length || bytes.toString('latin1', next, next + 5) === 'From ') {
        // Spanned as the every-line split spans it: to the next message's `From ` line.
        const message = carriedMessage(bytes.subarray(at, end));
        if (message) out.push({ message, span: `${at}-${next}` });
        at = next;
        continue;
      }
    }
    at = nextFrom(bytes, headEnd - 1);
    // The last message runs to the end (split too, unless no `From ` line starts one: see mboxMessages).
    if (at < 0) {
      const message = carriedMessage(bytes.subarray(from));
      if (message) out.push({ message, span: `${from}-${bytes.length}` });
    }
  }
  return out;
}

// A header block's Content-Length as mutt reads it: the field unfolded, then its value by atol (blanks, a sign,
// the leading digits: `12;` is 12).
function contentLength(head: string): number | undefined {
  const digits = CONTENT_LENGTH.exec(head.replace(FOLD, ' '))?.[1];
  return digits === undefined ? undefined : Number(digits);
}
const FOLD = /\r?\n(?=[ \t])/g;
const CONTENT_LENGTH = /^content-length[ \t]*:[ \t]*\+?(\d{1,12})/im;

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
    const next = mmdfSeparator(bytes, from);
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

// The next line that is four ^A and nothing else (mutt splits only there), from `from`; -1 when none.
function mmdfSeparator(bytes: Buffer, from: number): number {
  for (let at = bytes.indexOf(MMDF, from); at >= 0; at = bytes.indexOf(MMDF, at + 1)) {
    const lineStart = at === 0 || bytes[at - 1] === 0x0a;
    const after = at + MMDF.length;
    const lineEnd =
      after === bytes.length || bytes[after] === 0x0a || (bytes[after] === 0x0d && bytes[after + 1] === 0x0a);
    if (lineStart && lineEnd) return at;
  }
  return -1;
}

// Whether the `From ` line at `at` reads as a separator: an address (or none), then a date with a time.
function separatorLine(bytes: Buffer, at: number): boolean {
  return SEPARATOR_LINE.test(bytes.toString('latin1', at, Math.min(bytes.length, at + 200)));
}
const SEPARATOR_LINE =
  /^From [^\s]*[ \t]+[^\r\n]*\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b[^\r\n]*\b\d{1,2}:\d{2}/i;

// Whether the line ending at `newline` (the `\n` before a `From `) is blank.
function afterBlankLine(bytes: Buffer, newline: number): boolean {
  const before = bytes[newline - 1];
  return before === 0x0a || (before === 0x0d && bytes[newline - 2] === 0x0a);
}
