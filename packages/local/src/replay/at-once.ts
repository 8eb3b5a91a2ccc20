/**
 * What a handler left to run at once when it answered: its `setImmediate` callbacks and zero-delay timers. Lambda
 * runs them before the next event (its runtime sends the answer and asks for the next event over HTTP, so the loop
 * turns); replay must too, and before the message is reported, so that a process ended there (`process.exit` in a
 * `setImmediate`, an error thrown from a zero-delay timer) ends the run on the message that queued it, at `-j 1`
 * as in a `-j N` worker (fault round 95). A handler that does no I/O never lets the loop turn by itself.
 *
 * Zero-delay timers (`setTimeout(f)`, `setTimeout(f, 0)`, any delay Node runs as 1 ms) made through the global
 * `setTimeout` are counted while {@link trackZeroDelayTimers} is installed; only when one is still pending does
 * {@link runLeftAtOnce} wait the millisecond it needs. What those callbacks queue in turn is not waited for.
 *
 * @example
 * ```ts
 * const untrack = trackZeroDelayTimers();
 * await handler(event);
 * await runLeftAtOnce();
 * untrack();
 * ```
 */
const pending = new Set<NodeJS.Timeout>();
let installed = 0;
let saved: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout } | undefined;

/** Node's largest timer delay: a longer (or NaN, negative, zero) one runs after 1 ms. */
const TIMEOUT_MAX = 2 ** 31 - 1;

/**
 * Counts zero-delay timers made through the global `setTimeout` until the returned function is called
 * (nested installs share one wrapper).
 *
 * @example
 * ```ts
 * const untrack = trackZeroDelayTimers();
 * untrack();
 * ```
 */
export function trackZeroDelayTimers(): () => void {
  if (installed++ === 0) {
    const original = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };
    saved = original;
    const wrapped = ((callback: unknown, ms?: unknown, ...args: unknown[]) => {
      const after = Number(ms);
      if (typeof callback !== 'function' || (after > 1 && after <= TIMEOUT_MAX))
        return (original.setTimeout as (...a: unknown[]) => NodeJS.Timeout)(callback, ms, ...args);
      const timer: NodeJS.Timeout = original.setTimeout(
        function (this: unknown, ...given: unknown[]) {
          pending.delete(timer);
          return (callback as (...a: unknown[]) => unknown).apply(this, given);
        },
        ms as number,
        ...args,
      );
      pending.add(timer);
      return timer;
    }) as typeof setTimeout;
    // node:util's promisified form (`await setTimeout(0)` through util.promisify) keeps working.
    Object.assign(wrapped, original.setTimeout);
    globalThis.setTimeout = wrapped;
    globalThis.clearTimeout = ((timer?: NodeJS.Timeout | string | number) => {
      if (typeof timer === 'object') pending.delete(timer);
      original.clearTimeout(timer);
    }) as typeof clearTimeout;
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (--installed > 0 || !saved) return;
    globalThis.setTimeout = saved.setTimeout;
    globalThis.clearTimeout = saved.clearTimeout;
    saved = undefined;
    pending.clear();
  };
}

/**
 * Lets the event loop run what was queued to run at once: every `setImmediate` callback queued before this call,
 * then, if a zero-delay timer made while {@link trackZeroDelayTimers} was installed is still pending, every such timer
 * (ours, queued after them in Node's 1 ms list, runs after them). Costs one turn of the loop when nothing is pending.
 *
 * @example
 * ```ts
 * await runLeftAtOnce();
 * ```
 */
export async function runLeftAtOnce(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  // (A timer closed with `timer.close()` stays counted: it costs one millisecond, nothing else.)
  if (pending.size === 0) return;
  const set = saved?.setTimeout ?? globalThis.setTimeout;
  await new Promise<void>((resolve) => set(resolve, 1));
}
