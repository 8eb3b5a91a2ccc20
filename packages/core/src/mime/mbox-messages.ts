import { carriedMessage } from './carried-message.js';
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
  const first = bytes.indexOf(SEPARATOR, start);
  if (first < 0) return { messages: [] };
  if (bytes.toString('latin1', start, start + 5) !== 'From ' && !carriedMessage(bytes))
    return { messages: [] };
  const messages: Buffer[] = [];
  let counted = 0;
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
  return { messages };
}

// Whether the line ending at `newline` (the `\n` before a `From `) is blank.
function afterBlankLine(bytes: Buffer, newline: number): boolean {
  const before = bytes[newline - 1];
  return before === 0x0a || (before === 0x0d && bytes[newline - 2] === 0x0a);
}
