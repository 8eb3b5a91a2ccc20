import { type SESClient, SendBounceCommand } from '@aws-sdk/client-ses';
import { deniedByPolicy } from '../transient.js';
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
    // Beneath the SDK's reading of each answer: the request id an error document names, kept on the answer for
    // notSent (the SDK keeps only the header's, or the document's when there is no header).
    command.middlewareStack.add(
      (next) => async (input) => {
        const result = await next(input);
        const response = result.response as DocumentNamed;
        if (response.statusCode >= 400 && response.statusCode < 500 && response.body !== undefined) {
          const bytes = await bodyBytes(response.body);
          response.body = bytes;
          response[DOCUMENT_REQUEST_ID] = /<RequestId>([^<]*)<\/RequestId>/.exec(
            new TextDecoder().decode(bytes),
          )?.[1];
        }
        return result;
      },
      { step: 'deserialize', priority: 'low', name: 'wmflowSendBounceRequestId' },
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
    // A role without ses:SendBounce on the sender's identity: said as the deployment's fault (fault round 77).
    const denied = deniedByPolicy(
      error,
      `SendBounce from ${args.sender}`,
      'no bounce was sent and the message stays stopped',
    );
    return {
      status: 'failed',
      reason: denied ?? (error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
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

/**
 * Errors that show SES did not carry the call out: SES's own refusal, or no connection. SES's refusal is a 4xx with its
 * error code that names the request it refused, in its `x-amzn-RequestId` header and in its error document alike:
 * a 4xx in SES's shape without that (something in between answering with its own Throttling or AccessDenied, maybe
 * after SES sent the bounce) proves nothing, and is not sent again (fault round 57).
 */
function notSent(error: unknown): boolean {
  const e = error as {
    Code?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: number };
    $response?: DocumentNamed;
  };
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 400 && status < 500 && typeof e.Code === 'string')
    return namesItsRequest(e.$response?.headers, e.$response?.[DOCUMENT_REQUEST_ID]);
  return typeof e?.code === 'string' && NOT_CONNECTED.has(e.code);
}

/** Whether an error answer names one request, in SES's header and in its document. */
function namesItsRequest(
  headers: Record<string, string | undefined> | undefined,
  documentId: unknown,
): boolean {
  const header = Object.entries(headers ?? {}).find(
    ([name]) => name.toLowerCase() === 'x-amzn-requestid',
  )?.[1];
  return typeof header === 'string' && header !== '' && header === documentId;
}

const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

const DOCUMENT_REQUEST_ID = Symbol('wmflow.documentRequestId');

/** An HTTP answer as the SDK's transport gives it, with the request id its error document names. */
interface DocumentNamed {
  statusCode: number;
  headers?: Record<string, string | undefined>;
  body?: unknown;
  [DOCUMENT_REQUEST_ID]?: string | undefined;
}

/** An answer's body, read whole (an error document: small), to be read again by the SDK. */
async function bodyBytes(body: unknown): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return new TextEncoder().encode(body);
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>)
    chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}
