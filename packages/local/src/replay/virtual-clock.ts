import { parseMailDate } from '@wmflow/core';
import { LocalStackError } from '../errors.js';

/** Where rate rules read the time (`rateNow()` of @wmflow/rules): a shared symbol on `globalThis`. */
export const CLOCK_SYMBOL = Symbol.for('wmflow.clock');

/**
 * Settings of {@link VirtualClock}: a steady rate, or each message's `Date:` header.
 *
 * @example
 * ```ts
 * new VirtualClock({ rate: 10, start: Date.parse('2026-11-25T10:00:00Z') });
 * ```
 */
export interface VirtualClockOptions {
  /** Messages per second: message n (from 0) is sent at `start + n / rate` seconds. */
  rate?: number;
  /** Time of the first message (ms since the epoch). Default now. */
  start?: number;
  /** Take each message's time from its `Date:` header (the last good one when missing; no zone: UTC). */
  fromDates?: boolean;
}

/**
 * The time a replay simulates, so a folder replayed in seconds can stand for a burst at a given rate
 * or for the hours its `Date:` headers span. Installed on `globalThis[Symbol.for('wmflow.clock')]`,
 * where rate rules read it; `uninstall()` restores the real clock.
 *
 * @example
 * ```ts
 * const clock = new VirtualClock({ rate: 500 / 60 });
 * const uninstall = clock.install();
 * clock.next(bytes); // before each message
 * uninstall();
 * ```
 */
export class VirtualClock {
  private current: number;
  private sent = 0;
  private readonly start: number;

  constructor(private readonly options: VirtualClockOptions) {
    if (options.rate !== undefined && !(Number.isFinite(options.rate) && options.rate > 0)) {
      throw new LocalStackError('--rate: messages per second, > 0');
    }
    if (options.rate === undefined && !options.fromDates) {
      throw new LocalStackError('a virtual clock needs --rate or --dates');
    }
    this.start = options.start ?? Date.now();
    this.current = this.start;
  }

  /** The simulated time (ms since the epoch). */
  now(): number {
    return this.current;
  }

  /** Moves to the time of the next message. */
  next(message: Buffer): void {
    const dated = this.options.fromDates ? dateOf(message) : undefined;
    if (dated !== undefined) this.current = dated;
    else if (this.options.rate !== undefined)
      this.current = this.start + (this.sent * 1000) / this.options.rate;
    this.sent++;
  }

  /** Makes rate rules read this clock; returns the function that restores the real one. */
  install(): () => void {
    const global = globalThis as Record<symbol, unknown>;
    const before = global[CLOCK_SYMBOL];
    global[CLOCK_SYMBOL] = () => this.current;
    return () => {
      global[CLOCK_SYMBOL] = before;
    };
  }
}

/** The `Date:` header of a message (first 64 KiB, folded lines joined) as `parseMailDate` reads it, or undefined. */
export function dateOf(message: Buffer): number | undefined {
  const head = message.subarray(0, 65_536).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const block = (end < 0 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const match = /^date:[ \t]*(.*)$/im.exec(block);
  return match ? parseMailDate(match[1] ?? '') : undefined;
}
