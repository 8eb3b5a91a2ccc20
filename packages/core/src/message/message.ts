import { Readable } from 'node:stream';
import { lazyModule } from '../lazy-module.js';
import { type AuthVerdicts, authVerdicts } from './auth-results.js';
import type { BodyCollector, TextBodies } from './body-text.js';
import { HAND_ON_PIECE } from './hand-off.js';
import { readHeaderBlock } from './header-block.js';
import type { MessageHeaders } from './headers.js';
import { DEFAULT_MESSAGE_LIMITS, MessageLimitError, type MessageLimits } from './limits.js';
import { type ParsedMessage, parseMessage } from './parse.js';
import type { PartInventory } from './part-walk.js';
import { MessageReadError } from './read-error.js';
import { Spool, type SpoolOptions } from './spool.js';

const loadHeaders = lazyModule(() => import('./headers.js'));
const loadPartWalk = lazyModule(() => import('./part-walk.js'));
const loadStructure = lazyModule(() => import('./structure.js'));
const loadBodyText = lazyModule(() => import('./body-text.js'));

// A module load begun ahead of the read that needs it: its failure surfaces where it is awaited, and is not
// an unhandled rejection when the read fails first.
function started<T>(load: Promise<T>): Promise<T> {
  void Promise.allSettled([load]);
  return load;
}

/**
 * Lazy access to the message in transit. Nothing is fetched until a rule asks;
 * the message is downloaded in full at most once per invocation and every
 * reader shares it. `headers()` reads only the header block, and stops the
 * transfer of a large message there until a rule asks for more.
 *
 * @example
 * ```ts
 * const headers = await ctx.message.headers();        // a few kB
 * const { text } = await ctx.message.parsed();        // full parse, bounded
 * ```
 */
export interface MessageAccess {
  /** The header block, parsed. */
  headers(): Promise<MessageHeaders>;
  /** SPF/DKIM/DMARC results and SES spam/virus verdicts from the headers. */
  authVerdicts(trustedAuthServIds?: readonly string[]): Promise<AuthVerdicts>;
  /** The raw MIME bytes as a stream, from the first byte. */
  stream(): Readable;
  /**
   * The raw MIME bytes as a stream, for the last full read of the invocation (the editor at commit): bytes
   * not yet held are passed on without a temporary file. A later full read fetches the message again.
   * Optional: without it, use `stream()`.
   */
  lastStream?(): Readable;
  /**
   * Tells the message that the rest of the invocation reads it in full at most once more (the engine calls it
   * before the last rule when no edit can be committed): `stream()` then hands bytes on as `lastStream()`
   * does, without a temporary file. A read after that fetches the message again. Optional.
   */
  beginFinalReads?(): void;
  /** The raw MIME bytes whole (up to `maxMessageBytes`). */
  bytes(): Promise<Buffer>;
  /** Bodies and attachments, decoded (up to the parse limits); attachments of attached messages included. */
  parsed(): Promise<ParsedMessage>;
  /**
   * Every MIME part at every depth (attached messages included) with all its names, and the structure that
   * could not be inspected (limits, malformed or ambiguous parts) as findings rather than errors. Part ids
   * are the ones the editor's `removeParts` takes.
   */
  parts(): Promise<PartInventory>;
  /**
   * The text and HTML bodies, decoded once per invocation from the same single pass as `parts()` (no
   * full parse): inline text parts at every depth, attached messages included. Throws a
   * {@link MessageLimitError} (or the structure error) when a part could not be read, so a rule never
   * decides on bodies it did not see. Optional: a rule falls back to `parsed()` where it is missing.
   */
  textBodies?(): Promise<TextBodies>;
  /** Size of the raw message in bytes (reads it to the end, up to `maxMessageBytes`). */
  size(): Promise<number>;
  /**
   * The size the source announced before sending the body (Content-Length of GetRawMessageContent or
   * GetObject), or undefined when it announced none; reads at most the first chunk. Lets a copy stream
   * the message into one request of known length. Optional, so other implementations stay valid.
   */
  announcedSize?(): Promise<number | undefined>;
  /**
   * Whether the source announced the message's length (a Content-Length) before sending it. Without one (a
   * chunked answer) a read that ends early but well-formed looks whole, so a rewrite does not close a multipart
   * the message leaves open. Optional, so other implementations stay valid.
   */
  lengthAnnounced?(): Promise<boolean>;
  /**
   * When the source announced no length: fetches the message once more and throws a `short` MessageReadError
   * unless it ends where the whole read of it did (a chunked answer ended early but well-formed looks whole). Call
   * it once the message was read to its end. Its failure, as any read's that found the message cut, longer or
   * changed, is then every later body read's too (fault round 99). Optional, so other implementations stay valid.
   */
  confirmEnd?(): Promise<void>;
}

