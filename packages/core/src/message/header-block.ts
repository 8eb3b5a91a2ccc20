import { MessageLimitError, type MessageLimits } from './limits.js';

/**
 * Reads chunks until the blank line that ends the header block and returns the
 * block (blank line included) and how many bytes were consumed. A message with
 * no blank line is all header.
 */
export async function readHeaderBlock(
  chunks: AsyncIterable<Buffer>,
  limits: Pick<MessageLimits, 'maxHeaderBytes'>,
): Promise<Buffer> {
  let head: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const searchFrom = Math.max(0, head.length - 3);
    head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
    const end = headerEnd(head, searchFrom);
    if (end >= 0) return head.subarray(0, end);
    if (head.length > limits.maxHeaderBytes) {
      throw new MessageLimitError(
        'maxHeaderBytes',
        `no end of headers within ${limits.maxHeaderBytes} bytes`,
      );
    }
  }
  return head;
}

/** Offset just past the first empty line (CRLF CRLF or LF LF) at or after `from`, or -1. */
export function headerEnd(buffer: Buffer, from = 0): number {
  if (from === 0 && (buffer[0] === 0x0a || (buffer[0] === 0x0d && buffer[1] === 0x0a))) {
    return buffer[0] === 0x0a ? 1 : 2; // no headers at all
  }
  for (let i = buffer.indexOf(0x0a, from); i >= 0; i = buffer.indexOf(0x0a, i + 1)) {
    if (buffer[i + 1] === 0x0a) return i + 2;
    if (buffer[i + 1] === 0x0d && buffer[i + 2] === 0x0a) return i + 3;
  }
  return -1;
}
