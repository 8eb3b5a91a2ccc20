import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { LocalStackError } from '../errors.js';
import { TIMED_OUT_GRACE_MS } from '../replay/timed-out-grace.js';
import type { FromWorker, ToWorker } from './serve-worker.js';
import { workerExecArgv } from './worker-flags.js';

/** Items in flight per worker: one running, three queued, so a worker never idles while the parent prints results (two left it waiting about a tenth of the time). */
const DEPTH = 4;

/** An error as plain data, so it crosses process boundaries. */
export interface PlainError {
  name: string;
  message: string;
}

/**
 * Settings of {@link runOrderedPool}.
 *
 * @example
 * ```ts
 * await runOrderedPool({ label: 'replay', script, workers: 2, init, keys: files, fetch: async (f) => f,
 *   failed: (f, e) => ({ f, e }), onResult: (out) => write(out) });
 * ```
 */
export interface OrderedPoolOptions<Init, Key, Item, Out> {
  /** Named in errors: "the <label> worker exited". */
  label: string;
  /** The worker module; it calls {@link serveWorker}. */
  script: URL;
  workers: number;
  /** Sent to every worker once, before any item. */
  init: Init;
  keys: AsyncIterable<Key> | Iterable<Key>;
  /** Turns a key into the item sent to a worker (e.g. downloads it); a throw gives the key a failed result. */
  fetch(key: Key): Promise<Item>;
  /** Called once an item's result is written (or the run ends), e.g. to delete a temporary file. */
  release?(item: Item): Promise<void>;
  /** The result of a key that could not be fetched, or whose worker failed or exited. */
  failed(key: Key, error: PlainError): Out;
  /** Called in key order, once per key, as soon as it and all before it are done. */
  onResult(out: Out, key: Key): void | Promise<void>;
  /** Called once every worker has started (its `init` answered), before the first key is handed out. */
  onReady?(): void;
  /**
   * Called (once per worker) when a worker, sent `end`, was still held running by something its handler left
   * open (a timer, a socket) and ended itself without waiting for it (fault round 57).
   */
  onHeld?(): void;
  /** Worker output (handler logs) goes to stderr when true, nowhere otherwise. */
  logs?: boolean;
  /** Stops handing out keys; what is in flight still finishes and is reported. */
  signal?: AbortSignal;
  /**
   * What a worker that exits mid-run does to the run. `'fail-item'` (default): the item it was running gets a
   * `WorkerExited` result and the rest go on in the other workers. `'end-run'`: the run ends as one process
   * would have ended there: the results before that item are reported, none after, and the pool rejects with
   * a {@link WorkerExitError}.
   */
  onWorkerExit?: 'fail-item' | 'end-run';
  /**
   * Keys handed out but not yet reported, per worker (default 4, the items in flight per worker). More lets a
   * worker run ahead while another is on a slow item whose result holds up the ordered output; each
   * of them keeps its result (and its fetched item until reported) in memory.
   */
  window?: number;
  /**
   * The longest a worker may be on one item, from when it starts on it (fault round 68). A handler stuck in a
   * synchronous loop never gives control back, so no deadline in its own process can fire: past this time the
   * worker is killed, as Lambda ends an invocation at the function's timeout, the item gets a `HandlerTimeout`
   * result, a new worker takes its place and the items queued behind it, and the run goes on (in either
   * `onWorkerExit` mode). Unset: a worker is waited for as long as it takes.
   */
  itemTimeoutMs?: number;
  /** The function's own timeout, named in the `HandlerTimeout` result of a worker killed under `itemTimeoutMs`. */
  handlerTimeoutMs?: number;
  /**
   * The longest the replacement of a worker killed under `itemTimeoutMs` may take to start (answer `init`); past it
   * the replacement is ended too and the stuck worker is killed without one (fault round 69: a handler module that
   * hangs the second time it loads held the run for ever). Default: the larger of 30 s and ten times what the
   * first workers took to start.
   */
  replacementStartMs?: number;
  /**
   * The longest each of the first workers may take to start (answer `init`: load the handler module); past it the
   * worker is killed and the run fails before any key is handed out, naming `starting` (fault round 71: a handler
   * module stuck in a synchronous loop at import held the run for ever). Default {@link DEFAULT_START_MS}.
   */
  startMs?: number;
  /** What a worker loads as it starts, named in the error when it does not start in time (`the handler module x.ts`). */
  starting?: string;
}

