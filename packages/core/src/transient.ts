import { WmflowError } from './errors.js';

/**
 * A failure that is not the rule's fault and that a retry may cure: throttling, a 5xx answer, a reset
 * connection, a timeout, an answer Node's HTTP parser refuses, an S3 upload that arrived incomplete or met
 * another at its key, a message body that arrived short, long or changed between two reads. It fails
 * the invocation whatever the rule's error policy, so WorkMail retries it and, after its rule timeout,
 * applies the rule's fallback action. A protection never decides a verdict from a transfer that failed.
 *
 * @example
 * ```ts
 * throw new TransientError('GetRawMessageContent throttled after the SDK retries', { cause: error });
 * ```
 */
export class TransientError extends WmflowError {
  override name = 'TransientError';
}

const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'InternalServerException',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'BadGateway',
  'AbortError',
  // S3 answers to a request that went wrong on its way, or that met another request at the same key: the same
  // request may succeed on a later try.
  'IncompleteBody',
  'BadDigest',
  // A signed payload changed on its way: S3's hash of what arrived is not the one signed (fault round 73).
  'XAmzContentSHA256Mismatch',
  'ConditionalRequestConflict',
  'OperationAborted',
]);

// The service could not authenticate the request: credentials out of date, rotated or revoked (S3's
// InvalidAccessKeyId and InvalidToken, the JSON protocols' UnrecognizedClientException, the query protocols'
// InvalidClientTokenId), a signature it does not match, or one dated outside its window (a clock off: the SDK
// corrects its offset from the answer's Date and tries once more, and may still fail). An answer about who signed
// and when, never about the message: the next invocation signs afresh, maybe on another container (fault rounds 64
// and 78).
const REFUSED_SIGNATURE_NAMES = new Set([
  'RequestTimeTooSkewed',
  'ExpiredToken',
  'ExpiredTokenException',
  'TokenRefreshRequired',
  'InvalidAccessKeyId',
  'InvalidToken',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'IncompleteSignature',
  'IncompleteSignatureException',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'RequestExpired',
  'RequestInTheFuture',
  'AuthFailure',
]);

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
]);

// The function's own machine could not make the connection: the process out of file descriptors (a warm container
// whose code leaked them), the system's file table, socket buffers or local ports exhausted. The machine's state, not
// an answer about the message (fault round 79): a guard so refused GetRawMessageContent bounced a clean message as
// "could not be checked for viruses".
const LOCAL_RESOURCE_CODES = new Set(['EMFILE', 'ENFILE', 'ENOBUFS', 'ENOMEM', 'EADDRNOTAVAIL']);

// Node's HTTP parser refused an answer (a garbled status line, a duplicate Content-Length): a transfer that
// went wrong, not an answer about the message.
const HTTP_PARSE_ERROR = /^HPE_[A-Z_]+$/;

// The SDK's checksum check of an answer's body (`x-amz-checksum-*`, on by default and in template.yaml) fails with a
// plain `Error` that has no name or code of its own: a byte changed on its way, or the answer closed before its end.
// Both are transfers that went wrong, which a second read cures (fault round 73).
const SDK_CHECKSUM_STREAM =
  /^(Checksum mismatch: expected "[^"]*" but received "[^"]*" in response header "x-amz-checksum-[a-z0-9]+"\.|Connection lost or stream closed before all data was received\.)$/;

/**
 * True when `error` (or an error in its `cause` chain) is transient: a {@link TransientError}, an AWS
 * throttling or 5xx answer, a network or timeout error, a connection the function's machine could not make (out of
 * file descriptors, buffers or local ports), the SDK's checksum check of an answer's body failing
 * (a byte changed on its way, or the answer closed before its end), or a request the service could not
 * authenticate (credentials expired, rotated or revoked, a signature not matched or out of its time window). The SDK has already retried these when they
 * reach a rule, so the invocation fails instead of the rule's error policy deciding.
 *
 * @example
 * ```ts
 * if (isTransient(error)) throw error; // let WorkMail retry the invocation
 * ```
 */
export function isTransient(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 8; depth++) {
    if (e instanceof TransientError) return true;
    const x = e as {
      name?: string;
      code?: string;
      $metadata?: { httpStatusCode?: number };
      $retryable?: unknown;
      cause?: unknown;
    };
    if (x.name && (TRANSIENT_NAMES.has(x.name) || REFUSED_SIGNATURE_NAMES.has(x.name))) return true;
    if (
      x.code &&
      (NETWORK_CODES.has(x.code) || LOCAL_RESOURCE_CODES.has(x.code) || HTTP_PARSE_ERROR.test(x.code))
    )
      return true;
    const message = (e as { message?: unknown }).message;
    if (x.name === 'Error' && typeof message === 'string' && SDK_CHECKSUM_STREAM.test(message)) return true;
    const status = x.$metadata?.httpStatusCode;
    if (status !== undefined && (status === 429 || status >= 500)) return true;
    if (x.$retryable) return true;
    e = x.cause;
  }
  return false;
}

const DENIED_NAMES = new Set(['AccessDenied', 'AccessDeniedException']);

/**
 * The AWS service's own refusal of a call the function's role does not allow (S3 `AccessDenied`, `403` with S3's
 * error code; `AccessDeniedException` from Message Flow), or of a request it could not authenticate (credentials
 * expired, rotated or revoked, a signature not matched, a clock off: fault round 78), as one line for the log that
 * names the call and what an operator fixes; `undefined` for any other error. A deployment fault says nothing about the message: the caller
 * fails the invocation with it (WorkMail retries, then applies the rule's fallback action) rather than answer as if
 * a protection had decided (fault round 76). `then` says what the caller does instead, when that is not WorkMail's
 * retry (the SES flows: a hold, a bounce not sent; fault round 77).
 *
 * @example
 * ```ts
 * const denied = deniedByPolicy(error, 'PutObject s3://updates/wmflow-updates/x');
 * if (denied) throw new TransientError(denied, { cause: error });
 * ```
 */
export function deniedByPolicy(
  error: unknown,
  call: string,
  then = "the invocation fails so that WorkMail retries it and, after the rule's timeout, applies the rule's fallback action",
): string | undefined {
  const name = (error as { name?: string } | undefined)?.name;
  if (!name) return undefined;
  const detail = error instanceof Error ? error.message : String(error);
  // Credentials or a clock the service refused (fault round 78): as little about the message as a policy's refusal.
  if (REFUSED_SIGNATURE_NAMES.has(name))
    return `${call} refused by AWS (${name}: ${detail}): the request's credentials or signature were not accepted (credentials expired, rotated or revoked, or the function's clock off by more than AWS allows), which says nothing about the message; ${then}`;
  if (!DENIED_NAMES.has(name)) return undefined;
  return `${call} refused by AWS (${name}: ${detail}): the function's IAM role (or the bucket's or key's policy) does not allow this call; fix the deployment's policy (docs/deploy.md, "Least privilege, as deployed"); ${then}`;
}
