import { type ChildProcess, fork } from 'node:child_process';
import { LocalStackError } from '../errors.js';
import { RUNNING_FROM_SOURCE } from '../replay/handler.js';
import type { BacktestInit } from './session.js';
import type { JournalSource } from './source.js';
import type { BacktestItem, BacktestLine } from './types.js';
import type { FromWorker, ToWorker } from './worker.js';

/** Items in flight per worker: one running, one queued, so a worker never waits for the parent. */
const DEPTH = 2;

/**
 * Settings of {@link runPool}.
 *
 * @example
 * ```ts
 * await runPool({ workers: 2, init, source, keys: source.list(), onLine: (l) => write(l) });
 * ```
 */
export interface PoolOptions {
  workers: number;
  init: BacktestInit;
  source: JournalSource;
  keys: AsyncIterable<string>;
  /** Called in listing order, once per message, as soon as it and all before it are done. */
  onLine(line: BacktestLine): void | Promise<void>;
  /** Worker output (handler logs) goes to stderr when true, nowhere otherwise. */
  logs?: boolean;
  signal?: AbortSignal;
}

interface Worker {
  child: ChildProcess;
  pending: Set<number>;
}

/**
 * Backtests every listed message in `workers` child processes, each with its
 * own emulators. Memory stays bounded: at most `2 × workers` messages are
 * fetched, in flight or waiting to be written in order. A message that cannot
 * be fetched or replayed still gets its line, with the error.
 *
 * @example
 * ```ts
 * await runPool({ workers: os.availableParallelism(), init, source, keys: source.list(), onLine });
 * ```
 */
export async function runPool(options: PoolOptions): Promise<void> {
  const workers = await Promise.all(
    Array.from({ length: Math.max(1, options.workers) }, () => startWorker(options)),
  );
  const items = new Map<number, BacktestItem>();
  const done = new Map<number, BacktestLine>();
  const keys = new Map<number, string>();
  let next = 0;
  let flushed = 0;
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  const settle = (seq: number, line: BacktestLine) => {
    done.set(seq, line);
    wake?.();
  };
  for (const worker of workers) {
    worker.child.on('message', (m: FromWorker) => {
      if (m.type !== 'result' && m.type !== 'failed') return;
      worker.pending.delete(m.seq);
      settle(m.seq, m.type === 'result' ? m.line : failedLine(keys.get(m.seq) ?? '', m.error));
    });
    worker.child.once('exit', (code) => {
      const error = { name: 'WorkerExited', message: `the backtest worker exited (code ${code})` };
      for (const seq of worker.pending) settle(seq, failedLine(keys.get(seq) ?? '', error));
      worker.pending.clear();
      workers.splice(workers.indexOf(worker), 1);
      if (workers.length === 0) failure ??= new LocalStackError('every backtest worker exited');
    });
  }
  const flush = async () => {
    for (let line = done.get(flushed); line; line = done.get(flushed)) {
      done.delete(flushed);
      const item = items.get(flushed);
      items.delete(flushed);
      keys.delete(flushed);
      if (item) await options.source.release(item);
      flushed++;
      await options.onLine(line);
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
      await waitFor(() => next - flushed < DEPTH * workers.length && idlest(workers) !== undefined);
      const seq = next++;
      keys.set(seq, key);
      let item: BacktestItem;
      try {
        item = await options.source.fetch(key);
      } catch (error) {
        settle(seq, failedLine(key, describe(error)));
        continue;
      }
      items.set(seq, item);
      const worker = idlest(workers) as Worker;
      worker.pending.add(seq);
      worker.child.send({ type: 'item', seq, item } satisfies ToWorker);
    }
    await waitFor(() => flushed === next);
  } finally {
    for (const worker of [...workers]) worker.child.send({ type: 'end' } satisfies ToWorker);
    await Promise.all(workers.map((w) => new Promise((resolve) => w.child.once('exit', resolve))));
    for (const item of items.values()) await options.source.release(item);
  }
}

async function startWorker(options: PoolOptions): Promise<Worker> {
  const script = new URL(`./worker.${RUNNING_FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url);
  const out = options.logs ? 'inherit' : 'ignore';
  const child = fork(script, [], {
    execArgv: process.execArgv,
    stdio: ['ignore', options.logs ? process.stderr : 'ignore', out, 'ipc'],
    serialization: 'advanced',
  });
  const ready = await new Promise<FromWorker>((resolve) => {
    child.once('message', resolve);
    child.once('exit', (code) => resolve({ type: 'fatal', message: `exited with code ${code}` }));
    child.send({ type: 'init', init: options.init } satisfies ToWorker);
  });
  if (ready.type !== 'ready') {
    child.kill();
    throw new LocalStackError(`backtest worker: ${ready.type === 'fatal' ? ready.message : ready.type}`);
  }
  return { child, pending: new Set() };
}

function idlest(workers: Worker[]): Worker | undefined {
  let best: Worker | undefined;
  for (const w of workers)
    if (w.pending.size < DEPTH && (!best || w.pending.size < best.pending.size)) best = w;
  return best;
}

function describe(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };
}

/**
 * The line of a message that could not be backtested (not fetched, or its worker failed).
 *
 * @example
 * ```ts
 * failedLine('journal/x', { name: 'NoSuchKey', message: 'gone' }).candidate.error?.name; // 'NoSuchKey'
 * ```
 */
export function failedLine(key: string, error: { name: string; message: string }): BacktestLine {
  return {
    type: 'message',
    key,
    messageId: '',
    direction: 'INBOUND',
    mailFrom: '',
    recipients: [],
    envelope: 'derived',
    candidate: {
      label: '',
      verdicts: {},
      rulesFired: [],
      edit: { status: 'none', changes: [] },
      failures: [],
      error,
    },
    durationMs: 0,
  };
}
