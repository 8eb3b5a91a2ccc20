import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { RUNNING_FROM_SOURCE } from '../running-from-source.js';
import { parseReplayArgs } from './replay-session.js';

/** Set on `globalThis` in the replay child ({@link replayInChild}): it replays itself, starting no other. */
const REPLAY_CHILD = Symbol.for('wmflow.replay.child');

/**
 * Whether this process is the replay child: its stdout writes to the run's output (descriptor 3), and what a handler
 * sees as `process.stdout.fd` is 1, which is not.
 *
 * @example
 * ```ts
 * if (isReplayChild()) console.error('replaying in the child');
 * ```
 */
export function isReplayChild(): boolean {
  return (globalThis as Record<symbol, unknown>)[REPLAY_CHILD] === true;
}

/**
 * Whether this command line replays in one process (`-j 1`, the default) and, if so, whether the handler's output
 * goes to stderr (`--logs`); undefined for `-j N`, in the replay child itself, on Windows, under `--inspect`, and for a
 * command line that does not parse (the replay reports it as before).
 *
 * @example
 * ```ts
 * const one = oneProcessReplay(['samples/eml', '--function', 'guard']); // { logs: false }
 * ```
 */
export function oneProcessReplay(args: string[]): { logs: boolean } | undefined {
  // Windows: a descriptor 3 handed to a child is not tried there (untested); replay stays in this process, as before.
  // Under a debugger (--inspect) too: the child would ask for the same port, and the handler would run undebugged.
  if (isReplayChild() || process.platform === 'win32' || debugging()) return undefined;
  try {
    const { values } = parseReplayArgs(args);
    return Number(values.jobs) === 1 ? { logs: values.logs } : undefined;
  } catch {
    return undefined;
  }
}

function debugging(): boolean {
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((flag) =>
    flag.startsWith('--inspect'),
  );
}

/**
 * `wmflow replay -j 1`: replays in one child process whose descriptor 1 is not this command's stdout (fault round 95).
 * A handler replayed in the `wmflow` process itself that writes to descriptor 1 directly (pino's default
 * destination, `fs.writeSync(process.stdout.fd, …)`) put its bytes among the JSON lines; Node cannot point
 * descriptor 1 elsewhere in-process. The child writes the run's output to its descriptor 3, this process's stdout
 * (not copied: the same descriptor), and has stderr (`--logs`) or nothing as descriptor 1, as a `-j N` worker. One
 * process still replays every message, in order, with the same output and exit code; this one only waits for it.
 * Ctrl-C reaches both (one process group): the child stops its run as before, this one waits. SIGTERM and SIGHUP sent to
 * this process are passed on, and it then ends the same way. Resolves with the child's exit code; undefined when
 * it could not be started (the run then goes on in this process, as before).
 *
 * @example
 * ```ts
 * const one = oneProcessReplay(args);
 * if (one) return (await replayInChild(args, one.logs)) ?? replayHere(args);
 * ```
 */
export async function replayInChild(args: string[], logs: boolean): Promise<number | undefined> {
  const entry = new URL(`./replay-child.${RUNNING_FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url);
  // Descriptor 3 of the child is this process's stdout (replay-child.ts writes the output there).
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(entry), 'replay', ...args], {
    stdio: ['inherit', logs ? 2 : 'ignore', 'inherit', 1, 'ipc'],
  });
  const passed = new Set<NodeJS.Signals>();
  const pass = (signal: NodeJS.Signals) => () => {
    passed.add(signal);
    child.kill(signal);
  };
  const handlers: [NodeJS.Signals, () => void][] = [
    ['SIGINT', () => {}],
    ['SIGTERM', pass('SIGTERM')],
    ['SIGHUP', pass('SIGHUP')],
  ];
  for (const [signal, handler] of handlers) process.on(signal, handler);
  try {
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    if (signal === null) return code ?? 1;
    const code128 = 128 + (constants.signals[signal] ?? 0);
    if (passed.has(signal)) {
      // Ended by what this process was sent: this one ends the same way.
      for (const [s, handler] of handlers) process.off(s, handler);
      process.kill(process.pid, signal);
      return code128;
    }
    process.stderr.write(`wmflow replay: the replay process was ended by ${signal}: its output is cut\n`);
    return code128;
  } catch {
    // Not started (no process left, a limit reached): the run goes on in this process.
    return undefined;
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
}
