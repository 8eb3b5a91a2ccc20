import { type Condition, ConfigError } from '@wmflow/core';

/**
 * True when the raw message is larger than `bytes`. Streams the message and stops counting as soon
 * as the limit is passed (nothing is held in memory).
 *
 * @example
 * ```ts
 * outbound(when(messageLargerThan(10 * 1024 * 1024), bounceWith('Messages over 10 MB go through the file share.')))
 * ```
 */
export function messageLargerThan(bytes: number): Condition {
  if (!Number.isSafeInteger(bytes) || bytes < 0)
    throw new ConfigError('bytes', 'must be a non-negative integer');
  return async (ctx) => {
    const stream = ctx.message.stream();
    let size = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > bytes) return true;
      }
      return false;
    } finally {
      stream.destroy();
    }
  };
}
