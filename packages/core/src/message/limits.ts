import { WmflowError } from '../errors.js';

/**
 * Bounds on what wmflow reads and parses of a message. Message content is
 * attacker-controlled: every bound ends in a {@link MessageLimitError}, never
 * an unbounded allocation.
 */
export interface MessageLimits {
  /** Largest header block read, in bytes. Default 1 MiB. */
  maxHeaderBytes: number;
  /** Largest message read whole (`bytes()`, `parsed()`), in bytes. Default 40 MiB (WorkMail's 25 MB plus encoding). */
  maxMessageBytes: number;
  /** Most MIME parts a full parse accepts. Default 1000. */
  maxParts: number;
  /** Deepest multipart / message nesting a full parse accepts. Default 30. */
  maxDepth: number;
  /** HTML longer than this is not converted to text by the full parse. Default 2 MiB. */
  maxHtmlToTextBytes: number;
}

/**
 * The default {@link MessageLimits}; a flow's `message.limits` overrides some of them.
 *
 * @example
 * ```ts
 * DEFAULT_MESSAGE_LIMITS.maxMessageBytes; // 41943040 (40 MiB)
 * flow({ direction: 'INBOUND', rules, message: { limits: { maxParts: 2 * DEFAULT_MESSAGE_LIMITS.maxParts } } });
 * ```
 */
export const DEFAULT_MESSAGE_LIMITS: MessageLimits = {
  maxHeaderBytes: 1024 * 1024,
  maxMessageBytes: 40 * 1024 * 1024,
  maxParts: 1000,
  maxDepth: 30,
  maxHtmlToTextBytes: 2 * 1024 * 1024,
};

/**
 * A message exceeded one of the {@link MessageLimits}; `limit` names which.
 *
 * @example
 * ```ts
 * try { await ctx.message.parsed(); } catch (e) { if (e instanceof MessageLimitError) ctx.note(e.message); }
 * ```
 */
export class MessageLimitError extends WmflowError {
  override name = 'MessageLimitError';
  constructor(
    readonly limit: keyof MessageLimits,
    detail: string,
  ) {
    super(`message exceeds ${limit}: ${detail}`);
  }
}
