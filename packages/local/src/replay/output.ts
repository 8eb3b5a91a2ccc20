import { outputCut } from '../cli/whole-writes.js';
import { keepOpen } from './keep-open.js';

/**
 * Keeps what handlers print off stdout, so the table and the JSON lines stay
 * clean: while installed, writes to `process.stdout` and `process.stderr` go
 * to stderr (`logs: true`) or nowhere; {@link CapturedOutput.out} and
 * {@link CapturedOutput.err} reach the real streams.
 *
 * @example
 * ```ts
 * const io = captureOutput({ logs: false });
 * io.out('table row\n');
 * io.restore();
 * ```
 */
export interface CapturedOutput {
  out(text: string): void;
  err(text: string): void;
  /**
   * Gives the streams back. With `stdoutToo: false`, `process.stdout` stays where the handler's prints go: the run's
   * output is written, and a handler's timer that fires later (while the emulators stop, or in the second before the
   * process ends) must not print after it (fault round 97).
   */
  restore(stdoutToo?: boolean): void;
}

export function captureOutput(options: { logs: boolean; onClosed?: () => void }): CapturedOutput {
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const realOut = stdoutWrite.bind(process.stdout);
  const realErr = stderrWrite.bind(process.stderr);
  const sink = ((chunk: unknown, ...rest: unknown[]) => {
    if (options.logs) return (realErr as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  let closed = false;
  const onError = (error: NodeJS.ErrnoException) => {
    // A file that takes no more (fault round 58): the output is cut; said in one line, exit 1.
    if (error.code !== 'EPIPE') outputCut('replay', error);
    closed = true;
    options.onClosed?.();
  };
  process.stdout.on('error', onError);
  blockingWrites(process.stdout);
  process.stdout.write = sink;
  process.stderr.write = sink;
  // A handler ending or destroying stdout (a logger closing its stream) would cut the run's own output; in Lambda
  // those streams are the function's log, which it cannot close: they stay open (fault round 93).
  const kept = keepOpen(process.stdout, process.stderr);
  return {
    out: (text) => {
      if (!closed) realOut(text);
    },
    err: (text) => void realErr(text),
    restore: (stdoutToo = true) => {
      process.stdout.off('error', onError);
      if (stdoutToo) process.stdout.write = stdoutWrite;
      process.stderr.write = stderrWrite;
      kept();
    },
  };
}

/**
 * Makes writes to `stream`, when it is a pipe or a socket, wait until the reader took them (fault round 95). Node
 * writes to a pipe without waiting and queues what the pipe cannot take yet; a process that ends by `process.exit`
 * drops that queue. Replay ends that way a second after its work when something still runs (fault round 57: the
 * queued output counted as such), and when a handler calls `process.exit`: with a reader slower than the run
 * (`wmflow replay --json | slow-tool`), lines already counted as reported were lost, or cut. Waiting here costs
 * nothing while the reader keeps up, and holds the run (not memory) while it does not. Terminals already wait;
 * files are written synchronously.
 */
function blockingWrites(stream: NodeJS.WriteStream): void {
  const handle = (stream as unknown as { _handle?: { setBlocking?: (blocking: boolean) => number } })._handle;
  handle?.setBlocking?.(true);
}
