import { randomUUID } from 'node:crypto';
import { type FileHandle, open, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Bytes gathered before one write: few system calls, and at most two batches held in memory. */
const BATCH_BYTES = 512 * 1024;
const READ_BYTES = 256 * 1024;

/**
 * An append-only temporary file that writes behind: appended chunks are gathered into batches written
 * in the background, and a read of bytes not yet on disk is served from the batch in memory. So the
 * reader at the front of a download never waits on the disk nor reads back what it just received;
 * only a reader that falls behind reads the file.
 *
 * The file is unlinked as soon as it is open: its bytes live as long as the handle, so a runtime killed
 * mid-invocation (Lambda's timeout, out of memory, a crash) leaves nothing in /tmp, whose contents survive
 * into the next runtime of the environment (fault round 79). Where an open file cannot be unlinked, it is
 * deleted by {@link SpillFile.remove}, as before.
 */
export class SpillFile {
  /** Bytes appended (on disk or still in memory). */
  length = 0;
  private written = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private flushing?: { chunks: Buffer[]; done: Promise<void> };
  private failure?: Error;

  private constructor(
    private readonly handle: FileHandle,
    /** Set while the file still has a name in its folder (it could not be unlinked open). */
    private readonly path: string | undefined,
  ) {}

  /** Creates the file in `dir`, readable by this process only, and unlinks it (kept through its handle). */
  static async create(dir: string): Promise<SpillFile> {
    const path = join(dir, `wmflow-spool-${randomUUID()}`);
    const handle = await open(path, 'w+', 0o600);
    const named = await unlink(path).then(
      () => undefined,
      () => path,
    );
    return new SpillFile(handle, named);
  }

  async append(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.length += chunk.length;
    if (this.pendingBytes < BATCH_BYTES) return;
    // Backpressure: one batch on its way to disk at a time.
    if (this.flushing) await this.flushing.done;
    if (this.failure) throw this.failure;
    this.flush();
  }

  /** Bytes from `position` (< length) on: from memory when not yet written, else up to 256 KiB of the file. */
  async read(position: number): Promise<Buffer> {
    if (this.failure) throw this.failure;
    if (position >= this.written) return this.unwritten(position);
    const size = Math.min(READ_BYTES, this.written - position);
    const buffer = Buffer.allocUnsafe(size);
    const { bytesRead } = await this.handle.read(buffer, 0, size, position);
    // Nothing where bytes were written: the file was cut under it (or lost them). An empty read would be taken
    // for no progress and asked again for ever (fault round 58): it fails, and every later read with it.
    if (bytesRead === 0) {
      this.failure ??= new Error(
        `spill file read back nothing at ${position} of the ${this.written} bytes written: it was cut`,
      );
      throw this.failure;
    }
    return buffer.subarray(0, bytesRead);
  }

  /** Waits for writes in flight, then closes and deletes the file. */
  async remove(): Promise<void> {
    await this.flushing?.done;
    await this.handle.close();
    if (this.path) await rm(this.path, { force: true });
  }

  private unwritten(position: number): Buffer {
    let base = this.written;
    for (const list of [this.flushing?.chunks ?? [], this.pending]) {
      for (const chunk of list) {
        if (position < base + chunk.length) return chunk.subarray(position - base);
        base += chunk.length;
      }
    }
    throw new RangeError(`spill file read at ${position}, past its ${this.length} bytes`);
  }

  private flush(): void {
    const chunks = this.pending;
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    // The batch leaves memory in the reaction that counts it on disk: a read between the two would take the bytes
    // past it from the batch's start (fault round 53).
    const done = this.handle.writev(chunks, this.written).then(({ bytesWritten }) => {
      if (bytesWritten !== bytes) throw new Error(`spill file wrote ${bytesWritten} of ${bytes} bytes`);
      this.written += bytes;
      this.flushing = undefined;
    });
    this.flushing = {
      chunks,
      done: done.catch((error: Error) => {
        // Later appends and reads fail.
        this.failure ??= error;
      }),
    };
  }
}