/**
 * The first workers' start limit by default (fault round 71): generous, as a start (the worker module and the handler
 * module loaded) is normally well under a second, a few under load, and Lambda's own init phase is bounded at 10 s.
 *
 * @example
 * ```ts
 * await runOrderedPool({ ...options, startMs: Math.max(DEFAULT_START_MS, slowestKnownStartMs) });
 * ```
 */
export const DEFAULT_START_MS = 120_000;

/** What a worker may spend on an item beside its handler's invocations: loading and writing the message, checks. */
const WATCHDOG_SLACK_MS = 2_000;

/**
 * The `itemTimeoutMs` of {@link runOrderedPool} for items that each make `invocations` invocations of a handler
 * whose timeout is `timeoutMs`: each is given its timeout and the grace `invokeOnce` waits after it, plus the
 * larger of two seconds and the timeout for the rest of the item's work (fault round 68).
 *
 * @example
 * ```ts
 * itemWatchdogMs(15_000); // 15 s + 5 s grace + 15 s = 35_000
 * itemWatchdogMs(200, 2); // 2 × 400 + 2_000 = 2_800
 * ```
 */
export function itemWatchdogMs(timeoutMs: number, invocations = 1): number {
  return (
    invocations * (timeoutMs + Math.min(timeoutMs, TIMED_OUT_GRACE_MS)) +
    Math.max(WATCHDOG_SLACK_MS, timeoutMs)
  );
}

/**
 * A worker exited while the pool ran with `onWorkerExit: 'end-run'`: `reported` results (those of the keys
 * before `key`) were reported, and none after.
 *
 * @example
 * ```ts
 * try { await runOrderedPool({ ...options, onWorkerExit: 'end-run' }); }
 * catch (e) { if (e instanceof WorkerExitError) console.error(`exit ${e.code} at ${String(e.key)}`); }
 * ```
 */
export class WorkerExitError extends LocalStackError {
  override name = 'WorkerExitError';
  constructor(
    /** The key the worker was running (or the next to run, if it held none); undefined when it exited while starting, or after the last result (fault round 93). */
    readonly key: unknown,
    /** The worker's exit code; null when a signal ended it. */
    readonly code: number | null,
    readonly reported: number,
  ) {
    super(`a worker exited (code ${code}) with ${reported} result(s) reported`);
  }
}

/**
 * Every worker of the pool exited (or was killed and could not be replaced) with keys left: the results reported
 * stand, the keys not handed out have none. Not the source's failure: a caller that goes on from a cut listing tells
 * the two apart by this class (fault round 69).
 *
 * @example
 * ```ts
 * try { await runOrderedPool(options); }
 * catch (e) { if (e instanceof WorkersGoneError) console.error(`${e.message}: rerun to go on`); }
 * ```
 */
export class WorkersGoneError extends LocalStackError {
  override name = 'WorkersGoneError';
  constructor(label: string) {
    super(`every ${label} worker exited`);
  }
}

interface Worker {
  child: ChildProcess;
  /** Items sent and not answered, in the order sent: the first is the one running. */
  pending: Set<number>;
  /** Its channel closed before its exit: nothing more is sent to it. */
  lost?: boolean;
  /** It was sent `end`: its channel closing is the normal end. */
  ending?: boolean;
  /** Armed while it runs an item, under `itemTimeoutMs`: fires when it has been on that item too long. */
  watchdog?: { seq: number; timer: NodeJS.Timeout };
  /** The item it was on too long: it was killed for it (fault round 68). */
  stuck?: number;
  stuckMs?: number;
  /** A new worker took its place when it was killed. */
  replaced?: boolean;
}

/**
 * Runs every key through `workers` child processes and reports the results in
 * key order, so the output is the same as with one worker. Memory stays
 * bounded: at most `window × workers` (default 4 × workers) items are fetched, in flight or waiting to be
 * reported, and at most 4 per worker are in flight. Shared by `wmflow backtest -j N` and `wmflow replay -j N`.
 *
 * @example
 * ```ts
 * await runOrderedPool({ label: 'backtest', script: new URL('./worker.js', import.meta.url), workers: 4,
 *   init, keys: source.list(), fetch: (k) => source.fetch(k), failed: failedLine, onResult: write });
 * ```
 */
