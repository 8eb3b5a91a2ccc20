import { ConfigError, type ErrorPolicy, type Verdict } from '@wmflow/core';
import { verdictOption } from './config.js';

/**
 * What a protective rule does when it cannot decide (a limit exceeded, a parse error, content it cannot
 * inspect): `block` (default) settles its recipients with the rule's own blocking verdict; a verdict settles
 * that one; `rethrow` fails the invocation so WorkMail retries and then applies the rule's fallback action;
 * `fail-open` lets the message through (logged), which only cosmetic rules should choose.
 */
export type Undecidable = 'block' | 'fail-open' | 'rethrow' | Verdict;

/** The option every protective rule takes. */
export interface UndecidableOption {
  /** When the rule cannot decide. Default `block`: the rule's own blocking verdict. See {@link Undecidable}. */
  onUndecidable?: Undecidable;
}

/** The rule's error policy for its `onUndecidable` option, given its blocking verdict. */
export function undecidablePolicy(
  input: Undecidable | undefined,
  blocking: Verdict,
  direction?: 'OUTBOUND',
): ErrorPolicy {
  const value = input ?? 'block';
  if (value === 'block') return { failClosed: blocking };
  if (value === 'fail-open' || value === 'rethrow') return value;
  if (typeof value !== 'object' || value === null)
    throw new ConfigError('onUndecidable', 'must be block, fail-open, rethrow or a verdict');
  return { failClosed: verdictOption('onUndecidable', value, direction) };
}
