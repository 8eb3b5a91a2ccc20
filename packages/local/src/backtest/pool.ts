import type { HandlerSpec } from '../replay/handler.js';
import { RUNNING_FROM_SOURCE } from '../running-from-source.js';
import { itemWatchdogMs, runOrderedPool } from '../workers/ordered-pool.js';
import type { BacktestInit } from './session.js';
import type { JournalSource } from './source.js';
import type { BacktestItem, BacktestLine } from './types.js';

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
  /** A worker, its messages done, ended without waiting for a timer or socket its handler left open. */
  onHeld?(): void;
  /** `--load-timeout`: the longest a worker may take to load the policies; past it the run fails (fault round 71). */
  loadTimeoutMs?: number;
}

// The policies a worker loads as it starts, as the command line named them.
function policies(init: BacktestInit): string {
  const named = (spec: HandlerSpec) =>
    spec.handler !== undefined ? `module ${spec.handler}` : `--function ${spec.function}`;
  return init.baseline && init.baseline !== 'recorded'
    ? `the handlers (${named(init.candidate)}, ${named(init.baseline)})`
    : `the handler ${named(init.candidate)}`;
}

/**
 * Backtests every listed message in `workers` child processes, each with its
 * own emulators (the shared ordered pool of `../workers`). Memory stays bounded:
 * at most `2 × workers` messages are fetched, in flight or waiting to be
 * written in order. A message that cannot be fetched or replayed still gets its
 * line, with the error.
 *
 * @example
 * ```ts
 * await runPool({ workers: os.availableParallelism(), init, source, keys: source.list(), onLine });
 * ```
 */
export async function runPool(options: PoolOptions): Promise<void> {
  await runOrderedPool<BacktestInit, string, BacktestItem, BacktestLine>({
    label: 'backtest',
    script: new URL(`./worker.${RUNNING_FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url),
    workers: options.workers,
    init: options.init,
    keys: options.keys,
    fetch: (key) => options.source.fetch(key),
    release: (item) => options.source.release(item),
    failed: failedLine,
    onResult: (line) => options.onLine(line),
    // A handler stuck in a synchronous loop: its worker is killed at the function's timeout (per invocation: the
    // candidate's, and the baseline's when it is a policy) and replaced (fault round 68).
    itemTimeoutMs: itemWatchdogMs(
      options.init.timeoutMs,
      options.init.baseline && options.init.baseline !== 'recorded' ? 2 : 1,
    ),
    handlerTimeoutMs: options.init.timeoutMs,
    // A policy module stuck at import (a synchronous loop) fails the run, naming it, rather than holding it.
    starting: policies(options.init),
    ...(options.loadTimeoutMs !== undefined ? { startMs: options.loadTimeoutMs } : {}),
    ...(options.logs !== undefined ? { logs: options.logs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onHeld ? { onHeld: options.onHeld } : {}),
  });
}

/**
 * Whether a line holds what a policy did, not {@link failedLine}'s account of a message that could not be
 * backtested (its candidate has no label).
 *
 * @example
 * ```ts
 * wasBacktested(failedLine('journal/x', { name: 'NoSuchKey', message: 'gone' })); // false
 * ```
 */
export function wasBacktested(line: BacktestLine): boolean {
  return line.candidate.label !== '';
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
