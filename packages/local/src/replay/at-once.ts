import { createRequire, syncBuiltinESMExports } from 'node:module';

/**
 * What a handler left to run at once when it answered: its `setImmediate` callbacks and zero-delay timers. Lambda
 * runs them before the next event (its runtime sends the answer and asks for the next event over HTTP, so the loop
 * turns); replay must too, and before the message is reported, so that a process ended there (`process.exit` in a
 * `setImmediate`, an error thrown from a zero-delay timer) ends the run on the message that queued it, at `-j 1`
 * as in a `-j N` worker (fault round 95).
 *
 * Immediates and zero-delay timers (`setTimeout(f)`, `setTimeout(f, 0)`, any delay Node runs as 1 ms) are counted
 * while {@link trackZeroDelayTimers} is installed: made through the globals, through `node:timers` and through
 * `node:timers/promises` (fault round 97). {@link runLeftAtOnce} turns the loop until none is pending, so a chain (an
 * immediate queuing another, a zero-delay timer setting another) is waited for too, up to {@link MAX_TURNS} turns:
 * a ticker that never stops costs those turns, no more.
 *
 * @example
 * ```ts
 * const untrack = trackZeroDelayTimers();
 * await handler(event);
 * await runLeftAtOnce();
 * untrack();
 * ```
 */
type Pending = { _destroyed?: boolean };
const timers = new Set<Pending>();
const immediates = new Set<Pending>();
/** Zero-delay `node:timers/promises` promises not settled yet. */
let promised = 0;
let installed = 0;
let saved: { setTimeout: typeof setTimeout; setImmediate: typeof setImmediate } | undefined;
let restoreModules: (() => void) | undefined;

/** Node's largest timer delay: a longer (or NaN, negative, zero) one runs after 1 ms. */
const TIMEOUT_MAX = 2 ** 31 - 1;
/** The turns of the loop {@link runLeftAtOnce} waits at most for a chain of immediates and zero-delay timers. */
const MAX_TURNS = 10;

const zeroDelay = (ms: unknown): boolean => {
  const after = Number(ms);
  return !(after > 1 && after <= TIMEOUT_MAX);
};

/**
 * Counts immediates and zero-delay timers made through the global `setTimeout`/`setImmediate`, `node:timers` and
 * `node:timers/promises` until the returned function is called (nested installs share one wrapper).
 *
 * @example
 * ```ts
 * const untrack = trackZeroDelayTimers();
 * untrack();
 * ```
 */
export function trackZeroDelayTimers(): () => void {
  if (installed++ === 0) {
    const original = { setTimeout: globalThis.setTimeout, setImmediate: globalThis.setImmediate };
    saved = original;
    const wrappedTimeout = ((callback: unknown, ms?: unknown, ...args: unknown[]) => {
      const timer = (original.setTimeout as (...a: unknown[]) => NodeJS.Timeout)(callback, ms, ...args);
      if (typeof callback === 'function' && zeroDelay(ms)) timers.add(timer as Pending);
      return timer;
    }) as typeof setTimeout;
    const wrappedImmediate = ((callback: unknown, ...args: unknown[]) => {
      const immediate = (original.setImmediate as (...a: unknown[]) => NodeJS.Immediate)(callback, ...args);
      if (typeof callback === 'function') immediates.add(immediate as Pending);
      return immediate;
    }) as typeof setImmediate;
    // node:util's promisified form (`await setTimeout(0)` through util.promisify) keeps working.
    Object.assign(wrappedTimeout, original.setTimeout);
    Object.assign(wrappedImmediate, original.setImmediate);
    globalThis.setTimeout = wrappedTimeout;
    globalThis.setImmediate = wrappedImmediate;
    restoreModules = trackModules(original, wrappedTimeout, wrappedImmediate);
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (--installed > 0 || !saved) return;
    globalThis.setTimeout = saved.setTimeout;
    globalThis.setImmediate = saved.setImmediate;
    restoreModules?.();
    restoreModules = undefined;
    saved = undefined;
    timers.clear();
    immediates.clear();
  };
}

/**
 * The same counting for `node:timers` and `node:timers/promises` (what a handler imports from them, ESM included,
 * is made to call the wrappers: `syncBuiltinESMExports`); returns what puts them back.
 */
function trackModules(
  original: { setTimeout: typeof setTimeout; setImmediate: typeof setImmediate },
  wrappedTimeout: typeof setTimeout,
  wrappedImmediate: typeof setImmediate,
): () => void {
  const require = createRequire(import.meta.url);
  const plain = require('node:timers') as Record<string, unknown>;
  const promises = require('node:timers/promises') as Record<string, unknown>;
  const before = {
    setTimeout: plain.setTimeout,
    setImmediate: plain.setImmediate,
    promisedTimeout: promises.setTimeout,
    promisedImmediate: promises.setImmediate,
  };
  // Only the module's own functions are replaced: one a handler or a test tool put there is left alone.
  if (before.setTimeout === original.setTimeout) plain.setTimeout = wrappedTimeout;
  if (before.setImmediate === original.setImmediate) plain.setImmediate = wrappedImmediate;
  const count = <T>(promise: Promise<T>): Promise<T> => {
    promised++;
    const settled = () => {
      promised--;
    };
    promise.then(settled, settled);
    return promise;
  };
  const promisedTimeout = before.promisedTimeout as (ms?: unknown, ...rest: unknown[]) => Promise<unknown>;
  const promisedImmediate = before.promisedImmediate as (...rest: unknown[]) => Promise<unknown>;
  promises.setTimeout = (ms?: unknown, ...rest: unknown[]) => {
    const promise = promisedTimeout(ms, ...rest);
    return zeroDelay(ms) ? count(promise) : promise;
  };
  promises.setImmediate = (...rest: unknown[]) => count(promisedImmediate(...rest));
  syncBuiltinESMExports();
  return () => {
    Object.assign(plain, { setTimeout: before.setTimeout, setImmediate: before.setImmediate });
    Object.assign(promises, {
      setTimeout: before.promisedTimeout,
      setImmediate: before.promisedImmediate,
    });
    syncBuiltinESMExports();
    promised = 0;
  };
}

/** Whether a counted immediate or zero-delay timer has yet to run (a cleared or closed one has not to). */
function stillPending(): boolean {
  for (const set of [timers, immediates])
    for (const item of set) if (item._destroyed === true) set.delete(item);
  return timers.size > 0 || immediates.size > 0 || promised > 0;
}

/**
 * Lets the event loop run what was queued to run at once: every immediate queued before this call, then, if a
 * counted zero-delay timer is still pending, every such timer (ours, queued after them in Node's 1 ms list, runs
 * after them); again while what those queued is pending, at most {@link MAX_TURNS} times. Costs one turn of the
 * loop when nothing is pending.
 *
 * @example
 * ```ts
 * await runLeftAtOnce();
 * ```
 */
export async function runLeftAtOnce(): Promise<void> {
  const immediate = saved?.setImmediate ?? globalThis.setImmediate;
  const timeout = saved?.setTimeout ?? globalThis.setTimeout;
  for (let turn = 0; turn < MAX_TURNS; turn++) {
    await new Promise<void>((resolve) => immediate(resolve));
    if (!stillPending()) return;
    if (timers.size > 0 || promised > 0) await new Promise<void>((resolve) => timeout(resolve, 1));
    if (!stillPending()) return;
  }
}
