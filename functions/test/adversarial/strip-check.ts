import { Readable } from 'node:stream';
import { LazyMessage, type PartInventory } from '@wmflow/core';
import { attachmentPolicy, attachmentViolations } from '@wmflow/rules';
import { expect } from 'vitest';

/** The note a stripped part is replaced by (the rules' default; quoted-printable leaves it as is). */
const REMOVAL_NOTE = 'An attachment was removed by mail policy.';

/**
 * A message wrapped after a banner part (it had no text body to carry it) holds the original entity, its parts
 * numbered as before, as the wrapper's second part: that entity, read as a message of its own.
 */
function unwrapped(delivered: Buffer): Buffer {
  const text = delivered.toString('latin1');
  const boundary = /^Content-Type: multipart\/mixed;\s+boundary="(wmflow-wrap-[^"]+)"/m.exec(text)?.[1];
  if (boundary === undefined) return delivered;
  const start = text.indexOf(`--${boundary}`, text.indexOf(`--${boundary}`) + 1);
  const end = text.lastIndexOf(`--${boundary}--`);
  return delivered.subarray(text.indexOf('\n', start) + 1, end);
}

async function inventory(bytes: Buffer): Promise<PartInventory> {
  const message = new LazyMessage(async () => Readable.from([bytes]));
  try {
    return await message.parts();
  } finally {
    await message.close();
  }
}

/**
 * Asserts that a strip really removed what the default attachment policy flags in `original`, so the check
 * cannot pass on bytes merely re-encoded: the message was rewritten, each flagged part (or the part holding
 * it) is now the removal note in its place (plain text, no file name, the note's size), the note is in the
 * bytes (unless `noteInBytes: false`), and the default policy finds nothing left.
 *
 * @example
 * ```ts
 * await expectStripped(message, (await kit.inbound(message, { ATTACHMENT_ACTION: 'strip' })).delivered);
 * ```
 */
export async function expectStripped(
  original: Buffer,
  delivered: Buffer,
  options: { noteInBytes?: boolean } = {},
): Promise<void> {
  expect(delivered.equals(original), 'the message was not rewritten').toBe(false);
  const flagged = attachmentViolations(await inventory(original), attachmentPolicy({}));
  const ids = flagged.map((v) => v.partId).filter((id) => id !== undefined);
  expect(ids.length, 'the default policy flags a part of the original').toBeGreaterThan(0);
  const after = await inventory(unwrapped(delivered));
  const byId = new Map(after.parts.map((p) => [p.id, p]));
  for (const id of ids) {
    let at: string | undefined = id;
    while (at !== undefined && !byId.has(at))
      at = at.includes('/') ? at.slice(0, at.lastIndexOf('/')) : undefined;
    const part = at === undefined ? undefined : byId.get(at);
    expect({
      id,
      type: part?.contentType,
      names: part?.names,
      note: part?.size === REMOVAL_NOTE.length,
    }).toEqual({
      id,
      type: 'text/plain',
      names: [],
      note: true,
    });
  }
  // A note inside an attached message sent base64 is not in the bytes as written.
  if (options.noteInBytes ?? true) expect(delivered.toString('latin1')).toContain(REMOVAL_NOTE);
  expect(attachmentViolations(after, attachmentPolicy({}))).toEqual([]);
}
