import { TransientError } from '../transient.js';

/** Why the bytes of a message cannot be trusted. */
export type MessageReadFailure =
  | 'source'
  | 'short'
  | 'long'
  | 'changed'
  | 'closed'
  | 'spill'
  | 'empty'
  | 'not-mail';

/**
 * The message could not be read whole and unchanged: the source failed mid-body (`source`), ended before
 * or went past the length it announced (`short`, `long`), a second fetch was not the same message
 * (`changed`), it answered no bytes at all (`empty`) or bytes no message begins with (`not-mail`: a page or
 * document from something in between, in a 200), the message was read after the invocation closed it (`closed`), or its bytes could not be
 * kept in the temporary file (`spill`: disk full, folder gone). Sticky: once a message
 * has failed, every later read of it throws this error again. Transient, so the invocation fails and
 * WorkMail retries it; never a shorter "message".
 *
 * @example
 * ```ts
 * if (error instanceof MessageReadError && error.reason === 'short') console.error(error.message);
 * ```
 */
export class MessageReadError extends TransientError {
  override name = 'MessageReadError';
  constructor(
    readonly reason: MessageReadFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
