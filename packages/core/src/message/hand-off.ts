import type { Readable } from 'node:stream';
import type { MessageReadError } from './read-error.js';

/** The source a {@link Spool.passOn} reader took over at `offset`; `first` is the chunk that did not fit in memory. */
export interface HandOff {
  iterator: AsyncIterator<Buffer>;
  source?: Readable;
  first: Buffer;
  offset: number;
}

/** What reading a hand-off needs of its spool: the announced length, whether it closed, its sticky failure. */
export interface HandOffChecks {
  expectedLength(): number | undefined;
  closed(): boolean;
  fail(reason: MessageReadError['reason'], message: string, cause?: unknown): never;
}

/**
 * Yields the bytes a spool handed on rather than kept, with the spool's integrity checks: a close while
 * reading, a failing source, more or fewer bytes than the source announced.
 */
export async function* readHandedOff(tail: HandOff, spool: HandOffChecks): AsyncGenerator<Buffer> {
  let offset = tail.offset + tail.first.length;
  if (tail.first.length > 0) yield tail.first;
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await tail.iterator.next();
    } catch (error) {
      if (spool.closed()) spool.fail('closed', 'message read after the invocation closed it', error);
      spool.fail('source', `message source failed after ${offset} bytes: ${(error as Error).message}`, error);
    }
    if (spool.closed()) spool.fail('closed', 'message read after the invocation closed it');
    if (next.done) break;
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as Uint8Array);
    offset += chunk.length;
    const expected = spool.expectedLength();
    if (expected !== undefined && offset > expected) {
      spool.fail('long', `message source sent more than the ${expected} bytes it announced`);
    }
    yield chunk;
  }
  const expected = spool.expectedLength();
  if (expected !== undefined && offset !== expected) {
    spool.fail('short', `message source ended at ${offset} of the ${expected} bytes it announced`);
  }
}
