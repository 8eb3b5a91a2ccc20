import { pipeline, type Readable, Transform, type TransformCallback } from 'node:stream';
import { headerEnd } from '../message/header-block.js';
import { TransientError } from '../transient.js';

/**
 * The object stored under the receipt's key is another message than the one SES received: its Message-ID is not
 * the receipt's. Transient, so no protection decides a verdict (nor sends a bounce) on it and the invocation fails.
 *
 * @example
 * ```ts
 * if (error instanceof StoredMessageMismatchError) console.error('the stored object was replaced');
 * ```
 */
export class StoredMessageMismatchError extends TransientError {
  override name = 'StoredMessageMismatchError';
}

/**
 * `body` as read, checked against the receipt: once its header block is read, a Message-ID there that is not
 * `expected` (SES's `commonHeaders.messageId`) fails the stream with a {@link StoredMessageMismatchError} before any
 * byte of it is passed on. Nothing to compare (no Message-ID on either side, or a header block past `maxHeaderBytes`)
 * passes it on as it is. The body's `contentLength` is kept.
 *
 * @example
 * ```ts
 * const checked = checkStoredIdentity(body, event.mail.commonHeaders.messageId, 's3://mail/inbound/abc', 256 * 1024);
 * ```
 */
export function checkStoredIdentity<T extends Readable & { contentLength?: number }>(
  body: T,
  expected: string | undefined,
  what: string,
  maxHeaderBytes: number,
): Readable & { contentLength?: number } {
  const wanted = expected === undefined ? undefined : msgId(expected);
  if (wanted === undefined) return body;
  let held: Buffer[] = [];
  let heldBytes = 0;
  let checked = false;
  const check = (block: Buffer): Error | undefined => {
    checked = true;
    const found = storedIds(block);
    if (found.length === 0 || found.includes(wanted)) return undefined;
    return new StoredMessageMismatchError(
      `${what} is another message: its Message-ID <${found[0]}> is not the receipt's <${wanted}> (stored again since SES received it)`,
    );
  };
  const release = (self: Transform) => {
    for (const chunk of held) self.push(chunk);
    held = [];
  };
  const checker = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      if (checked) return done(null, chunk);
      // The blank line may straddle the chunks: the search resumes just before this one.
      const searchFrom = Math.max(0, heldBytes - 3);
      held.push(chunk);
      heldBytes += chunk.length;
      const joined = Buffer.concat(held);
      const end = headerEnd(joined, searchFrom);
      if (end < 0 && heldBytes <= maxHeaderBytes) return done();
      // A block past the bound is not compared (the message limits refuse it where it matters).
      checked = true;
      const error = end < 0 ? undefined : check(joined.subarray(0, end));
      if (error) return done(error);
      release(this);
      done();
    },
    flush(done: TransformCallback) {
      // A message that is all header block: what was read is the block.
      const error = checked ? undefined : check(Buffer.concat(held));
      if (error) return done(error);
      release(this);
      done();
    },
  });
  // The pipeline passes an abort either way: a reader that stops early ends the S3 read too.
  pipeline(body, checker, () => {});
  return Object.assign(checker, { contentLength: body.contentLength });
}

/** The msg-ids of the block's Message-ID fields (unfolded). */
function storedIds(block: Buffer): string[] {
  const text = block.toString('latin1').replace(/\r?\n(?=[ \t])/g, '');
  const ids: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const field = /^message-id[ \t]*:(.*)$/i.exec(line);
    const id = field ? msgId(field[1] as string) : undefined;
    if (id !== undefined) ids.push(id);
  }
  return ids;
}

/**
 * The id of a Message-ID value without its angle brackets (one side may give it bare), else the value without its
 * spaces; undefined when empty. Each run of characters not printable ASCII is one U+FFFD: the stored block is read byte by byte
 * (Latin-1), the receipt's id is SES's decoding of the same bytes (UTF-8, or U+FFFD for a byte that is none), so an
 * id with an `é` was another message on every read and no protection ever decided (attacker round 80).
 */
function msgId(value: string): string | undefined {
  const id = /<([^<>]*)>/.exec(value)?.[1]?.trim() ?? value.replace(/\s+/g, '');
  return id === '' ? undefined : id.replace(/[^\t\x20-\x7e]+/g, '\ufffd');
}
