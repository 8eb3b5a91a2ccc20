import { availableParallelism } from 'node:os';

/**
 * V8 flags that make its optimizing compiler wait for more calls before it compiles a function, per V8
 * major version. Every worker compiles the same hot code again on V8's background threads (a third of a
 * one-worker replay's CPU on Node 20); when the workers already fill every core, that compilation takes
 * CPU from them. Measured on 2 cores, `replay -j 2` of 1,000 messages through the guard, medians of 3:
 * Node 20 (V8 11) 165–171 → 211 msg/s. Node 22 (V8 12, whose Maglev tier compiles cheaply) showed no
 * difference beyond run-to-run noise with `--invocation-count-for-turbofan` at 12,000 or 30,000 (198–219
 * msg/s either way), so it gets none. With a core to spare, eager compilation is free and faster.
 */
const LAZIER_TIERING: readonly { fromMajor: number; toMajor: number; flags: readonly string[] }[] = [
  { fromMajor: 10, toMajor: 11, flags: ['--interrupt-budget=1000000'] },
];

/** Flags a user set that already decide when V8 optimizes: theirs are kept, none are added. */
const TIERING_FLAG = /^--(interrupt-budget|invocation-count-for-|no-opt$|max-opt|jitless)/;

/** What {@link workerExecArgv} decides from: this process, unless a test says otherwise. */
export interface WorkerHost {
  execArgv: readonly string[];
  /** `process.versions.v8`. */
  v8: string;
  cores: number;
}

/**
 * The Node options for `workers` child processes: this process's own, plus lazier optimizing-compiler
 * tiering when the workers fill every core (and the V8 version is one whose flag was measured).
 *
 * @example
 * ```ts
 * fork(script, [], { execArgv: workerExecArgv(2) });
 * ```
 */
export function workerExecArgv(
  workers: number,
  host: WorkerHost = { execArgv: process.execArgv, v8: process.versions.v8, cores: availableParallelism() },
): string[] {
  const own = [...host.execArgv];
  if (workers < 2 || workers < host.cores || own.some((flag) => TIERING_FLAG.test(flag))) return own;
  const major = Number.parseInt(host.v8, 10);
  const known = LAZIER_TIERING.find((t) => major >= t.fromMajor && major <= t.toMajor);
  return known ? [...own, ...known.flags] : own;
}
