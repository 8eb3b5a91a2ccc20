// The walk of a message held in memory (the policy's fast path) against the streaming walk, over every
// hostile message of the threat model: same parts, ids and names (the editor removes parts by id), same
// findings, same body text. Where the held walk hands over (the splitter fails), the result is the stream's.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MESSAGE_LIMITS } from '../../../packages/core/src/message/limits.js';
import { bothWalks, pieces } from '../../../packages/core/src/testing/walk-compare.js';
import { hostileCases } from './hostile.js';
import { cardNumbers, hugeHeaderBlock, nestedBlockquotes, virusWithExe } from './hostile-mail.js';

const messages = [
  ...hostileCases().map((c) => ({ name: `${c.threat}: ${c.name}`, bytes: c.message })),
  { name: 'virus with exe', bytes: virusWithExe() },
  { name: 'card numbers', bytes: cardNumbers() },
  { name: 'nested blockquotes', bytes: nestedBlockquotes(64 * 1024) },
  { name: 'huge header block', bytes: hugeHeaderBlock() },
];

describe('held walk over the hostile messages', () => {
  it('finds what the streaming walk finds in every hostile message, in any chunking', async () => {
    expect(messages.length).toBeGreaterThan(20);
    let handled = 0;
    for (const { name, bytes } of messages) {
      for (const size of [0, 13, 4096]) {
        const { stream, held, viaParts } = await bothWalks(pieces(bytes, size), DEFAULT_MESSAGE_LIMITS);
        if (held) {
          handled++;
          expect(held, `${name} in pieces of ${size}`).toEqual(stream);
        }
        expect(viaParts, `${name} in pieces of ${size}`).toEqual(stream);
      }
    }
    expect(handled).toBeGreaterThan(messages.length);
  });
});
