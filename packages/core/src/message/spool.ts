import { createHash, type Hash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { type HandedTail, type HandOff, readHandedOff } from './hand-off.js';
import { MessageReadError } from './read-error.js';
import {
  checkNotLonger,
  checkStartsLikeMail,
  checkWhole,
  nextSourceChunk,
  type SourceChecks,
} from './source-checks.js';
import { SpillFile } from './spill-file.js';

const ABANDONED = 'message read after the invocation answered at its deadline';

/** A source closed at most this many bytes before its end is read out (and dropped), not destroyed. */
const DRAIN_BYTES = 64 * 1024;
/** How long such a read-out may take before the source is destroyed after all. */
const DRAIN_MS = 5_000;

function drainSource(source: Readable, iterator: AsyncIterator<Buffer>): void {
  const timer = setTimeout(() => source.destroy(), DRAIN_MS);
  timer.unref();
  (async () => {
    let read = 0;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      read += (next.value as Buffer).length;
      if (read > DRAIN_BYTES) break;
    }
  })()
    .catch(() => {})
    .finally(() => {
      clearTimeout(timer);
      if (!source.readableEnded) source.destroy();
    });
}

/** Where a {@link Spool} keeps bytes. */
export interface SpoolOptions {
  /** Bytes kept in memory; later bytes spill to a temporary file (written behind). Default 2 MiB. */
  memoryBytes?: number;
  /** Folder for the spill file. Default the OS temporary folder (Lambda's /tmp). */
  tempDir?: string;
  /**
   * The source is an engine's message (GetRawMessageContent, the SES S3 action's object): a first byte no
   * message begins with (a page or document in a 200) is a `not-mail` failure. Default false (any bytes).
   */
  mailOnly?: boolean;
}

/**
 * Reads a source stream once, on demand, and lets any number of readers replay
 * it from the start: the first bytes in memory, the rest in a temp file. The
 * source is pulled only as far as the furthest reader needs, so a reader that
 * stops early (headers only) leaves the rest of the message untransferred.
 *
 * Integrity: a source error is sticky (every later read throws it, the bytes held included: fault round 99); the length the
 * source announced is checked at the end (short or long is a {@link MessageReadError}); a second fetch
 * after {@link Spool.release} must announce the same length and repeat the bytes held (SHA-256 of the
 * prefix), or it is `changed`. After {@link Spool.close}, readers already running keep reading the bytes
 * held until the last one stops (then the spill file goes); a new read, or a pull from the source, throws.
 * Closed with `abandon` (the invocation answered at its deadline), readers still running fail at their next
 * read and the spill file goes at once: a reader left suspended (its consumer stalled, frozen with the Lambda)
 * holds no file in /tmp, and none reads this message once a later invocation thaws the process (fault round 63).
 */
export class Spool {
  private readonly memoryLimit: number;
  private readonly tempDir?: string;
  private readonly mailOnly: boolean;
  private readonly memory: Buffer[] = [];
  private memoryLength = 0;
  private file?: SpillFile;
  private iterator?: AsyncIterator<Buffer>;
  private source?: Readable;
  private pulling?: Promise<boolean>;
  private ended = false;
  private closed = false;
  /** Closed at a deadline: readers still running stop at their next read, the spill file goes at once. */
  private abandoned = false;
  /** Readers inside `chunks()` right now. */
  private active = 0;
  /** Bytes a reopened source repeats, already spooled, to drop. */
  private skip = 0;
  /** Size the source announced (Content-Length), when it did. */
  expectedLength?: number;
  /** `mailOnly`: the source's first bytes were seen to begin as a message does. */
  private startSeen = false;
  /** `mailOnly`: the empty line ending the header block was seen (fault round 89). */
  private headerEndSeen = false;
  /** {@link Spool.confirmEnd}'s one fetch. */
  private confirming?: Promise<void>;
  /** `mailOnly`, until then: the last bytes spooled, where an empty line may begin. */
  private headTail: Buffer = Buffer.alloc(0);
  /** The first failure; every later read past the bytes held throws it. */
  private failure?: MessageReadError;
  /** While a re-fetch repeats held bytes: their expected digest and the running one. */
  private repeat?: { expected: string; hash: Hash };
  /** The spool's own checks, for every reader of the source (this spool's pulls, a hand-off reader). */
  private readonly checks: SourceChecks = {
    expectedLength: () => this.expectedLength,
    closed: () => this.closed,
    fail: (reason, message, cause) => this.fail(reason, message, cause),
  };
  /** A {@link Spool.passOn} reader takes the source over once memory holds this many bytes. */
  private handOffAt?: number;
  /** The source taken over by the pass-on reader. */
  private handedOff?: HandOff;
  /** The handed-off source a pass-on reader is reading now (close() stops it). */
  private tailReading?: HandOff;
  /** Offset of the first hand-off: bytes past it were handed out, not kept, so a later fetch is checked on them. */
  private tailFrom?: number;
  /** CRC-32 of the bytes this spool kept from `tailFrom` on (a fetch after the hand-off). */
  private tailCrc = 0;
  /** The first whole read of the bytes past `tailFrom`; every later one must repeat it. */
  private tailSeen?: HandedTail;

