import { Readable } from 'node:stream';
import {
  GetRawMessageContentCommand,
  type WorkMailMessageFlowClient,
} from '@aws-sdk/client-workmailmessageflow';
import { requireDelimited } from '../delimited-body.js';
import { WmflowError } from '../errors.js';
import { deniedByPolicy, TransientError } from '../transient.js';
import { isOwnClient } from './clients.js';
import { directGet } from './direct-get.js';
import { notWorkMailsAnswer } from './foreign-answer.js';

/**
 * The message is no longer readable (ResourceNotFoundException: gone, or older than 24 hours).
 *
 * @example
 * ```ts
 * if (error instanceof MessageNotFoundError) ctx.note('message expired');
 * ```
 */
export class MessageNotFoundError extends WmflowError {
  override name = 'MessageNotFoundError';
}

/**
 * Opens the raw MIME stream of an in-transit message with GetRawMessageContent.
 *
 * @example
 * ```ts
 * const message = new LazyMessage(workmailSource(client, event.messageId));
 * ```
 */
export function workmailSource(
  client: WorkMailMessageFlowClient,
  messageId: string,
  signal?: AbortSignal,
): () => Promise<Readable> {
  return async () => {
    try {
      // wmflow's own client: one plain signed GET; anything but a 200 goes through send() below.
      const direct = isOwnClient(client) ? await directGet(client, messageId, signal) : undefined;
      if (direct) return requireDelimited(direct, `GetRawMessageContent for ${messageId}`);
      const output = await client.send(
        new GetRawMessageContentCommand({ messageId }),
        signal ? { abortSignal: signal } : {},
      );
      const body = output.messageContent;
      if (body instanceof Readable) {
        // The HTTP response's Content-Length tells the spool whether a header-only read should stop the transfer.
        const length = Number(
          (body as Readable & { headers?: Record<string, string> }).headers?.['content-length'],
        );
        return requireDelimited(
          Object.assign(body, { contentLength: Number.isFinite(length) ? length : undefined }),
          `GetRawMessageContent for ${messageId}`,
        );
      }
      if (body && Symbol.asyncIterator in body) return Readable.from(body as AsyncIterable<Uint8Array>);
      throw new WmflowError(`GetRawMessageContent returned no stream for ${messageId}`);
    } catch (error) {
      if ((error as { name?: string }).name === 'ResourceNotFoundException') {
        throw new MessageNotFoundError(`message ${messageId} not found (expired or never existed)`, {
          cause: error,
        });
      }
      // The role may not read messages (fault round 76): not knowing the message is a deployment fault, which
      // fails the invocation loudly rather than let a protection bounce (or pass) every message unread.
      const denied = deniedByPolicy(error, `GetRawMessageContent for ${messageId}`);
      if (denied) throw new TransientError(denied, { cause: error });
      const status = notWorkMailsAnswer(error);
      if (status !== undefined)
        throw new TransientError(
          `GetRawMessageContent for ${messageId} was answered ${status} without an AWS error type: not WorkMail's answer, nothing about the message`,
          { cause: error },
        );
      throw error;
    }
  };
}
