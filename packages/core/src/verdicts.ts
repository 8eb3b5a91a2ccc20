import { VerdictError } from './errors.js';
import type { Direction } from './flow/direction.js';

/** Deliver as WorkMail normally would. */
export interface DefaultVerdict {
  readonly type: 'DEFAULT';
}
/** Refuse the message for the recipient and send the sender a bounce with `message`. */
export interface BounceVerdict {
  readonly type: 'BOUNCE';
  readonly message: string;
}
/** Discard the message silently for the recipient. */
export interface DropVerdict {
  readonly type: 'DROP';
}
/** Deliver to the recipient's Junk folder (inbound only). */
export interface MoveToJunkVerdict {
  readonly type: 'MOVE_TO_JUNK';
}
/** Deliver without spam filtering (inbound only). */
export interface BypassSpamCheckVerdict {
  readonly type: 'BYPASS_SPAM_CHECK';
}

/** Verdicts WorkMail accepts for outbound mail. */
export type OutboundVerdict = DefaultVerdict | BounceVerdict | DropVerdict;
/** Verdicts WorkMail accepts for inbound mail. */
export type InboundVerdict = OutboundVerdict | MoveToJunkVerdict | BypassSpamCheckVerdict;
/** Any verdict. PASS is not a verdict: a rule passes by settling nothing. */
export type Verdict = InboundVerdict;
/** The verdict names. */
export type VerdictType = Verdict['type'];
/** Verdicts legal for direction `D`; every verdict when `D` is not known statically (checked at run time). */
export type VerdictFor<D extends Direction> = [D] extends ['OUTBOUND'] ? OutboundVerdict : Verdict;

/**
 * Longest bounce message wmflow sends; keeps responses far below WorkMail's 256 KB.
 *
 * @example
 * ```ts
 * Verdicts.bounce('x'.repeat(MAX_BOUNCE_MESSAGE_LENGTH)); // fine: 2048 characters
 * Verdicts.bounce('x'.repeat(MAX_BOUNCE_MESSAGE_LENGTH + 1)); // throws VerdictError
 * ```
 */
export const MAX_BOUNCE_MESSAGE_LENGTH = 2048;

/**
 * The verdict constants and the bounce constructor.
 *
 * @example
 * ```ts
 * ctx.settle(Verdicts.bounce('Wire-transfer requests must go through finance.'));
 * ctx.settle(Verdicts.MOVE_TO_JUNK, ['intern@example.com']);
 * ```
 */
export const Verdicts = {
  DEFAULT: { type: 'DEFAULT' } as DefaultVerdict,
  DROP: { type: 'DROP' } as DropVerdict,
  MOVE_TO_JUNK: { type: 'MOVE_TO_JUNK' } as MoveToJunkVerdict,
  BYPASS_SPAM_CHECK: { type: 'BYPASS_SPAM_CHECK' } as BypassSpamCheckVerdict,
  /** A bounce; `message` is trimmed, must be non-empty, at most 2048 characters, with no control characters but newlines. */
  bounce(message: string): BounceVerdict {
    return { type: 'BOUNCE', message: checkBounceMessage(message) };
  },
} as const;

const INBOUND_ONLY: ReadonlySet<VerdictType> = new Set(['MOVE_TO_JUNK', 'BYPASS_SPAM_CHECK']);
const ALL_TYPES: ReadonlySet<string> = new Set([
  'DEFAULT',
  'BOUNCE',
  'DROP',
  'MOVE_TO_JUNK',
  'BYPASS_SPAM_CHECK',
]);

/**
 * Throws {@link VerdictError} unless `verdict` is well-formed and legal for `direction`.
 *
 * @example
 * ```ts
 * assertVerdictAllowed(Verdicts.MOVE_TO_JUNK, 'OUTBOUND'); // throws VerdictError
 * ```
 */
export function assertVerdictAllowed(verdict: Verdict, direction: Direction): void {
  if (typeof verdict !== 'object' || verdict === null || !ALL_TYPES.has(verdict.type)) {
    throw new VerdictError(`not a verdict: ${JSON.stringify(verdict)}`);
  }
  if (direction === 'OUTBOUND' && INBOUND_ONLY.has(verdict.type)) {
    throw new VerdictError(`${verdict.type} is not allowed for OUTBOUND mail`);
  }
  if (verdict.type === 'BOUNCE') checkBounceMessage(verdict.message);
}

/**
 * True when `verdict` is well-formed and legal for `direction` (see {@link assertVerdictAllowed}).
 *
 * @example
 * ```ts
 * isVerdictAllowed(Verdicts.MOVE_TO_JUNK, 'OUTBOUND'); // false
 * ```
 */
export function isVerdictAllowed(verdict: Verdict, direction: Direction): boolean {
  try {
    assertVerdictAllowed(verdict, direction);
    return true;
  } catch {
    return false;
  }
}

/**
 * A string identifying the verdict including its bounce message; equal keys mean equal verdicts.
 *
 * @example
 * ```ts
 * verdictKey(Verdicts.bounce('no')); // "BOUNCE:no"
 * ```
 */
export function verdictKey(verdict: Verdict): string {
  return verdict.type === 'BOUNCE' ? `BOUNCE:${verdict.message}` : verdict.type;
}

function checkBounceMessage(message: string): string {
  if (typeof message !== 'string') throw new VerdictError('a bounce message must be a string');
  const text = message.trim();
  if (text === '') throw new VerdictError('a bounce message must not be empty');
  if (text.length > MAX_BOUNCE_MESSAGE_LENGTH) {
    throw new VerdictError(`a bounce message is at most ${MAX_BOUNCE_MESSAGE_LENGTH} characters`);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(text)) {
    throw new VerdictError('a bounce message must not contain control characters');
  }
  return text;
}