  constructor(
    private readonly open: () => Promise<Readable>,
    options: SpoolOptions = {},
  ) {
    this.memoryLimit = options.memoryBytes ?? 2 * 1024 * 1024;
    this.tempDir = options.tempDir;
    this.mailOnly = options.mailOnly === true;
  }

  /** Bytes spooled so far. */
  get length(): number {
    return this.memoryLength + (this.file?.length ?? 0);
  }

  /** True once the source has been read to its end. */
  get complete(): boolean {
    return this.ended;
  }

  /** True once {@link Spool.close} was called: new reads throw. */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * The failure that says the message read is not the message (cut, longer, changed, unreadable), once there is one:
   * from then on no read serves the bytes held as the message, not even a whole-looking one (fault round 99). A
   * `closed` failure (a read after the invocation closed the spool) is not one: readers already running keep the
   * bytes held, as {@link Spool.close} says.
   */
  get failed(): MessageReadError | undefined {
    return this.failure?.reason === 'closed' ? undefined : this.failure;
  }

  /**
   * The size the source announced (its Content-Length), opening the source if no read has yet; undefined
   * when it announced none. A source read to its end without an announcement gives the bytes it sent.
   */
  async announcedLength(): Promise<number | undefined> {
    if (this.expectedLength === undefined && !this.ended && this.length === 0) await this.pull();
    return this.expectedLength ?? (this.ended ? this.length : undefined);
  }

