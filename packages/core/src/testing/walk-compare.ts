import { Readable } from 'node:stream';
import type { BodyCollector } from '../message/body-text.js';
import { walkHeld } from '../message/held-walk.js';
import { DEFAULT_MESSAGE_LIMITS, type MessageLimits } from '../message/limits.js';
import { type PartInventory, walkParts } from '../message/part-walk.js';

type WalkLimits = Pick<MessageLimits, 'maxParts' | 'maxDepth' | 'maxHeaderBytes'>;

/** What one walk tells: the inventory and the bodies, findings and failures in a stable order. */
export interface WalkOutcome {
  inventory: PartInventory;
  bodies: BodyCollector;
}

function stable(inventory: PartInventory, bodies: BodyCollector): WalkOutcome {
  // The streaming walk reads an attached message beside its container, so the order in which findings
  // of the two arrive can vary; the parts' order cannot.
  const key = (f: PartInventory['findings'][number]) => `${f.partId ?? ''}\n${f.kind}\n${f.reason}`;
  return {
    inventory: {
      parts: inventory.parts,
      findings: [...inventory.findings].sort((a, b) => key(a).localeCompare(key(b))),
    },
    bodies: { pieces: bodies.pieces, failures: [...bodies.failures].sort() },
  };
}

/** `bytes` cut into pieces of `size` bytes (the whole when size is 0). */
export function pieces(bytes: Buffer, size = 0): Buffer[] {
  if (size <= 0) return [bytes];
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/**
 * Walks the same chunks with the streaming walk and with the walk of a held message. `held` is undefined
 * when the held walk handed the message to the streaming walk.
 *
 * @example
 * ```ts
 * const { stream, held } = await bothWalks(pieces(bytes, 100));
 * expect(held).toEqual(stream);
 * ```
 */
export async function bothWalks(
  chunks: readonly Buffer[],
  limits: WalkLimits = DEFAULT_MESSAGE_LIMITS,
): Promise<{ stream: WalkOutcome; held?: WalkOutcome; viaParts: WalkOutcome }> {
  const streamBodies: BodyCollector = { pieces: [], failures: [] };
  const streamed = await walkParts(Readable.from(chunks, { objectMode: false }), limits, streamBodies);
  const held = await walkHeld(chunks, limits, true);
  const partsBodies: BodyCollector = { pieces: [], failures: [] };
  const viaParts = await walkParts(chunks, limits, partsBodies);
  return {
    stream: stable(streamed, streamBodies),
    held: held && stable(held.out, held.bodies as BodyCollector),
    viaParts: stable(viaParts, partsBodies),
  };
}