/** Options of {@link LazyMessage}. */
export interface LazyMessageOptions extends SpoolOptions {
  limits?: Partial<MessageLimits>;
  /**
   * After a header read, a message larger than this (or of unknown size) stops transferring until a rule
   * asks for more, which then fetches it again, dropping the bytes already read. Default 1 MiB.
   */
  releaseAbove?: number;
}

/**
 * A {@link MessageAccess} over any source of raw bytes (GetRawMessageContent,
 * a file, a buffer). Call {@link LazyMessage.close} when the invocation ends.
 *
 * @example
 * ```ts
 * const message = new LazyMessage(async () => createReadStream('mail.eml'));
 * console.log((await message.headers()).subject);
 * await message.close();
 * ```
 */
export class LazyMessage implements MessageAccess {
  readonly limits: MessageLimits;
  private readonly spool: Spool;
  private headerMemo?: Promise<MessageHeaders>;
  private parseMemo?: Promise<ParsedMessage>;
  private partsMemo?: Promise<PartInventory>;
  private bodiesMemo?: Promise<TextBodies>;
  private readonly bodies: BodyCollector = { pieces: [], failures: [] };
  private readonly authMemo = new Map<string, Promise<AuthVerdicts>>();

  private readonly releaseAbove: number;
  private finalReads = false;
  /** Streams handed out and not yet closed: an abandoning close ends them (fault round 63). */
  private readonly open = new Set<Readable>();

  constructor(open: () => Promise<Readable>, options: LazyMessageOptions = {}) {
    this.limits = { ...DEFAULT_MESSAGE_LIMITS, ...options.limits };
    this.releaseAbove = options.releaseAbove ?? 1024 * 1024;
    this.spool = new Spool(open, options);
  }

  /**
   * The failure a read of this message met that says its bytes are not the message (cut, longer, changed, not mail,
   * not kept), once there is one; `closed` is none. The engine reads it after the chain: a rule that failed open on
   * it under `transientErrors: 'rule-policy'` leaves the verdicts of the rules before it resting on those bytes.
   *
   * @example
   * ```ts
   * if (message.readFailure) throw message.readFailure; // decided on bytes that are not the message: retry
   * ```
   */
  get readFailure(): MessageReadError | undefined {
    return this.spool.failed;
  }

  /** Bytes fetched from the source so far. */
  get bytesFetched(): number {
    return this.spool.length;
  }

  headers(): Promise<MessageHeaders> {
    if (!this.headerMemo) {
      // The parser loads with the first header read, not at cold start, while the bytes are on their way.
      const parser = started(loadHeaders());
      this.headerMemo = readHeaderBlock(this.spool.chunks(), this.limits).then(async (block) => {
        // A large message stops transferring here; a later body read fetches the rest once.
        if ((this.spool.expectedLength ?? Number.POSITIVE_INFINITY) > this.releaseAbove)
          await this.spool.release();
        return new (await parser).MessageHeaders(block);
      });
    }
    return this.headerMemo;
  }

  authVerdicts(trustedAuthServIds?: readonly string[]): Promise<AuthVerdicts> {
    // Several rules ask (SES verdicts, DMARC): the headers are parsed for it once per list of trusted ids.
    const key = trustedAuthServIds?.join('\n') ?? '';
    let memo = this.authMemo.get(key);
    if (!memo) {
      memo = this.headers().then((headers) => authVerdicts(headers, trustedAuthServIds));
      this.authMemo.set(key, memo);
    }
    return memo;
  }

  stream(): Readable {
    // A rule's full read in the final stretch passes bytes straight on (the journal), in joined pieces.
    return this.tracked(this.finalReads ? this.handedOn(HAND_ON_PIECE) : this.spool.reader());
  }

  beginFinalReads(): void {
    this.finalReads = true;
  }

  lastStream(): Readable {
    return this.tracked(this.handedOn(HAND_ON_PIECE));
  }

  private tracked(stream: Readable): Readable {
    this.open.add(stream);
    stream.once('close', () => this.open.delete(stream));
    return stream;
  }

