/**
 * Where the emulator reads the time: message expiry (24 h) is measured on it,
 * so tests can move time forward instead of sleeping.
 *
 * @example
 * ```ts
 * const clock: Clock = { now: () => Date.parse('2026-11-25T10:00:00Z') };
 * ```
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/**
 * The real clock.
 *
 * @example
 * ```ts
 * startFlowEmulator({ clock: systemClock });
 * ```
 */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that moves only when told to.
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * const stack = await startLocalStack({ clock });
 * clock.advance(24 * 60 * 60 * 1000 + 1); // every loaded message has now expired
 * ```
 */
export class ManualClock implements Clock {
  constructor(private current = Date.parse('2026-11-25T10:00:00Z')) {}

  now(): number {
    return this.current;
  }

  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.current += ms;
  }
}
