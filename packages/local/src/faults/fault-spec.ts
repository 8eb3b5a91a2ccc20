import { LocalStackError } from '../errors.js';

/**
 * Faults a {@link FaultProxy} injects at random, each a probability per request (0–1), from a seed.
 * - `reset`: the answer's body is cut at a random byte and the connection dropped.
 * - `throttle`: the request is answered 429/503 throttling without reaching the server.
 * - `error`: the request is answered 500 without reaching the server.
 * - `lost`: a write (any method but GET/HEAD) reaches the server and is applied; its answer is dropped.
 * - `partial`: a read (GET) is answered `206 Partial Content`, with a Content-Range and the object's first bytes
 *   (up to a random byte), as a middlebox that answers a range nobody asked for; the length agrees with the bytes.
 * - `latency`: each request waits a random 0..`latency` ms.
 *
 * @example
 * ```ts
 * parseFaultSpec('seed=7,reset=0.05,throttle=0.1,lost=0.02,partial=0.01,latency=20');
 * ```
 */
export interface FaultSpec {
  seed: number;
  reset: number;
  throttle: number;
  error: number;
  lost: number;
  /** Optional, so a spec written before it existed still types: 0 when absent. */
  partial?: number;
  latency: number;
}

const PROBABILITIES = ['reset', 'throttle', 'error', 'lost', 'partial'] as const;

/**
 * Reads a fault spec: comma-separated `name=value` items (see {@link FaultSpec}); unknown names and
 * out-of-range values are errors. Missing items are 0; the seed defaults to 1.
 *
 * @example
 * ```ts
 * parseFaultSpec('reset=0.1').reset; // 0.1
 * ```
 */
export function parseFaultSpec(text: string): FaultSpec {
  const spec: FaultSpec = { seed: 1, reset: 0, throttle: 0, error: 0, lost: 0, partial: 0, latency: 0 };
  for (const item of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, raw] = item.split('=', 2) as [string, string | undefined];
    const value = Number(raw);
    if (raw === undefined || raw.trim() === '' || !Number.isFinite(value))
      throw new LocalStackError(`--faults: ${item}: expected name=number`);
    if ((PROBABILITIES as readonly string[]).includes(name)) {
      if (value < 0 || value > 1) throw new LocalStackError(`--faults: ${name} is a probability, 0..1`);
      spec[name as (typeof PROBABILITIES)[number]] = value;
    } else if (name === 'seed' || name === 'latency') {
      if (!Number.isSafeInteger(value) || value < 0)
        throw new LocalStackError(`--faults: ${name}: a whole number ≥ 0`);
      spec[name] = value;
    } else {
      throw new LocalStackError(
        `--faults: unknown fault ${name} (seed, reset, throttle, error, lost, partial, latency)`,
      );
    }
  }
  return spec;
}

/**
 * A small seeded generator (mulberry32): the same seed gives the same faults in the same order.
 *
 * @example
 * ```ts
 * const next = seededRandom(7); next(); // 0 ≤ x < 1
 * ```
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
