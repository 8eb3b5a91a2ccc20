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
  const head = bytes.toString('latin1', lead, lead + MAX_HEADER);
  if (!FIRST_FIELD.test(head)) return undefined;
  const end = head.search(/\r?\n\r?\n/);
  const block = end < 0 ? head : head.slice(0, end);
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
  return kind === 'mime' || kind === 'emlx' || carriedMessage(bytes) ? 'text' : reading;
}
