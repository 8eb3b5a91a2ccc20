/**
 * Where a replay puts its virtual clock: a function returning milliseconds since the epoch.
 *
 * @example
 * ```ts
 * (globalThis as Record<symbol, unknown>)[RATE_CLOCK] = () => Date.parse('2026-11-24T00:00:00Z');
 * rateNow(); // 1795478400000
 * ```
 */
export const RATE_CLOCK = Symbol.for('wmflow.clock');

/**
 * The time rate rules count by: the function stored under `globalThis[Symbol.for('wmflow.clock')]`
 * when a replay (`wmflow replay --rate`) set one, else `Date.now()`. A shared symbol, not an import,
 * so a prebuilt bundle with its own copy of the rules reads the same clock.
 *
 * @example
 * ```ts
 * rateNow(); // Date.now() outside a replay
 * ```
 */
export function rateNow(): number {
  const clock = (globalThis as Record<symbol, unknown>)[RATE_CLOCK];
  return typeof clock === 'function' ? Number(clock()) : Date.now();
}
