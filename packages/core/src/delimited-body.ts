import { TransientError } from './transient.js';

/** An HTTP answer's body as Node's client gives it: a stream carrying the answer's headers. */
interface AnswerBody {
  headers?: Record<string, string | string[] | undefined>;
  destroy?(): unknown;
}

/**
 * Refuses an HTTP answer whose body ends where the connection closes (neither a Content-Length nor chunked
 * encoding, which HTTP/1.1 allows): a body cut by a clean close cannot be told from a whole one there. The
 * refusal is transient (a retry reads it again), so a cut message or stored copy is never taken for the whole
 * one. WorkMail and S3 always delimit their answers; a body without its headers (not Node's client) passes.
 *
 * @example
 * ```ts
 * const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
 * const body = requireDelimited(got.Body as Readable, `GetObject s3://${bucket}/${key}`);
 * ```
 */
export function requireDelimited<T extends AnswerBody>(body: T, what: string): T {
  const headers = body.headers;
  if (!headers || headers['content-length'] !== undefined) return body;
  if (/\bchunked\b/i.test(String(headers['transfer-encoding'] ?? ''))) return body;
  body.destroy?.();
  throw new TransientError(
    `${what} answered a body with neither a length nor chunked encoding: where it ends cannot be checked`,
  );
}
