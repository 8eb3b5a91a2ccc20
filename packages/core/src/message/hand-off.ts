import type { Readable } from 'node:stream';
import { checkNotLonger, checkWhole, nextSourceChunk, type SourceChecks } from './source-checks.js';

/** The source a {@link Spool.passOn} reader took over at `offset`; `first` is the chunk that did not fit in memory. */
export interface HandOff {
  iterator: AsyncIterator<Buffer>;
  source?: Readable;
  first: Buffer;
  offset: number;
}

/**
 * Yields the bytes a spool handed on rather than kept, with the spool's integrity checks: a close while
 * reading, a failing source, more or fewer bytes than the source announced.
 */
export async function* readHandedOff(tail: HandOff, spool: SourceChecks): AsyncGenerator<Buffer> {
  let offset = tail.offset + tail.first.length;
  if (tail.first.length > 0) yield tail.first;
  for (;;) {
    const chunk = await nextSourceChunk(tail.iterator, offset, spool);
    if (chunk === undefined) break;
    offset += chunk.length;
    checkNotLonger(offset, spool);
    yield chunk;
  }
  checkWhole(offset, spool);
}
