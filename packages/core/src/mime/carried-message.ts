import { messageFileKind } from '../message/file-names.js';

// A message file as clients open it from a container or an encoded text: a header field first (after a byte
// order mark, blank lines, an mbox `From ` line or Apple Mail's `.emlx` length line), then, in its header block,
// a field naming its MIME structure or transfer encoding.
const LEAD = /^(?:\uFEFF|\xEF\xBB\xBF)?(?:[ \t]*\r?\n)*(?:From [^\r\n]*\r?\n|\d{1,12}[ \t]*\r?\n)?/;
const FIRST_FIELD = /^[!-9;-~]+[ \t]*:/;
const MIME_FIELD = /^(?:mime-version|content-type|content-transfer-encoding)[ \t]*:/im;
/** Longer header blocks than any client shows are still read: the bound only keeps the scan linear and small. */
const MAX_HEADER = 1024 * 1024;

/**
 * The message a text holds, from its first header field, when it is a message file; undefined otherwise.
 *
 * @example
 * ```ts
 * carriedMessage(Buffer.from('From a@b\nSubject: x\nMIME-Version: 1.0\n\nhi')); // the message's bytes
 * ```
 */
export function carriedMessage(bytes: Buffer): Buffer | undefined {
  const lead = LEAD.exec(bytes.toString('latin1', 0, 1024))?.[0].length ?? 0;
  // Every text read passes here: only the first field, then the header block, is decoded, never the body.
  const head = bytes.subarray(lead, lead + MAX_HEADER);
  const colon = head.indexOf(0x3a);
  if (colon < 0 || !FIRST_FIELD.test(head.toString('latin1', 0, colon + 1))) return undefined;
  const ends = [head.indexOf('\n\n'), head.indexOf('\n\r\n')].filter((i) => i >= 0);
  const block = head.toString('latin1', 0, ends.length > 0 ? Math.min(...ends) : head.length);
  return MIME_FIELD.test(block) ? bytes.subarray(lead) : undefined;
}

/**
 * A file's reading by its first bytes, but `text` for a message file that they call binary (a control
 * character in a header): clients open it by its name, or as the message it is.
 *
 * @example
 * ```ts
 * textIfMessage('binary', 'fw.eml', bytes); // 'text'
 * ```
 */
export function textIfMessage<R extends string>(reading: R, name: string, bytes: Buffer): R | 'text' {
  if (reading !== 'binary') return reading;
  const kind = messageFileKind(name);
  return kind === 'mime' || kind === 'emlx' || carriedMessage(bytes) || mailboxStart(bytes)
    ? 'text'
    : reading;
}

/**
 * Whether a text starts as a mailbox file does (after a byte order mark and blank lines): an mbox's `From `
 * line, an MMDF mailbox's line of four ^A bytes, a Babyl file's `BABYL OPTIONS:`. Mail clients open it as the messages it holds whatever bytes
 * their bodies carry (a NUL, a backspace), so it is text, never binary. Constant work.
 *
 * @example
 * ```ts
 * mailboxStart(Buffer.from('From bob@corp.example Sun Nov 29 10:00:00 2026\nSubject: x\n\nhi\0')); // 'mbox'
 * ```
 */
export function mailboxStart(bytes: Buffer): 'mbox' | 'mmdf' | 'babyl' | undefined {
  const start = mailboxLead(bytes);
  const first = bytes.toString('latin1', start, start + 5);
  if (first === 'From ') return 'mbox';
  if (bytes.toString('latin1', start, start + 14) === 'BABYL OPTIONS:') return 'babyl';
  return first === '\x01\x01\x01\x01\n' ||
    (first.startsWith('\x01\x01\x01\x01\r') && bytes[start + 5] === 0x0a)
    ? 'mmdf'
    : undefined;
}
/** Bytes before a mailbox's first separator that clients skip: a byte order mark, blank lines. */
export function mailboxLead(bytes: Buffer): number {
  return MAILBOX_LEAD.exec(bytes.toString('latin1', 0, 1024))?.[0].length ?? 0;
}
const MAILBOX_LEAD = /^(?:\xEF\xBB\xBF)?(?:[ \t]*\r?\n)*/;
