import { type SESClient, SendBounceCommand } from '@aws-sdk/client-ses';
import type { SesResolution } from './disposition.js';

/** What became of the bounce: sent (with SES's id for it), or failed (with the reason). */
export type BounceOutcome = { status: 'sent'; bounceId: string } | { status: 'failed'; reason: string };

/**
 * Bounces the message for the resolution's recipients with one SendBounce (SES allows one call a second; a call
 * SES refused, throttled, is retried by the SDK, one that may have reached SES is not),
 * given `timeoutMs` (what is left before SES stops waiting for the answer): the call and the SDK's retries are
 * aborted then. Never throws: a failure is returned, and the message stays stopped (not knowing is not
 * allowing).
 */
export async function sendBounce(
  ses: SESClient,
  args: {
    messageId: string;
    sender: string;
    senderArn?: string;
    bounce: NonNullable<SesResolution['bounce']>;
    timeoutMs: number;
  },
): Promise<BounceOutcome> {
  if (!(args.timeoutMs > 0)) return { status: 'failed', reason: 'no time left before SES stops waiting' };
  try {
    const command = new SendBounceCommand({
      OriginalMessageId: args.messageId,
      BounceSender: args.sender,
      ...(args.senderArn ? { BounceSenderArn: args.senderArn } : {}),
      Explanation: args.bounce.explanation,
      BouncedRecipientInfoList: args.bounce.recipients.map((Recipient) => ({
        Recipient,
        BounceType: 'ContentRejected',
      })),
    });
    // Inside the SDK's retry loop, around each attempt: an attempt that may have reached SES ends the retries.
    command.middlewareStack.add(
      (next) => async (input) => {
        try {
          return await next(input);
        } catch (error) {
          if (notSent(error)) throw error;
          throw new BounceMaybeSent(error);
        }
      },
      { step: 'finalizeRequest', priority: 'low', name: 'wmflowSendBounceOnce' },
    );
    const out = await ses.send(command, { abortSignal: AbortSignal.timeout(args.timeoutMs) });
    // SES names every bounce it sends: an answer without the name is no proof one was sent (fault round 41), nor
    // that none was (something in between may answer 200 after SES sent it: fault round 56). Not sent again.
    if (!out.MessageId)
      return {
        status: 'failed',
        reason: `SendBounce answered without a MessageId: ${MAYBE_SENT}`,
      };
    return { status: 'sent', bounceId: out.MessageId };
  } catch (error) {
    return {
      status: 'failed',
      reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
}

/**
 * A SendBounce attempt that may have reached SES, its answer lost (a reset, a timeout, a 5xx, a page from something
 * in between). SendBounce is not idempotent (SES sends a bounce per call it carries out, and takes no token), so it is
 * not sent again: the sender would get two bounces (fault round 49). Not retryable by the SDK: no code, no status, and
 * no `cause` (the SDK's retry looks into an error's cause for a transient one).
 */
class BounceMaybeSent extends Error {
  override name = 'SendBounceUnanswered';
  constructor(lost: unknown) {
    const e = lost as { name?: unknown; message?: unknown };
    super(
      `SendBounce may have been sent, its answer lost (${String(e?.name)}: ${String(e?.message)}); not sent again, as each call is a bounce`,
    );
  }
}

const MAYBE_SENT = 'it may have been sent; not sent again, as each call is a bounce';

/** Errors that show SES did not carry the call out: SES's own refusal (a 4xx with its error code), or no connection. */
function notSent(error: unknown): boolean {
  const e = error as { Code?: unknown; code?: unknown; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 400 && status < 500 && typeof e.Code === 'string') return true;
  return typeof e?.code === 'string' && NOT_CONNECTED.has(e.code);
}

const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
