import { millisecondsOption } from './milliseconds.js';

/**
 * `--load-timeout <ms>` of `replay -j N` and `backtest` (fault round 71): the longest a worker may take to load the
 * handler module before the run fails, as `{ loadTimeoutMs }`, or nothing when not given (the pool's default).
 *
 * @example
 * ```ts
 * loadTimeout('5000', 'replay'); // { loadTimeoutMs: 5000 }
 * ```
 */
export function loadTimeout(value: string | undefined, command: string): { loadTimeoutMs?: number } {
  return value === undefined
    ? {}
    : { loadTimeoutMs: millisecondsOption(value, `${command}: --load-timeout`) };
}
