import { WmflowError } from '@wmflow/core/errors';

/**
 * The local stack could not do what was asked: a fixture that cannot be read,
 * an unknown message id, a server that failed to start.
 *
 * @example
 * ```ts
 * try { stack.flow.history('nope'); } catch (e) { if (e instanceof LocalStackError) console.log(e.message); }
 * ```
 */
export class LocalStackError extends WmflowError {
  override name = 'LocalStackError';
}

/**
 * The errors the emulator answers with, and their HTTP status. The first four
 * are the ones the `workmailmessageflow` service model declares;
 * `ThrottlingException` (429) is the name and status the AWS SDK's retry
 * strategy classifies as throttling; `ValidationException` answers input that
 * breaks the model's patterns; `InternalServerException` any 5xx fault; the
 * last three answer requests no SigV4-signed client would send.
 *
 * @example
 * ```ts
 * FLOW_API_ERRORS.ResourceNotFoundException; // 404
 * ```
 */
export const FLOW_API_ERRORS = {
  ResourceNotFoundException: 404,
  InvalidContentLocation: 400,
  MessageRejected: 400,
  MessageFrozen: 400,
  ThrottlingException: 429,
  ValidationException: 400,
  InternalServerException: 500,
  UnknownOperationException: 404,
  MissingAuthenticationTokenException: 403,
  InvalidSignatureException: 403,
} as const;

/**
 * The name of an error the emulator can answer with.
 *
 * @example
 * ```ts
 * const name: FlowApiErrorName = 'MessageRejected';
 * ```
 */
export type FlowApiErrorName = keyof typeof FLOW_API_ERRORS;

/**
 * An error answer of the Message Flow emulator: sent as the status, an
 * `x-amzn-errortype: <name>` header and a JSON `{"message": …}` body.
 *
 * @example
 * ```ts
 * throw new FlowApiError('MessageFrozen', 'message abc is not eligible for update');
 * ```
 */
export class FlowApiError extends WmflowError {
  override name = 'FlowApiError';
  /** HTTP status sent. */
  readonly status: number;

  constructor(
    /** The error name sent in `x-amzn-errortype`. */
    readonly errorType: FlowApiErrorName,
    message: string,
    status?: number,
  ) {
    super(message);
    this.status = status ?? FLOW_API_ERRORS[errorType];
  }
}
