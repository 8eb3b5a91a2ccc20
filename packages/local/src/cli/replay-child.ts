/**
 * The process `wmflow replay -j 1` replays in (fault round 95): started by {@link replayInChild} with the run's
 * stdout as descriptor 3 and, as descriptor 1, stderr (`--logs`) or nothing. `process.stdout` is made to write to
 * descriptor 3 before the CLI loads, so the table and the JSON lines reach the user's stdout as before, while a
 * handler that writes to descriptor 1 itself (pino's default destination, `fs.writeSync(1, …)`) writes where a
 * `-j N` worker's would, never among the JSON lines. Everything else is the CLI as it runs in one process.
 */
import { fstatSync } from 'node:fs';
import { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { isatty, WriteStream } from 'node:tty';
import { writeWhole } from './whole-writes.js';

// Nothing of wmflow that runs at load is loaded before stdout is replaced (whole-writes.ts only declares):
// replay-child-run.ts's OUTPUT_FD and REPLAY_CHILD, spelt out.
const output = openOutput(3);
Object.defineProperty(process, 'stdout', { configurable: true, enumerable: true, get: () => output });
(globalThis as Record<symbol, unknown>)[Symbol.for('wmflow.replay.child')] = true;
// The parent gone (killed: SIGKILL from a test or a CI timeout) must take this run with it, as it did when both were
// one process: nothing more is written or copied. Its channel closing says so; it does not hold this process.
process.channel?.unref();
process.once('disconnect', () => process.kill(process.pid, 'SIGKILL'));
await import('./main.js');

/** A writable stream on `fd` of the kind Node makes for a standard stream on it (a terminal, a pipe, a file). */
function openOutput(fd: number): Writable & { fd: number; isTTY?: boolean } {
  let stream: Writable & { fd?: number };
  if (isatty(fd)) stream = new WriteStream(fd);
  else if (isStream(fd)) stream = new Socket({ fd, readable: false, writable: true });
  // A file (or /dev/null): written synchronously, each chunk whole, as Node writes stdout to a file.
  else
    stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        try {
          writeWhole(fd, chunk);
        } catch (error) {
          done(error as Error);
          return;
        }
        done();
      },
    });
  stream.fd = fd;
  return stream as Writable & { fd: number };
}

function isStream(fd: number): boolean {
  try {
    const stat = fstatSync(fd);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}
