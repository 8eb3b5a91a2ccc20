import { LocalStackError } from '../errors.js';

/**
 * A command-line option in milliseconds, a whole number above 0 (`--timeout`, `--request-timeout`,
 * `--load-timeout`); `name` leads the error a bad value gets.
 *
 * @example
 * ```ts
 * millisecondsOption('5000', '--timeout'); // 5000
 * ```
 */
export function millisecondsOption(value: string, name: string): number {
  const ms = Number(value);
  if (!Number.isSafeInteger(ms) || ms <= 0) throw new LocalStackError(`${name}: milliseconds, > 0`);
  return ms;
}
