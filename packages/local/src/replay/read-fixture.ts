import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { LocalStackError } from '../errors.js';

/** A fixture that cannot be replayed as it stands: not a regular file, or changed while it was read. */
export class FixtureError extends LocalStackError {
  override name = 'FixtureError';
}

/**
 * Reads a fixture whole, synchronously (nothing else runs between two messages), as one consistent snapshot or not at
 * all (fault round 65). A FIFO, a device or a socket given as a message made `readFileSync` wait for a writer, or
 * read `/dev/zero` for ever, so the run hung; it is now refused before any read (opened non-blocking), a
 * `FixtureError` for that message. A file that grew or shrank while it was read (a mail client still writing it)
 * is refused too, rather than replayed cut or spliced.
 */
export function readFixture(file: string): Buffer {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd);
    if (!info.isFile())
      throw new FixtureError(`${file} is not a regular file (${kindOf(info)}): not replayed`);
    const bytes = Buffer.allocUnsafe(info.size);
    let at = 0;
    while (at < bytes.length) {
      const n = readSync(fd, bytes, at, bytes.length - at, at);
      if (n === 0) break;
      at += n;
    }
    const after = fstatSync(fd).size;
    const more = readSync(fd, Buffer.alloc(1), 0, 1, at);
    if (at !== info.size || after !== info.size || more !== 0)
      throw new FixtureError(
        `${file} changed while it was read (${info.size} bytes, then ${Math.max(after, at + more)}): not replayed`,
      );
    return bytes;
  } finally {
    closeSync(fd);
  }
}

function kindOf(info: import('node:fs').Stats): string {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  if (info.isDirectory()) return 'a folder';
  return 'not a file';
}