export async function runOrderedPool<Init, Key, Item, Out>(
  options: OrderedPoolOptions<Init, Key, Item, Out>,
): Promise<void> {
  const startedAt = performance.now();
  const started = await Promise.allSettled(
    Array.from({ length: Math.max(1, options.workers) }, () =>
      startWorker(options, options.startMs ?? DEFAULT_START_MS, true),
    ),
  );
  const refused = started.find((s) => s.status === 'rejected');
  const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  if (refused) {
    // The workers that did start are ended too: connected, they would keep the parent running forever.
    await Promise.all(workers.map(endNow));
    throw refused.reason;
  }
  options.onReady?.();
  const replacementStartMs =
    options.replacementStartMs ?? Math.max(30_000, Math.ceil(10 * (performance.now() - startedAt)));
  const window = Math.max(DEPTH, options.window ?? DEPTH);
  const items = new Map<number, Item>();
  const done = new Map<number, Out>();
  const keys = new Map<number, Key>();
  let next = 0;
  let flushed = 0;
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  // 'end-run': the first key (in key order) whose worker exited while holding it; nothing from it on is reported.
  let ended: { seq: number; code: number | null } | undefined;
  const endRun = options.onWorkerExit === 'end-run';
  // 'end-run': the code of a worker its handler ended after its last answer, as the pool was ending (an error thrown
  // from a timer, `process.exit(3)`): one process would exit with it, so the run does too (fault round 93).
  let endedLate: number | undefined;
  const settle = (seq: number, out: Out) => {
    // A result that comes after its key was settled otherwise (its worker's exit) is not reported twice.
    if (seq < flushed || done.has(seq) || (ended && seq >= ended.seq)) return;
    done.set(seq, out);
    wake?.();
  };
  const failedAt = (seq: number, error: PlainError) => options.failed(keys.get(seq) as Key, error);
  const dispatch = (seq: number, worker: Worker) => {
    worker.pending.add(seq);
    // A channel that closes meanwhile is handled by the worker's exit: the callback keeps the error from
    // being thrown in the parent (an 'error' event on the child, with no listener).
    worker.child.send(
      { type: 'item', seq, item: items.get(seq) as Item } satisfies ToWorker<Init, Item>,
      noop,
    );
    arm(worker);
  };
  let closing = false;
  // The item a worker runs is the first it was sent and has not answered: its clock starts when it becomes that.
  const arm = (worker: Worker) => {
    const limit = options.itemTimeoutMs;
    if (limit === undefined || worker.stuck !== undefined) return;
    const [running] = worker.pending;
    if (worker.watchdog && worker.watchdog.seq === running) return;
    if (worker.watchdog) clearTimeout(worker.watchdog.timer);
    worker.watchdog = undefined;
    if (running === undefined) return;
    const timer = setTimeout(() => void stuck(worker, running, limit), limit);
    timer.unref();
    worker.watchdog = { seq: running, timer };
  };
  // A worker on one item past `itemTimeoutMs`: a replacement is started first (so the items queued behind it have
  // somewhere to go), then it is killed; its exit settles the item with the timeout.
  const stuck = async (worker: Worker, seq: number, limit: number) => {
    worker.stuck = seq;
    worker.lost = true;
    worker.watchdog = undefined;
    let fresh: Worker | undefined;
    if (!closing) {
      try {
        // Bounded too: a replacement that never answers `init` (its handler module hanging the second time it
        // loads) must not keep the stuck worker alive, and the run with it, for ever (fault round 69).
        fresh = await startWorker(options, replacementStartMs);
      } catch {
        // No replacement: the items queued behind it go to the other workers, or fail with it.
      }
    }
    if (
      worker.pending.values().next().value !== seq &&
      !worker.child.killed &&
      worker.child.exitCode === null
    ) {
      // It answered while its replacement started: not stuck after all; it goes on, and the replacement is ended.
      worker.stuck = undefined;
      worker.lost = false;
      arm(worker);
      if (fresh) await endNow(fresh);
      wake?.();
      return;
    }
    if (fresh && closing) await endNow(fresh);
    else if (fresh) {
      attach(fresh);
      workers.push(fresh);
      worker.replaced = true;
    }
    worker.stuckMs = limit;
    worker.child.kill('SIGKILL');
    wake?.();
  };
  const attach = (worker: Worker) => {
    worker.child.on('message', (m: FromWorker<Out>) => {
      if (m.type === 'held') options.onHeld?.();
      if (m.type !== 'result' && m.type !== 'failed') return;
      worker.pending.delete(m.seq);
      arm(worker);
      settle(m.seq, m.type === 'result' ? m.out : failedAt(m.seq, m.error));
    });
    // A channel closed before `end` (the worker dying, or cut off): no more items go to it, and it is ended,
    // so its exit (below) comes and settles what it held.
    worker.child.once('disconnect', () => {
      if (worker.ending) return;
      worker.lost = true;
      worker.child.kill('SIGKILL');
    });
    worker.child.once('exit', (code) => {
      if (worker.watchdog) clearTimeout(worker.watchdog.timer);
      worker.watchdog = undefined;
      const at = workers.indexOf(worker);
      if (at >= 0) workers.splice(at, 1);
      const [running, ...queued] = worker.pending;
      worker.pending.clear();
      // Killed by the watchdog: its exit is the pool's doing, never the handler's (fault round 69).
      const killedByPool = worker.stuck !== undefined;
      const killed = killedByPool && worker.stuck === running;
      if (endRun && worker.ending && !killedByPool && code !== 0 && code !== null) endedLate ??= code;
      if (endRun && !worker.ending && !killedByPool) {
        // As one process ends at the item it was running: the keys before it still finish in the others.
        const seq = running ?? Math.min(next, ...workers.flatMap((w) => [...w.pending]));
        if (!ended || seq < ended.seq) ended = { seq, code };
        for (let s = ended.seq; s < next; s++) done.delete(s);
        wake?.();
        return;
      }
      if (workers.length === 0) failure ??= new WorkersGoneError(options.label);
      wake?.();
      // Only the item it was running has the error; those queued behind it go to another worker.
      const error = killed
        ? {
            name: 'HandlerTimeout',
            message: `the handler did not answer within ${options.handlerTimeoutMs ?? worker.stuckMs} ms and did not give control back in ${worker.stuckMs} ms (a synchronous loop?): its ${options.label} worker was killed, as Lambda ends an invocation at its timeout${worker.replaced ? ', and replaced' : ' (no replacement could start)'}`,
          }
        : { name: 'WorkerExited', message: `the ${options.label} worker exited (code ${code})` };
      // The stuck item's answer can be read after the pool decided to kill its worker (it was in the channel,
      // unread, when the replacement's `ready` was read first): the item the worker had gone on to is the pool's
      // kill, not the handler's failure, and is run again elsewhere like the queued ones (fault round 69).
      const again = killedByPool && !killed && running !== undefined ? [running, ...queued] : queued;
      if (running !== undefined && (killed || !killedByPool)) settle(running, failedAt(running, error));
      const none = killedByPool
        ? {
            name: 'WorkerExited',
            message: `the ${options.label} worker was killed for a stuck item before this one, and no ${options.label} worker was left to run it`,
          }
        : error;
      for (const seq of again) {
        const other = idlest(workers, Number.POSITIVE_INFINITY);
        if (other) dispatch(seq, other);
        else settle(seq, failedAt(seq, none));
      }
    });
  };
  for (const worker of workers) attach(worker);
  const flush = async () => {
    for (let out = done.get(flushed); out !== undefined; out = done.get(flushed)) {
      done.delete(flushed);
      const item = items.get(flushed);
      const key = keys.get(flushed) as Key;
      items.delete(flushed);
      keys.delete(flushed);
      if (item !== undefined) await options.release?.(item);
      flushed++;
      await options.onResult(out, key);
    }
  };
  const waitFor = async (ready: () => boolean) => {
    await flush();
    while (!ready() && !failure && !ended) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
      await flush();
    }
    if (failure) throw failure;
  };
  // A source whose listing fails midway (a later page refused, a reset): the keys it gave are finished and reported
  // before the run fails with its error, not thrown away with the results their workers made (fault round 67).
  let keysFailed: { error: unknown } | undefined;
  let completed = false;
  async function* listed(): AsyncGenerator<Key> {
    try {
      yield* options.keys;
    } catch (error) {
      keysFailed = { error };
    }
  }
  try {
    for await (const key of listed()) {
      if (options.signal?.aborted || ended) break;
      await waitFor(() => next - flushed < window * workers.length && idlest(workers) !== undefined);
      // Aborted while it waited for room (a stuck worker's watchdog, a slow item): the key it holds is not started
      // after the stop (fault round 69); it has no result, as the keys after it.
      if (ended || options.signal?.aborted) break;
      const seq = next++;
      keys.set(seq, key);
      let item: Item;
      try {
        item = await options.fetch(key);
      } catch (error) {
        settle(seq, options.failed(key, describe(error)));
        continue;
      }
      items.set(seq, item);
      // A worker may have exited while the item was fetched: another takes it, or it fails with the run.
      const worker = idlest(workers) ?? idlest(workers, Number.POSITIVE_INFINITY);
      if (worker) dispatch(seq, worker);
      else
        settle(seq, failedAt(seq, { name: 'WorkerExited', message: `every ${options.label} worker exited` }));
    }
    await waitFor(() => flushed === next);
    if (ended) {
      // Wait for the keys before the one that ended the run: they finish, or their worker exits too.
      while (flushed < ended.seq && !failure) {
        if (workers.length === 0) failure = new WorkersGoneError(options.label);
        else
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        wake = undefined;
        await flush();
      }
      if (failure) throw failure;
      throw new WorkerExitError(keys.get(ended.seq) ?? keys.get(flushed), ended.code, flushed);
    }
    if (keysFailed) throw keysFailed.error;
    completed = true;
  } finally {
    closing = true;
    const ending = [...workers];
    for (const worker of ending) {
      worker.ending = true;
      if (worker.child.connected) worker.child.send({ type: 'end' } satisfies ToWorker<Init, Item>, noop);
      else worker.child.kill('SIGKILL');
    }
    await Promise.all(
      ending.map((w) =>
        w.child.exitCode !== null || w.child.signalCode !== null
          ? undefined
          : new Promise((resolve) => w.child.once('exit', resolve)),
      ),
    );
    for (const item of items.values()) await options.release?.(item);
  }
  if (completed && endedLate !== undefined) throw new WorkerExitError(undefined, endedLate, flushed);
}

