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
    if (error instanceof MessageLimitError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (/child nodes/i.test(message)) throw new MessageLimitError('maxParts', message);
    if (/header/i.test(message)) throw new MessageLimitError('maxHeaderBytes', message);
    throw error;
  } finally {
    stream.unpipe(splitter);
    stream.destroy();
  }
  return parts;
}
