import { fstatSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';

/**
 * Makes a standard stream that is a file (`wmflow quarantine show … > message.eml`) write each chunk whole, or fail.
 * Node writes to such a stream with one `writeSync` per chunk and ignores how many bytes it took: a write cut short
 * (a disk that fills, a file-size limit) was taken for the whole chunk, so a message or the last JSON lines were cut
 * and the command exited 0 (fault round 58). Here the rest of the chunk is written until it is all on disk, and the
 * write that cannot (ENOSPC, EFBIG) fails the stream, so the command ends with an error. Pipes and terminals
 * (libuv streams, which write all or fail) are left as they are.
 *
 * @example
 * ```ts
 * writeWholeWhenFile(process.stdout);
 * ```
 */
export function writeWholeWhenFile(stream: Writable & { fd?: number }): void {
  const fd = stream.fd;
  if (typeof fd !== 'number') return;
  try {
    if (!fstatSync(fd).isFile()) return;
  } catch {
    return;
  }
  stream._write = (
    chunk: Buffer | string,
    encoding: BufferEncoding,
    done: (error?: Error | null) => void,
  ) => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
    try {
      writeWhole(fd, bytes);
    } catch (error) {
      done(error as Error);
      return;
    }
    done();
  };
}

/**
 * Writes all of `bytes` to `fd`, synchronously, again from where a short write stopped; throws when a write takes
 * nothing or fails (ENOSPC, EFBIG).
 *
 * @example
 * ```ts
 * writeWhole(1, Buffer.from('{"file":"a.eml"}\n'));
 * ```
 */
export function writeWhole(fd: number, bytes: Buffer): void {
  for (let at = 0; at < bytes.length; ) {
    const n = writeSync(fd, bytes, at, bytes.length - at);
    if (n <= 0) throw new Error(`wrote ${at} of ${bytes.length} bytes: the file takes no more`);
    at += n;
  }
}

/**
 * Ends the process, exit 1, with one line on stderr saying that `command`'s output could not be written (a full
 * disk, a file-size limit): what stdout holds is cut, whatever the command did, and a stack trace would say less.
 *
 * @example
 * ```ts
 * process.stdout.on('error', (error) => outputCut('replay', error));
 * ```
 */
export function outputCut(command: string, error: NodeJS.ErrnoException): never {
  // Straight to the descriptor: replay routes process.stderr.write elsewhere while a handler runs.
  writeSync(
    2,
    `wmflow${command ? ` ${command}` : ''}: stdout could not be written (${error.code ?? error.message}): its output is cut\n`,
  );
  process.exit(1);
}
