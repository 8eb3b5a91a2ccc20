import { ConfigError } from '@wmflow/core';
import { RE2JS } from 're2js';

/**
 * Longest pattern source accepted, in characters.
 *
 * @example
 * ```ts
 * compileSafePattern('patterns[0]', 'a'.repeat(MAX_PATTERN_LENGTH + 1)); // throws ConfigError (too long)
 * ```
 */
export const MAX_PATTERN_LENGTH = 2000;
/**
 * Largest compiled program accepted (RE2's measure of a pattern's cost).
 *
 * @example
 * ```ts
 * compileSafePattern('patterns[0]', '[a-z]{1000}'.repeat(19)); // accepted
 * compileSafePattern('patterns[0]', '[a-z]{1000}'.repeat(20)); // throws ConfigError (program size 20002 > 20000)
 * ```
 */
export const MAX_PATTERN_PROGRAM = 20_000;

/** A pattern compiled for linear-time matching. */
export interface SafePattern {
  readonly source: string;
  test(text: string): boolean;
}

/**
 * Compiles a user pattern with RE2JS (the JavaScript port of RE2): matching runs in time linear in the
 * input, so hostile mail cannot trigger catastrophic backtracking. Patterns RE2 cannot run in linear
 * time — backreferences (`\1`), lookahead and lookbehind — are refused with a {@link ConfigError} naming
 * `field`, as are over-long or over-large patterns. A `RegExp` keeps its `i`, `s` and `m` flags.
 *
 * @example
 * ```ts
 * compileSafePattern('patterns[0]', /invoice\s+#?\d{4,}/i).test('Invoice #20931'); // true
 * compileSafePattern('patterns[1]', '(a+)+\\1'); // throws ConfigError (backreference)
 * ```
 */
export function compileSafePattern(
  field: string,
  pattern: string | RegExp,
  caseInsensitive = false,
): SafePattern {
  const source = typeof pattern === 'string' ? pattern : pattern.source;
  const flags = typeof pattern === 'string' ? '' : pattern.flags;
  if (typeof source !== 'string' || source === '')
    throw new ConfigError(field, 'must be a non-empty pattern');
  if (source.length > MAX_PATTERN_LENGTH) {
    throw new ConfigError(field, `pattern longer than ${MAX_PATTERN_LENGTH} characters`);
  }
  let bits = 0;
  if (caseInsensitive || flags.includes('i')) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('s')) bits |= RE2JS.DOTALL;
  if (flags.includes('m')) bits |= RE2JS.MULTILINE;
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, bits);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      field,
      `not a linear-time pattern (${why}); backreferences and lookaround are not supported`,
    );
  }
  if (re.programSize() > MAX_PATTERN_PROGRAM) {
    throw new ConfigError(
      field,
      `pattern too large (program size ${re.programSize()} > ${MAX_PATTERN_PROGRAM})`,
    );
  }
  return { source, test: (text) => re.test(text) };
}
