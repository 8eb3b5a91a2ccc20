import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FlowApiError } from '../errors.js';

/**
 * Sends an error the way AWS rest-json services do: status, `x-amzn-errortype`
 * and a JSON body with `message`.
 *
 * @example
 * ```ts
 * sendError(res, new FlowApiError('MessageRejected', 'line 3 is too long'));
 * ```
 */
export function sendError(res: ServerResponse, error: unknown): number {
  const apiError =
    error instanceof FlowApiError
      ? error
      : new FlowApiError('InternalServerException', error instanceof Error ? error.message : String(error));
  const body = JSON.stringify({ message: apiError.message });
  res.writeHead(apiError.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-errortype': apiError.errorType,
    'x-amzn-requestid': randomUUID(),
  });
  res.end(body);
  return apiError.status;
}

/**
 * Reads a request body of at most `limit` bytes as JSON; ValidationException
 * when it is larger or not JSON.
 *
 * @example
 * ```ts
 * const input = await readJson(req, 64 * 1024);
 * ```
 */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req) {
    length += (chunk as Buffer).length;
    if (length > limit) throw new FlowApiError('ValidationException', `request body is over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (length === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new FlowApiError('ValidationException', 'request body is not valid JSON');
  }
}

/**
 * Checks that a request carries a SigV4 signature scoped to `workmailmessageflow`
 * (the signature itself is not verified).
 *
 * @example
 * ```ts
 * assertSigned(req); // throws MissingAuthenticationTokenException when unsigned
 * ```
 */
export function assertSigned(req: IncomingMessage): void {
  const authorization = req.headers.authorization;
  if (!authorization)
    throw new FlowApiError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  if (
    !/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/workmailmessageflow\/aws4_request/.test(
      authorization,
    )
  ) {
    throw new FlowApiError(
      'InvalidSignatureException',
      'The request must be signed with SigV4 for the service workmailmessageflow.',
    );
  }
}