async function startWorker<Init, Key, Item, Out>(
  options: OrderedPoolOptions<Init, Key, Item, Out>,
  /** Killed, and refused, if it has not answered `init` by then (a replacement: fault round 69; a first one: 71). */
  limitMs?: number,
  first = false,
): Promise<Worker> {
  const out = options.logs ? 'inherit' : 'ignore';
  const child = fork(options.script, [], {
    execArgv: workerExecArgv(options.workers),
    stdio: ['ignore', options.logs ? process.stderr : 'ignore', out, 'ipc'],
    serialization: 'advanced',
  });
  let late: NodeJS.Timeout | undefined;
  let tooLate = false;
  const ready = await new Promise<FromWorker<Out> | { type: 'exit'; code: number | null }>((resolve) => {
    child.once('message', resolve);
    child.once('exit', (code) => resolve({ type: 'exit', code }));
    child.send({ type: 'init', init: options.init } satisfies ToWorker<Init, Item>, noop);
    if (limitMs !== undefined)
      late = setTimeout(() => {
        tooLate = true;
        child.kill('SIGKILL');
      }, limitMs);
  });
  clearTimeout(late);
  // Killed for being late, even if its `ready` was read after the kill: it is gone once its exit is seen, so no
  // worker the pool started outlives the run.
  if (tooLate) {
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    if (first)
      throw new LocalStackError(
        `${options.label} worker: ${options.starting ?? 'its module'} did not finish loading within ${limitMs} ms (a synchronous loop or a wait at import?); the worker was killed and nothing was run`,
      );
    throw new LocalStackError(`${options.label} worker: did not start within ${limitMs} ms`);
  }
  // 'end-run': a worker that ends its process while starting (a handler module calling process.exit at import)
  // ends the run as one process would have ended there, before the first key, with its exit code (fault round 55).
  if (ready.type === 'exit' && options.onWorkerExit === 'end-run')
    throw new WorkerExitError(undefined, ready.code, 0);
  if (ready.type === 'exit')
    throw new LocalStackError(`${options.label} worker: exited with code ${ready.code}`);
  if (ready.type !== 'ready') {
    child.kill();
    throw new LocalStackError(
      `${options.label} worker: ${ready.type === 'fatal' ? ready.message : ready.type}`,
    );
  }
  return { child, pending: new Set() };
}

function idlest(workers: Worker[], depth = DEPTH): Worker | undefined {
  let best: Worker | undefined;
  for (const w of workers)
    if (!w.lost && w.pending.size < depth && (!best || w.pending.size < best.pending.size)) best = w;
  return best;
}

function noop(): void {}

function endNow(worker: Worker): Promise<void> {
  const { child } = worker;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

function describe(error: unknown): PlainError {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };
}
