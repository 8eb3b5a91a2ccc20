import type { MessageReadError } from './read-error.js';

/** What reading a message source needs of its spool: the announced length, whether it closed, its sticky failure. */
export interface SourceChecks {
  expectedLength(): number | undefined;
  closed(): boolean;
  fail(reason: MessageReadError['reason'], message: string, cause?: unknown): never;
}

const CLOSED = 'message read after the invocation closed it';

/**
 * The next chunk of a message source as bytes, or undefined at its end, with the spool's checks: a close while
 * waiting, or a source that fails after `offset` bytes, is the spool's sticky failure.
 */
export async function nextSourceChunk(
  iterator: AsyncIterator<Buffer>,
  offset: number,
  spool: SourceChecks,
): Promise<Buffer | undefined> {
  let next: IteratorResult<Buffer>;
  try {
    next = await iterator.next();
  } catch (error) {
    if (spool.closed()) spool.fail('closed', CLOSED, error);
    spool.fail('source', `message source failed after ${offset} bytes: ${(error as Error).message}`, error);
  }
  if (spool.closed()) spool.fail('closed', CLOSED);
  if (next.done) return undefined;
  return Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as Uint8Array);
}

/** Fails when `offset` bytes are more than the source announced. */
export function checkNotLonger(offset: number, spool: SourceChecks): void {
  const expected = spool.expectedLength();
  if (expected !== undefined && offset > expected) {
    spool.fail('long', `message source sent more than the ${expected} bytes it announced`);
  }
}

/**
 * Fails when a source that ended after `offset` bytes sent fewer than it announced, or nothing: a message has
 * at least its header block, so an empty answer is a read that went wrong, never a message to decide on.
 */
export function checkWhole(offset: number, spool: SourceChecks): void {
  if (offset === 0)
    spool.fail('empty', 'message source answered no bytes (a message has at least its headers)');
  const expected = spool.expectedLength();
  if (expected !== undefined && offset !== expected) {
    spool.fail('short', `message source ended at ${offset} of the ${expected} bytes it announced`);
  }
}

// RFC 9110 token characters: every header field name real mail begins with is made of them (an mbox `From ` line
// too). A page or document in a 200 begins otherwise: HTML and XML with `<`, JSON with `{` or `[`.
const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]/;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
// A message's first line begins with a header field's name (RFC 5322: printable ASCII but the colon), white space
// before its colon (obsolete syntax) and the colon, or is an mbox `From ` line. A body coded or framed by something
// in between (a deflate stream, a chunk-size line) may begin with a token character, but its first line is no header
// field (fault round 50).
const FIELD_START = /^(?:From |[!-9;-~]+[ \t]*:)/;
// What may still become one: a name, or a name and white space, cut by the end of the bytes read so far.
const FIELD_SO_FAR = /^[!-9;-~]+[ \t]*$/;
/** Bytes of the first line looked at: a field name longer than this is not judged. */
const FIRST_LINE_BYTES = 1024;

/**
 * Fails when the first bytes of a source cannot begin a message (fault round 47): a message begins with a header
 * field (after a byte-order mark, or an mbox `From ` line, in files), so an answer beginning with `<`, `{`, white
 * space or a control byte is a page or document from something in between (an error page in a 200), or an encoded
 * body, never a message to journal or decide on; so is one whose first line is no header field (a chunk-size line,
 * compressed bytes: fault round 50). Transient, as an empty answer is. `head` is the source's bytes so far, from its
 * first: true once they show a message's start, false while too few to tell (call again with more).
 */
export function checkStartsLikeMail(head: Buffer, spool: SourceChecks): boolean {
  if (head.length < BOM.length && BOM.subarray(0, head.length).equals(head)) return false;
  const bytes = head.subarray(0, 3).equals(BOM) ? head.subarray(3) : head;
  if (bytes.length === 0) return false;
  const start = bytes.subarray(0, FIRST_LINE_BYTES).toString('latin1');
  if (TOKEN.test(start)) {
    if (FIELD_START.test(start)) return true;
    if (FIELD_SO_FAR.test(start)) return start.length >= FIRST_LINE_BYTES;
  }
  spool.fail(
    'not-mail',
    `message source answered bytes no message begins with (${JSON.stringify(bytes.subarray(0, 16).toString('latin1'))}…): not the message`,
  );
}
