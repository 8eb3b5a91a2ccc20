import { ConfigError } from '@wmflow/core';
import type { CountResult } from './store.js';

/** A duration: milliseconds, or text such as `30s`, `5m`, `1h`, `1d`. */
export type Duration = number | `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`;

/** Fixed windows restart at each multiple of the window; sliding windows weigh the previous one in. */
export type WindowType = 'fixed' | 'sliding';

const UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a {@link Duration}; a {@link ConfigError} naming `field` when it is not one (1 s to 7 days). */
export function durationMs(field: string, value: Duration | undefined, fallback?: Duration): number {
  const v = value ?? fallback;
  const match = typeof v === 'string' ? /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(v.trim()) : null;
  const ms =
    typeof v === 'number' ? v : match ? Number(match[1]) * (UNIT[match[2] ?? ''] ?? Number.NaN) : Number.NaN;
  if (!Number.isFinite(ms) || ms < 1000 || ms > 7 * 86_400_000) {
    throw new ConfigError(
      field,
      'must be a duration from 1s to 7d (milliseconds, or text such as 30s, 5m, 1h)',
    );
  }
  return Math.round(ms);
}

/** Checks a window type option. */
export function windowType(field: string, value: WindowType | undefined): WindowType {
  const v = value ?? 'sliding';
  if (v !== 'fixed' && v !== 'sliding') throw new ConfigError(field, 'must be fixed or sliding');
  return v;
}

/**
 * How many messages the window holds with this one: its rank in the current fixed window, plus,
 * for a sliding window, the previous window's count weighted by the share of it still inside the
 * sliding window (the usual sliding-window-counter estimate).
 */
export function windowCount(type: WindowType, windowMs: number, now: number, result: CountResult): number {
  if (type === 'fixed') return result.count;
  const elapsed = (now % windowMs) / windowMs;
  return result.count + Math.floor(result.previousCount * (1 - elapsed));
}

/** TTL (epoch seconds) for an item of window `window`: kept while the next window still weighs it in. */
export function ttlOf(window: number, windowMs: number, extraMs = 0): number {
  return Math.ceil(((window + 2) * windowMs + extraMs) / 1000) + 60;
}
