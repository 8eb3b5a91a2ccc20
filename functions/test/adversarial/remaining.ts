import { Readable } from 'node:stream';
import { LazyMessage } from '@wmflow/core';
import { attachmentPolicy, attachmentViolations } from '@wmflow/rules';

/**
 * What the default attachment policy still finds in a delivered message (nothing, when the strip worked).
 *
 * @example
 * ```ts
 * expect(await remaining(delivered)).toEqual([]);
 * ```
 */
export async function remaining(bytes: Buffer) {
  const message = new LazyMessage(async () => Readable.from([bytes]));
  try {
    return attachmentViolations(await message.parts(), attachmentPolicy({}));
  } finally {
    await message.close();
  }
}
