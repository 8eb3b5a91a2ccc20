import type { Readable } from 'node:stream';
import { Splitter } from '@zone-eu/mailsplit';
import { MessageLimitError, type MessageLimits } from './limits.js';

interface SplitNode {
  type: string;
  parentNode?: SplitNode | false;
}

/**
 * Walks the MIME tree in one streaming pass and fails fast when it has more
 * parts or deeper nesting than the limits allow; resolves with the part count.
 */
export async function checkStructure(
  stream: Readable,
  limits: Pick<MessageLimits, 'maxParts' | 'maxDepth' | 'maxHeaderBytes'>,
): Promise<number> {
  const splitter = new Splitter({ maxHeadSize: limits.maxHeaderBytes, maxChildNodes: limits.maxParts });
  let parts = 0;
  // A read that fails under the walk (a spill read back with EIO, a message closed at the deadline) ends it with
  // that error: pipe() passes no error on, so it was an uncaught 'error' event and a walk waiting for ever (round 63).
  stream.on('error', (error) => splitter.destroy(error));
  stream.pipe(splitter);
  try {
    for await (const data of splitter as AsyncIterable<SplitNode>) {
      if (data.type !== 'node') continue;
      parts++;
      if (parts > limits.maxParts)
        throw new MessageLimitError('maxParts', `more than ${limits.maxParts} MIME parts`);
      let depth = 0;
      for (let n = data.parentNode; n; n = n.parentNode) depth++;
      if (depth > limits.maxDepth)
        throw new MessageLimitError('maxDepth', `MIME nesting deeper than ${limits.maxDepth}`);
    }
  } catch (error) {
    throw asLimitError(error);
  } finally {
    stream.unpipe(splitter);
    stream.destroy();
  }
  return parts;
}

/**
 * A quick native-speed scan: nesting needs a multipart or message content type
 * per level, so a message that names fewer than `depth` of them cannot be
 * deeper than `depth`, and the full structure walk can be skipped.
 */
export async function mayNestDeeperThan(chunks: AsyncIterable<Buffer>, depth: number): Promise<boolean> {
  let count = 0;
  let carry = '';
  for await (const chunk of chunks) {
    const text = carry + chunk.toString('latin1').toLowerCase();
    for (const needle of ['multipart/', 'message/']) {
      for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) {
        if (i + needle.length > carry.length) count++; // not counted with the previous chunk
      }
    }
    if (count >= depth) return true;
    carry = text.slice(-10);
  }
  return false;
}

/** mailsplit's own bound errors (parts, header size) as typed {@link MessageLimitError}s; others unchanged. */
export function asLimitError(error: unknown): unknown {
  if (error instanceof MessageLimitError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/child nodes/i.test(message)) return new MessageLimitError('maxParts', message);
  if (/header/i.test(message) && /(size|length|large|exceed)/i.test(message)) {
    return new MessageLimitError('maxHeaderBytes', message);
  }
  return error;
}
