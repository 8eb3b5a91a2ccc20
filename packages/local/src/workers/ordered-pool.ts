import { type ChildProcess, fork } from 'node:child_process';
import { LocalStackError } from '../errors.js';
import type { FromWorker, ToWorker } from './serve-worker.js';

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
  /** Worker output (handler logs) goes to stderr when true, nowhere otherwise. */
  logs?: boolean;
  /** Stops handing out keys; what is in flight still finishes and is reported. */
  signal?: AbortSignal;
  /**
   * Keys handed out but not yet reported, per worker (default 4, the items in flight per worker). More lets a
   * worker run ahead while another is on a slow item whose result holds up the ordered output; each
   * of them keeps its result (and its fetched item until reported) in memory.
   */
  window?: number;
}

interface Worker {
  child: ChildProcess;
  pending: Set<number>;
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
  const workers = await Promise.all(
    Array.from({ length: Math.max(1, options.workers) }, () => startWorker(options)),
  );
  const window = Math.max(DEPTH, options.window ?? DEPTH);
  const items = new Map<number, Item>();
  const done = new Map<number, Out>();
  const keys = new Map<number, Key>();
  let next = 0;
  let flushed = 0;
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  const settle = (seq: number, out: Out) => {
    done.set(seq, out);
    wake?.();
  };
  const failedAt = (seq: number, error: PlainError) => options.failed(keys.get(seq) as Key, error);
  for (const worker of workers) {
    worker.child.on('message', (m: FromWorker<Out>) => {
      if (m.type !== 'result' && m.type !== 'failed') return;
      worker.pending.delete(m.seq);
      settle(m.seq, m.type === 'result' ? m.out : failedAt(m.seq, m.error));
    });
    worker.child.once('exit', (code) => {
      const error = { name: 'WorkerExited', message: `the ${options.label} worker exited (code ${code})` };
      for (const seq of worker.pending) settle(seq, failedAt(seq, error));
      worker.pending.clear();
      workers.splice(workers.indexOf(worker), 1);
      if (workers.length === 0) failure ??= new LocalStackError(`every ${options.label} worker exited`);
    });
  }
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
    while (!ready() && !failure) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
      await flush();
    }
    if (failure) throw failure;
  };
  try {
    for await (const key of options.keys) {
      if (options.signal?.aborted) break;
      await waitFor(() => next - flushed < window * workers.length && idlest(workers) !== undefined);
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
      const worker = idlest(workers) as Worker;
      worker.pending.add(seq);
      worker.child.send({ type: 'item', seq, item } satisfies ToWorker<Init, Item>);
    }
    await waitFor(() => flushed === next);
  } finally {
    for (const worker of [...workers]) worker.child.send({ type: 'end' } satisfies ToWorker<Init, Item>);
    await Promise.all(workers.map((w) => new Promise((resolve) => w.child.once('exit', resolve))));
    for (const item of items.values()) await options.release?.(item);
  }
}

async function startWorker<Init, Key, Item, Out>(
  options: OrderedPoolOptions<Init, Key, Item, Out>,
): Promise<Worker> {
  const out = options.logs ? 'inherit' : 'ignore';
  const child = fork(options.script, [], {
    execArgv: process.execArgv,
    stdio: ['ignore', options.logs ? process.stderr : 'ignore', out, 'ipc'],
    serialization: 'advanced',
  });
  const ready = await new Promise<FromWorker<Out>>((resolve) => {
    child.once('message', resolve);
    child.once('exit', (code) => resolve({ type: 'fatal', message: `exited with code ${code}` }));
    child.send({ type: 'init', init: options.init } satisfies ToWorker<Init, Item>);
  });
  if (ready.type !== 'ready') {
    child.kill();
    throw new LocalStackError(
      `${options.label} worker: ${ready.type === 'fatal' ? ready.message : ready.type}`,
    );
  }
  return { child, pending: new Set() };
}

function idlest(workers: Worker[]): Worker | undefined {
  let best: Worker | undefined;
  for (const w of workers)
    if (w.pending.size < DEPTH && (!best || w.pending.size < best.pending.size)) best = w;
  return best;
}

function describe(error: unknown): PlainError {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };
}
