import { createHash } from 'node:crypto';

/**
 * SHA-256 (hex) and size of a body read to its end: a message as sent, or a stored copy read back.
 *
 * @example
 * ```ts
 * const { sha256, size } = await digestOf(createReadStream('message.eml'));
 * ```
 */
export async function digestOf(body: AsyncIterable<Uint8Array>): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of body) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}
