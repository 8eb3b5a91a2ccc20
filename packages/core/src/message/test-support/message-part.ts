import type { MessagePart } from '../part-walk.js';

/**
 * A leaf part as the walk describes it (`application/octet-stream`, unnamed, at the top), with `p` over it.
 *
 * @example
 * ```ts
 * messagePart({ names: ['invoice.xml'] });
 * ```
 */
export function messagePart(p: Partial<MessagePart>): MessagePart {
  return {
    id: '2',
    contentType: 'application/octet-stream',
    names: [],
    size: 0,
    depth: 0,
    container: false,
    related: false,
    ...p,
  };
}