  private handedOn(pieceBytes: number): Readable {
    return Readable.from(this.spool.passOn(undefined, pieceBytes), { objectMode: false });
  }

  async bytes(): Promise<Buffer> {
    const parts: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.spool.chunks()) {
      size += chunk.length;
      if (size > this.limits.maxMessageBytes) {
        throw new MessageLimitError('maxMessageBytes', `larger than ${this.limits.maxMessageBytes} bytes`);
      }
      parts.push(chunk);
    }
    return Buffer.concat(parts);
  }

  parsed(): Promise<ParsedMessage> {
    this.parseMemo ??= this.parseBounded();
    return this.unlessFailed(this.parseMemo);
  }

  /**
   * `memo`, unless a read has since found the message cut, longer or changed: a result worked out from bytes that
   * looked whole is not served to a later rule once they are known not to be the message (fault round 99).
   */
  private unlessFailed<T>(memo: Promise<T>): Promise<T> {
    return memo.then((value) => {
      const failed = this.spool.failed;
      if (failed) throw failed;
      return value;
    });
  }

  parts(): Promise<PartInventory> {
    if (this.partsMemo) return this.unlessFailed(this.partsMemo);
    const walker = started(loadPartWalk());
    this.partsMemo = this.ensureSizeWithin(this.limits.maxMessageBytes).then(async () => {
      const { walkParts } = await walker;
      // The body parts' decoded bytes are kept on the way, for textBodies(): one walk serves both.
      return walkParts(this.spool.held() ?? this.stream(), this.limits, this.bodies);
    });
    return this.unlessFailed(this.partsMemo);
  }

  textBodies(): Promise<TextBodies> {
    this.bodiesMemo ??= this.parts().then(async (inventory) => {
      const { unreadBodies, textBodiesOf } = await loadBodyText();
      const unread = unreadBodies(inventory, this.bodies);
      if (unread) throw unread;
      return textBodiesOf(this.bodies);
    });
    return this.unlessFailed(this.bodiesMemo);
  }

  async size(): Promise<number> {
    await this.ensureSizeWithin(this.limits.maxMessageBytes);
    return this.spool.length;
  }

  announcedSize(): Promise<number | undefined> {
    return this.spool.announcedLength();
  }

  async lengthAnnounced(): Promise<boolean> {
    await this.spool.announcedLength();
    return this.spool.expectedLength !== undefined;
  }

  confirmEnd(): Promise<void> {
    return this.spool.confirmEnd();
  }

  /**
   * Releases the source and deletes spooled bytes. Readers already running finish the bytes held, unless
   * `abandon` is set (the invocation answered at its deadline, its work left running): then every stream
   * handed out fails with a `closed` {@link MessageReadError} and the spill file goes at once, so work frozen
   * with the Lambda reads nothing of this message, and keeps nothing in /tmp, once a later invocation thaws it.
   */
  close(options: { abandon?: boolean } = {}): Promise<void> {
    if (options.abandon) {
      const ended = new MessageReadError(
        'closed',
        'message read after the invocation answered at its deadline',
      );
      for (const stream of this.open) {
        // A stream nobody listens to for errors must not throw in the next invocation (an uncaught error).
        stream.on('error', () => {});
        stream.destroy(ended);
      }
      this.open.clear();
    }
    return this.spool.close(options);
  }

  private async parseBounded(): Promise<ParsedMessage> {
    await this.ensureSizeWithin(this.limits.maxMessageBytes);
    // mailsplit and mailparser load only when a rule first asks for a full parse.
    const { asLimitError, checkStructure, mayNestDeeperThan } = await loadStructure();
    if (await mayNestDeeperThan(this.spool.chunks(), this.limits.maxDepth)) {
      await checkStructure(this.stream(), this.limits);
    }
    return parseMessage(this.stream(), this.limits).catch((error: unknown) => {
      throw asLimitError(error);
    });
  }

  private async ensureSizeWithin(max: number): Promise<void> {
    const failed = this.spool.failed;
    if (failed) throw failed;
    // Read to its end already (a second rule asking): only the size to check.
    if (this.spool.complete && !this.spool.isClosed) {
      if (this.spool.length > max) throw new MessageLimitError('maxMessageBytes', `larger than ${max} bytes`);
      return;
    }
    for await (const _ of this.spool.chunks(this.spool.length)) {
      if (this.spool.length > max) throw new MessageLimitError('maxMessageBytes', `larger than ${max} bytes`);
    }
  }
}