  /**
   * For a source that announced no length (a chunked answer, which may end early but well-formed): fetches it once
   * more and fails (`short`, sticky) unless it ends where the whole read of it did, by its Content-Length or by
   * reading it through. Call it once the message was read to its end (fault round 89: a rewrite of a single-part
   * message committed a cut body). Nothing to do when the source announced its length, or was not read whole.
   */
  confirmEnd(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.expectedLength !== undefined) return Promise.resolve();
    const end = this.ended ? this.length : this.tailSeen?.end;
    if (end === undefined) return Promise.resolve();
    // Once per invocation: the rewrite and the journal both ask.
    this.confirming ??= this.fetchedEnd(end);
    return this.confirming;
  }

  private async fetchedEnd(end: number): Promise<void> {
    let stream: Readable & { contentLength?: number };
    try {
      stream = (await this.open()) as Readable & { contentLength?: number };
    } catch (error) {
      this.fail('source', `message could not be fetched again: ${(error as Error).message}`, error);
    }
    let size = stream.contentLength;
    try {
      if (size === undefined) {
        size = 0;
        for await (const chunk of stream) size += (chunk as Buffer).length;
      }
    } catch (error) {
      this.fail('source', `message fetched again failed: ${(error as Error).message}`, error);
    } finally {
      stream.destroy();
    }
    if (size !== end)
      this.fail(
        'short',
        `message read without a length ended after ${end} bytes; fetched again it is ${size}: a read ended early`,
      );
  }

  /** A stream of the whole message from the first byte. */
  reader(): Readable {
    const held = this.held();
    if (held) return Readable.from(held, { objectMode: false });
    return Readable.from(this.chunks(), { objectMode: false });
  }

  /**
   * The whole message once, for the last reader of an invocation (the editor at commit): bytes held are read
   * as usual, memory fills up to `keepBytes` (for readers of the header running beside it), and later bytes
   * are handed on without being kept, so no temporary file is written. A reader that later needs them
   * fetches the source again (as after {@link Spool.release}). When a file already holds bytes, this is
   * {@link Spool.chunks}. Bytes handed on come in pieces of at least `pieceBytes` (the last may be shorter).
   */
  async *passOn(keepBytes = 512 * 1024, pieceBytes = 1): AsyncGenerator<Buffer> {
    if (!this.file && !this.ended) this.handOffAt = Math.min(keepBytes, this.memoryLimit);
    let offset = 0;
    try {
      for await (const chunk of this.chunks(0, true)) {
        offset += chunk.length;
        yield chunk;
      }
    } finally {
      this.handOffAt = undefined;
    }
    const tail = this.handedOff;
    // Another pass-on reader running beside this one took the hand-off (or none was made): the rest comes
    // from the spool, fetched again if need be, never an end short of the message.
    if (tail?.offset !== offset) {
      yield* this.chunks(offset);
      return;
    }
    // A hand-off serves one reader: the next read past the bytes held fetches the source again.
    this.handedOff = undefined;
    this.tailReading = tail;
    let whole = false;
    try {
      for await (const piece of readHandedOff(tail, this.checks, pieceBytes, (read) =>
        this.checkTail(read),
      )) {
        if (this.abandoned) throw new MessageReadError('closed', ABANDONED);
        yield piece;
      }
      whole = true;
    } finally {
      if (this.tailReading === tail) this.tailReading = undefined;
      if (!whole) tail.source?.destroy();
    }
  }

  /** The whole message as the chunks held in memory, once it is read to its end and was not spilled (nor found cut). */
  held(): readonly Buffer[] | undefined {
    return this.ended && !this.file && !this.closed && !this.failed ? [...this.memory] : undefined;
  }

  /** Yields the message in chunks from byte `start`, pulling the source as needed. */
  async *chunks(start = 0, untilHandOff = false): AsyncGenerator<Buffer> {
    let offset = start;
    if (this.closed) throw new MessageReadError('closed', 'message read after the invocation closed it');
    this.active++;
    try {
      for (;;) {
        if (this.abandoned) throw new MessageReadError('closed', ABANDONED);
        // A read found the message cut, longer or changed (the journal's confirmEnd after a read that looked whole,
        // a reset past the bytes held): the bytes held are no message either, for this reader or a later rule's.
        const failed = this.failed;
        if (failed) throw failed;
        if (offset < this.length) {
          // Bytes held in memory are handed out as they are, without a wait.
          const chunk = this.heldAt(offset) ?? (await this.readAt(offset));
          offset += chunk.length;
          yield chunk;
        } else if ((untilHandOff && this.handedOff) || !(await this.pull())) {
          return;
        }
      }
    } finally {
      this.active--;
      if (this.closed && this.active === 0) await this.dropFile();
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

  /**
   * Releases the source stream and deletes the spill file. `abandon` (at a deadline): readers still running stop
   * at their next read, and the file goes now rather than with the last of them.
   */
  async close(options: { abandon?: boolean } = {}): Promise<void> {
    this.closed = true;
    if (options.abandon) this.abandoned = true;
    const rest = (this.expectedLength ?? Number.POSITIVE_INFINITY) - this.length;
    if (this.source && this.iterator && !this.pulling && !this.failure && rest <= DRAIN_BYTES) {
      // A few bytes short of the end (rules decided on the headers): reading them out lets the HTTP
      // connection be reused, where destroying the response would close it.
      drainSource(this.source, this.iterator);
    } else {
      // Destroy, not iterator.return(): return() would queue behind a read waiting on a stalled source.
      this.source?.destroy();
    }
    this.handedOff?.source?.destroy();
    this.tailReading?.source?.destroy();
    this.source = undefined;
    this.iterator = undefined;
    // Readers still running keep the bytes held; the last one out drops the file (abandoned: none is kept).
    if (this.active === 0 || this.abandoned) await this.dropFile();
  }

  private async dropFile(): Promise<void> {
    const file = this.file;
    if (!file) return;
    this.file = undefined;
    await file.remove();
  }

  private fail(reason: MessageReadError['reason'], message: string, cause?: unknown): never {
    this.failure ??= new MessageReadError(reason, message, { cause });
    this.source?.destroy();
    this.source = undefined;
    this.iterator = undefined;
    throw this.failure;
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
    if (this.failure) throw this.failure;
    if (this.closed) this.fail('closed', 'message read after the invocation closed it');
    if (!this.iterator) await this.reopen();
    const iterator = this.iterator as AsyncIterator<Buffer>;
    for (;;) {
      let chunk = await nextSourceChunk(iterator, this.length, this.checks);
      if (chunk === undefined) return this.end();
      if (this.skip > 0) {
        const repeated = chunk.subarray(0, this.skip);
        this.repeat?.hash.update(repeated);
        this.skip -= repeated.length;
        chunk = chunk.subarray(repeated.length);
        if (this.skip === 0) this.checkRepeat();
        if (chunk.length === 0) continue;
      }
      checkNotLonger(this.length + chunk.length, this.checks);
      // The start is judged on the first bytes, across chunks until there are enough to tell (fault round 50).
      if (this.mailOnly && !this.startSeen)
        this.startSeen = checkStartsLikeMail(
          this.memoryLength === 0 ? chunk : Buffer.concat([...this.memory, chunk]),
          this.checks,
        );
      if (this.mailOnly && !this.headerEndSeen) this.seeHeaderEnd(chunk);
      await this.append(chunk);
      return true;
    }
  }

  /** Looks for the empty line (LF LF or LF CRLF) ending the header block, across chunks. */
  private seeHeaderEnd(chunk: Buffer): void {
    const bytes = this.headTail.length === 0 ? chunk : Buffer.concat([this.headTail, chunk]);
    for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) {
      if (bytes[i + 1] === 0x0a || (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a)) {
        this.headerEndSeen = true;
        this.headTail = Buffer.alloc(0);
        return;
      }
    }
    this.headTail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 2)));
  }

  private async reopen(): Promise<void> {
    let stream: Readable & { contentLength?: number };
    try {
      stream = (await this.open()) as Readable & { contentLength?: number };
    } catch (error) {
      if (this.length === 0) throw error; // the first open: the caller sees the API's own error
      // The source itself knows the object changed (an S3 source pinned to its first ETag, fault round 65).
      if (error instanceof MessageReadError && error.reason === 'changed')
        this.fail('changed', error.message, error);
      this.fail('source', `message could not be fetched again: ${(error as Error).message}`, error);
    }
    if (this.closed) {
      stream.destroy();
      this.fail('closed', 'message read after the invocation closed it');
    }
    const announced = stream.contentLength;
    if (this.expectedLength !== undefined && announced !== undefined && announced !== this.expectedLength) {
      stream.destroy();
      this.fail('changed', `message fetched again is ${announced} bytes, was ${this.expectedLength}`);
    }
    this.source = stream;
    this.expectedLength ??= announced;
    this.iterator = stream[Symbol.asyncIterator]();
    this.skip = this.length;
    // Hashing what is held costs a pass over it, paid only on this rare path (a header read, then a body read).
    this.repeat =
      this.skip > 0 ? { expected: await this.heldDigest(), hash: createHash('sha256') } : undefined;
  }

  private async heldDigest(): Promise<string> {
    const hash = createHash('sha256');
    for (let offset = 0; offset < this.length; ) {
      const chunk = await this.readAt(offset);
      hash.update(chunk);
      offset += chunk.length;
    }
    return hash.digest('hex');
  }

  private checkRepeat(): void {
    const repeat = this.repeat;
    this.repeat = undefined;
    if (repeat && repeat.hash.digest('hex') !== repeat.expected) {
      this.fail('changed', `message fetched again differs in its first ${this.length} bytes`);
    }
  }

  private end(): false {
    if (this.skip > 0)
      this.fail('changed', `message fetched again ended before the ${this.length} bytes held`);
    checkWhole(this.length, this.checks);
    // An engine's message whose length was not announced (a chunked answer), ended inside its header block: a read
    // ended early but well-formed there looks like a whole message with no body, its Content-Type (multipart,
    // attachments) and the rest cut away, so the rules would decide on nothing (fault round 89). Real mail has the
    // empty line; a read that ends before it is taken for a cut, transient as a short read is.
    if (this.mailOnly && this.expectedLength === undefined && !this.headerEndSeen)
      this.fail(
        'short',
        `message source ended after ${this.length} bytes, inside its header block, with no length announced: taken for a cut read`,
      );
    if (this.tailFrom !== undefined) this.checkTail({ end: this.length, crc: this.tailCrc });
    this.ended = true;
    this.source = undefined;
    this.iterator = undefined;
    return false;
  }

  /** A whole read of the bytes past the first hand-off: the first is kept, a later one must repeat it. */
  private checkTail(tail: HandedTail): void {
    this.tailSeen ??= tail;
    const seen = this.tailSeen;
    if (seen.end !== tail.end || seen.crc !== tail.crc) {
      this.fail('changed', `message fetched again differs past its first ${this.tailFrom} bytes`);
    }
  }

  private async append(chunk: Buffer): Promise<void> {
    try {
      await this.store(chunk);
    } catch (error) {
      // A spill that failed (disk full, folder gone) may have kept part of the chunk: sticky, or a later
      // read would go on with the next chunk and splice the message.
      this.fail(
        'spill',
        `message could not be spooled to ${this.tempDir ?? tmpdir()}: ${(error as Error).message}`,
        error,
      );
    }
  }

  private async store(chunk: Buffer): Promise<void> {
    if (this.closed) return; // a chunk that arrives after close() is dropped, never spilled
    if (!this.file && this.handOffAt !== undefined && this.memoryLength + chunk.length > this.handOffAt) {
      // The pass-on reader takes the source over here: this chunk's rest and what follows are never kept.
      const room = Math.max(0, this.handOffAt - this.memoryLength);
      this.handOffAt = undefined;
      if (room > 0) this.keep(chunk.subarray(0, room));
      this.tailFrom ??= this.length;
      const iterator = this.iterator as AsyncIterator<Buffer>;
      const first = chunk.subarray(room);
      this.handedOff = { iterator, source: this.source, first, offset: this.length, crc: this.tailCrc };
      this.iterator = undefined;
      this.source = undefined;
      return;
    }
    const room = this.memoryLimit - this.memoryLength;
    if (!this.file && chunk.length <= room) {
      this.keep(chunk);
      return;
    }
    if (!this.file) {
      if (room > 0) {
        this.keep(chunk.subarray(0, room));
        chunk = chunk.subarray(room);
      }
      // Past the memory share the bytes go to disk, written behind: later readers may need them again.
      const file = await SpillFile.create(this.tempDir ?? tmpdir());
      // Closed while the file was being made, with no reader left to drop it: it is not kept (fault round 63).
      if (this.closed && (this.abandoned || this.active === 0)) {
        await file.remove();
        return;
      }
      this.file = file;
    }
    if (this.tailFrom !== undefined) this.tailCrc = crc32(chunk, this.tailCrc);
    await this.file.append(chunk);
  }

  private keep(part: Buffer): void {
    if (this.tailFrom !== undefined) this.tailCrc = crc32(part, this.tailCrc);
    this.memory.push(part);
    this.memoryLength += part.length;
  }

  private heldAt(offset: number): Buffer | undefined {
    if (offset >= this.memoryLength) return undefined;
    let base = 0;
    for (const part of this.memory) {
      if (offset < base + part.length) return part.subarray(offset - base);
      base += part.length;
    }
    return undefined;
  }

  private async readAt(offset: number): Promise<Buffer> {
    if (!this.file && offset >= this.memoryLength)
      this.fail('closed', 'message bytes read after they were dropped');
    const held = this.heldAt(offset);
    if (held) return held;
    try {
      return await (this.file as SpillFile).read(offset - this.memoryLength);
    } catch (error) {
      this.fail('spill', `spooled message could not be read back: ${(error as Error).message}`, error);
    }
  }
}
