import { randomUUID } from 'node:crypto';
import { type FileHandle, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

/** Where a {@link Spool} keeps bytes. */
export interface SpoolOptions {
  /** Bytes kept in memory; later bytes spill to a temporary file. Default 4 MiB. */
  memoryBytes?: number;
  /** Folder for the spill file. Default the OS temporary folder (Lambda's /tmp). */
  tempDir?: string;
}

/**
 * Reads a source stream once, on demand, and lets any number of readers replay
 * it from the start: the first bytes in memory, the rest in a temp file. The
 * source is pulled only as far as the furthest reader needs, so a reader that
 * stops early (headers only) leaves the rest of the message untransferred.
 */
export class Spool {
  private readonly memoryLimit: number;
  private readonly tempDir: string;
  private readonly memory: Buffer[] = [];
  private memoryLength = 0;
  private file?: { handle: FileHandle; path: string; length: number };
  private iterator?: AsyncIterator<Buffer>;
  private source?: Readable;
  private pulling?: Promise<boolean>;
  private ended = false;
  private closed = false;
  /** Readers inside `chunks()` right now. */
  private active = 0;
  /** Bytes a reopened source repeats, already spooled, to drop. */
  private skip = 0;
  /** Size the source announced (Content-Length), when it did. */
  expectedLength?: number;

  constructor(
    private readonly open: () => Promise<Readable>,
    options: SpoolOptions = {},
  ) {
    this.memoryLimit = options.memoryBytes ?? 4 * 1024 * 1024;
    this.tempDir = options.tempDir ?? tmpdir();
  }

  /** Bytes spooled so far. */
  get length(): number {
    return this.memoryLength + (this.file?.length ?? 0);
  }

  /** True once the source has been read to its end. */
  get complete(): boolean {
    return this.ended;
  }

  /** A stream of the whole message from the first byte. */
  reader(): Readable {
    return Readable.from(this.chunks(), { objectMode: false });
  }

  /** Yields the message in chunks from byte `start`, pulling the source as needed. */
  async *chunks(start = 0): AsyncGenerator<Buffer> {
    let offset = start;
    this.active++;
    try {
      for (;;) {
        if (offset < this.length) {
          const chunk = await this.readAt(offset);
          offset += chunk.length;
          yield chunk;
        } else if (!(await this.pull())) {
          return;
        }
      }
    } finally {
      this.active--;
    }
  }

  /**
   * Stops the transfer while no reader needs more: the source is closed, and a later read opens it
   * again and skips what is already spooled. Lets a header-only rule leave a large message untransferred.
   */
  async release(): Promise<void> {
    if (this.active > 0 || this.ended || !this.iterator || this.pulling) return;
    this.iterator = undefined;
    this.source?.destroy();
    this.source = undefined;
  }

  /** Releases the source stream and deletes the spill file. */
  async close(): Promise<void> {
    this.closed = true;
    // Destroy, not iterator.return(): return() would queue behind a read waiting on a stalled source.
    this.source?.destroy();
    this.source = undefined;
    this.iterator = undefined;
    if (this.file) {
      await this.file.handle.close();
      await rm(this.file.path, { force: true });
      this.file = undefined;
    }
  }

  // One pull at a time; readers waiting on the same pull share it.
  private pull(): Promise<boolean> {
    if (this.ended) return Promise.resolve(false);
    this.pulling ??= this.pullOnce().finally(() => {
      this.pulling = undefined;
    });
    return this.pulling;
  }

  private async pullOnce(): Promise<boolean> {
    if (this.closed) throw new Error('message spool is closed');
    if (!this.iterator) {
      const stream = (await this.open()) as Readable & { contentLength?: number };
      if (this.closed) {
        stream.destroy();
        throw new Error('message spool is closed');
      }
      this.source = stream;
      this.expectedLength ??= stream.contentLength;
      this.iterator = stream[Symbol.asyncIterator]();
      this.skip = this.length;
    }
    const iterator = this.iterator;
    for (;;) {
      const next = await iterator.next();
      if (this.closed) throw new Error('message spool is closed');
      if (next.done) {
        this.ended = true;
        return false;
      }
      let chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as Uint8Array);
      if (this.skip >= chunk.length) {
        this.skip -= chunk.length;
        continue;
      }
      chunk = chunk.subarray(this.skip);
      this.skip = 0;
      await this.append(chunk);
      return true;
    }
  }

  private async append(chunk: Buffer): Promise<void> {
    if (this.closed) return; // a chunk that arrives after close() is dropped, never spilled
    const room = this.memoryLimit - this.memoryLength;
    if (!this.file && chunk.length <= room) {
      this.memory.push(chunk);
      this.memoryLength += chunk.length;
      return;
    }
    if (!this.file) {
      if (room > 0) {
        this.memory.push(chunk.subarray(0, room));
        this.memoryLength += room;
        chunk = chunk.subarray(room);
      }
      const path = join(this.tempDir, `wmflow-spool-${randomUUID()}`);
      this.file = { handle: await open(path, 'w+', 0o600), path, length: 0 };
    }
    await this.file.handle.write(chunk, 0, chunk.length, this.file.length);
    this.file.length += chunk.length;
  }

  private async readAt(offset: number): Promise<Buffer> {
    if (offset < this.memoryLength) {
      let base = 0;
      for (const part of this.memory) {
        if (offset < base + part.length) return part.subarray(offset - base);
        base += part.length;
      }
    }
    const file = this.file as NonNullable<typeof this.file>;
    const position = offset - this.memoryLength;
    const size = Math.min(256 * 1024, file.length - position);
    const buffer = Buffer.allocUnsafe(size);
    const { bytesRead } = await file.handle.read(buffer, 0, size, position);
    return buffer.subarray(0, bytesRead);
  }
}
