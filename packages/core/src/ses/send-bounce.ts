import { type SESClient, SendBounceCommand } from '@aws-sdk/client-ses';
import type { SesResolution } from './disposition.js';

/** What became of the bounce: sent (with SES's id for it), or failed (with the reason). */
export type BounceOutcome = { status: 'sent'; bounceId: string } | { status: 'failed'; reason: string };

/**
 * Bounces the message for the resolution's recipients with one SendBounce (SES allows one call a second),
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
    const out = await ses.send(
      new SendBounceCommand({
        OriginalMessageId: args.messageId,
        BounceSender: args.sender,
        ...(args.senderArn ? { BounceSenderArn: args.senderArn } : {}),
        Explanation: args.bounce.explanation,
        BouncedRecipientInfoList: args.bounce.recipients.map((Recipient) => ({
          Recipient,
          BounceType: 'ContentRejected',
        })),
      }),
      { abortSignal: AbortSignal.timeout(args.timeoutMs) },
    );
    // SES names every bounce it sends: an answer without the name is no proof one was sent (fault round 41).
    if (!out.MessageId) return { status: 'failed', reason: 'SendBounce answered without a MessageId' };
    return { status: 'sent', bounceId: out.MessageId };
  } catch (error) {
    return {
      status: 'failed',
      reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
}
