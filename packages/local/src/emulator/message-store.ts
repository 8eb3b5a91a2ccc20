import type { Clock } from '../clock.js';
import { FlowApiError, LocalStackError } from '../errors.js';
import { MESSAGE_ID_PATTERN, newMessageId } from './message-id.js';

/**
 * WorkMail keeps an in-transit message readable for 24 hours.
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * const flow = await startFlowEmulator({ s3, clock });
 * const id = flow.load(raw);
 * clock.advance(MESSAGE_TTL_MS); // GetRawMessageContent for `id` now answers ResourceNotFoundException
 * ```
 */
export const MESSAGE_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Where a version of a message came from: the load, or a PutRawMessageContent.
 *
 * @example
 * ```ts
 * const source: VersionSource = { bucket: 'updates', key: 'msg/1' };
 * ```
 */
export type VersionSource =
  | 'load'
  | { readonly bucket: string; readonly key: string; readonly objectVersion?: string };

/**
 * One version of a message: the loaded content is version 0, each accepted
 * update adds one.
 *
 * @example
 * ```ts
 * const [loaded, updated] = stack.flow.history(id);
 * updated?.content.toString('latin1');
 * ```
 */
export interface MessageVersion {
  readonly version: number;
  readonly content: Buffer;
  /** Clock time of the load or update, in ms since the epoch. */
  readonly at: number;
  readonly source: VersionSource;
}

/**
 * How to load a message into the emulator.
 *
 * @example
 * ```ts
 * stack.flow.load(bytes, { messageId: 'fixture-1', frozen: true });
 * ```
 */
export interface LoadOptions {
  /** The id to use; generated when absent. Must match `[a-z0-9-]{1,120}`. */
  messageId?: string;
  /** When the message arrived (clock ms); default now. Messages expire 24 h later. */
  receivedAt?: number;
  /** A frozen message refuses updates with MessageFrozen (WorkMail: e.g. redirected mail). */
  frozen?: boolean;
}

interface StoredMessage {
  readonly receivedAt: number;
  frozen: boolean;
  readonly versions: MessageVersion[];
}

/**
 * The in-transit messages of the emulator, with their update history.
 *
 * @example
 * ```ts
 * const store = new MessageStore(systemClock);
 * const id = store.load(Buffer.from('From: a@b.example\r\n\r\nhi\r\n'));
 * store.current(id).content;
 * ```
 */
export class MessageStore {
  private readonly messages = new Map<string, StoredMessage>();

  constructor(private readonly clock: Clock) {}

  /** Adds a message and returns its id. */
  load(content: Uint8Array, options: LoadOptions = {}): string {
    const id = options.messageId ?? newMessageId();
    if (!MESSAGE_ID_PATTERN.test(id))
      throw new LocalStackError(`message id "${id}" does not match [a-z0-9-]{1,120}`);
    if (this.messages.has(id)) throw new LocalStackError(`message id "${id}" is already loaded`);
    const at = this.clock.now();
    const version: MessageVersion = { version: 0, content: Buffer.from(content), at, source: 'load' };
    this.messages.set(id, {
      receivedAt: options.receivedAt ?? at,
      frozen: options.frozen ?? false,
      versions: [version],
    });
    return id;
  }

  /** The current version, as GetRawMessageContent sees it; ResourceNotFoundException when unknown or expired. */
  current(id: string): MessageVersion {
    return this.live(id).versions.at(-1) as MessageVersion;
  }

  /** Replaces the message (an accepted PutRawMessageContent); MessageFrozen when frozen. */
  update(id: string, content: Buffer, source: VersionSource): MessageVersion {
    this.assertWritable(id);
    const message = this.live(id);
    const version: MessageVersion = {
      version: message.versions.length,
      content,
      at: this.clock.now(),
      source,
    };
    message.versions.push(version);
    return version;
  }

  /** Throws the API error an update of `id` gets before its content is looked at. */
  assertWritable(id: string): void {
    if (this.live(id).frozen)
      throw new FlowApiError('MessageFrozen', `Message ${id} is not eligible for update.`);
  }

  /** Marks a message frozen (or not). */
  setFrozen(id: string, frozen = true): void {
    this.known(id).frozen = frozen;
  }

  /** Every version of a message, expired or not, oldest first. */
  history(id: string): MessageVersion[] {
    return [...this.known(id).versions];
  }

  /** Drops a message and its history (long replays keep memory bounded); later requests for it get 404. */
  forget(id: string): void {
    this.messages.delete(id);
  }

  /** Ids of every message loaded, expired or not. */
  ids(): string[] {
    return [...this.messages.keys()];
  }

  private known(id: string): StoredMessage {
    const message = this.messages.get(id);
    if (!message) throw new LocalStackError(`no message with id "${id}" was loaded`);
    return message;
  }

  private live(id: string): StoredMessage {
    const message = this.messages.get(id);
    if (!message || this.clock.now() - message.receivedAt >= MESSAGE_TTL_MS) {
      throw new FlowApiError('ResourceNotFoundException', `Message ${id} was not found.`);
    }
    return message;
  }
}
