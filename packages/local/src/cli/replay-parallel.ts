import { LocalStackError } from '../errors.js';
import { pinnedBy } from '../replay/problems.js';
import { displayPath, failedResult } from '../replay/result-basics.js';
import { emptySummary, type MessageOutcome, type ReplaySummary, tally } from '../replay/summary.js';
import type { ReplayResult } from '../replay/types.js';
import { RUNNING_FROM_SOURCE } from '../running-from-source.js';
import { itemWatchdogMs, runOrderedPool } from '../workers/ordered-pool.js';
import type { ReplayValues, ResolvedReplay } from './replay-session.js';

/**
 * Messages handed out ahead of the ordered output, per worker: a result is a few hundred bytes, and a worker
 * that had to wait for a slower one's result to be printed before getting more work idled 2-5 % of the time.
 */
const WINDOW = 16;

/**
 * Settings of {@link replayInWorkers}.
 *
 * @example
 * ```ts
 * await replayInWorkers({ jobs: 2, args, files, logs: false, onResult: (r) => print(r) });
 * ```
 */
export interface ParallelReplayOptions {
  jobs: number;
  /** The function's timeout (`--timeout`): a worker on one message much longer is killed and replaced (fault round 68). */
  timeoutMs?: number;
  /**
   * `--load-timeout`: the longest a worker may take to load the handler; past it the run fails (fault round 71).
   * Default the pool's `DEFAULT_START_MS`.
   */
  loadTimeoutMs?: number;
  /** The handler as the command line named it (`--handler x.ts`, `--function guard`), for that error. */
  handlerName?: string;
  /** The command line: each worker parses it as the parent did. */
  args: string[];
  files: AsyncIterable<string> | Iterable<string>;
  logs: boolean;
  signal?: AbortSignal;
  /** Called once per message, in file order, as with one process. */
  onResult(result: ReplayResult): void | Promise<void>;
  /** Called once every worker has loaded the handler, where one process would have loaded it. */
  onReady?(): void;
  /** Called when a worker, its messages done, ended without waiting for a timer or socket its handler left open. */
  onHeld?(): void;
}

/**
 * `wmflow replay -j N`: replays the files in N worker processes (each with its own local stack and handler)
 * through the ordered pool `wmflow backtest -j N` uses, and reports results and totals in file order, so the
 * output and the exit code are those of one process. A worker whose process ends mid-run (the handler called
 * `process.exit`, or threw from a timer) ends the run as one process would: the results before the message it
 * was replaying are reported, and the promise rejects with a `WorkerExitError` carrying the exit code.
 *
 * @example
 * ```ts
 * const summary = await replayInWorkers({ jobs: 4, args, files, logs: false, onResult: print });
 * ```
 */
export async function replayInWorkers(options: ParallelReplayOptions): Promise<ReplaySummary> {
  const started = performance.now();
  const summary = emptySummary();
  await runOrderedPool<{ args: string[] }, string, string, MessageOutcome>({
    label: 'replay',
    script: new URL(`./replay-worker.${RUNNING_FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url),
    workers: options.jobs,
    init: { args: options.args },
    keys: options.files,
    fetch: async (file) => file,
    failed: (file, error) => ({
      result: failedResult(displayPath(file), error, performance.now()),
      errorExpected: false,
      pinned: pinnedBy(undefined, false),
    }),
    onResult: async (outcome) => {
      tally(summary, outcome);
      await options.onResult(outcome.result);
    },
    logs: options.logs,
    ...(options.onReady ? { onReady: options.onReady } : {}),
    ...(options.onHeld ? { onHeld: options.onHeld } : {}),
    window: WINDOW,
    // A handler stuck in a synchronous loop: its worker is killed past the function's timeout and replaced, and the
    // message fails with `HandlerTimeout` as a timeout does at -j 1, rather than the run waiting for ever.
    ...(options.timeoutMs !== undefined
      ? { itemTimeoutMs: itemWatchdogMs(options.timeoutMs), handlerTimeoutMs: options.timeoutMs }
      : {}),
    // A handler module stuck at import (a synchronous loop) fails the run, naming it, rather than holding it.
    ...(options.loadTimeoutMs !== undefined ? { startMs: options.loadTimeoutMs } : {}),
    ...(options.handlerName !== undefined ? { starting: `the handler ${options.handlerName}` } : {}),
    // A handler that ends its process ends the run there, as it does with one process.
    onWorkerExit: 'end-run',
    ...(options.signal ? { signal: options.signal } : {}),
  });
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}

/**
 * `-j N` as a worker count; refuses, with N > 1, what depends on one process seeing every message in
 * order: the virtual clock and rate counters, injected faults, and `--out` (rewrites named in run order).
 *
 * @example
 * ```ts
 * parseJobs(values, resolved); // 1 unless -j was given
 * ```
 */
export function parseJobs(values: ReplayValues, resolved: ResolvedReplay): number {
  const jobs = Number(values.jobs);
  if (!Number.isSafeInteger(jobs) || jobs < 1 || jobs > 256) throw new LocalStackError('-j/--jobs: 1..256');
  if (jobs === 1) return 1;
  const sequential = [
    ...(values.out !== undefined ? ['--out'] : []),
    ...(resolved.clock ? ['--rate/--dates'] : []),
    ...(resolved.faults ? ['--faults'] : []),
    ...(resolved.userEnv.RATE_TABLE ? ['rate rules (RATE_TABLE, RATE_LIMITS, STORM_GROUPS)'] : []),
  ];
  if (sequential.length > 0)
    throw new LocalStackError(
      `-j ${jobs}: ${sequential.join(', ')} ${sequential.length === 1 ? 'needs' : 'need'} every message in one process, in order; use -j 1`,
    );
  return jobs;
}
