import { TransientError } from './transient.js';

/** An HTTP answer's body as Node's client gives it: a stream carrying the answer's headers. */
interface AnswerBody {
  statusCode?: number;
  headers?: Record<string, string | string[] | undefined>;
  destroy?(): unknown;
}

/**
 * Refuses an HTTP answer whose body ends where the connection closes (neither a Content-Length nor chunked
 * encoding, which HTTP/1.1 allows): a body cut by a clean close cannot be told from a whole one there. The
 * refusal is transient (a retry reads it again), so a cut message or stored copy is never taken for the whole
 * one. WorkMail and S3 always delimit their answers; a body without its headers (not Node's client) passes.
 * `lengthRequired` (S3 GetObject, which always answers with a Content-Length) refuses a chunked body too.
 * A part of the object (`206 Partial Content`, or any answer with a Content-Range) is refused the same way:
 * wmflow never asks for a range, and the SDK takes any 2xx for the whole object. So is a body with a
 * Content-Encoding (gzip, something in between compressing), or a transfer-coding besides `chunked`
 * (`deflate, chunked`, fault round 50): neither Node's client nor the SDK undoes it, so the
 * bytes read are not the message or the stored copy, and wmflow asks for none; and so is any status but 200 (203:
 * a transforming proxy's changed copy) (fault round 47).
 *
 * @example
 * ```ts
 * const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
 * const body = requireDelimited(got.Body as Readable, `GetObject s3://${bucket}/${key}`, { lengthRequired: true });
 * ```
 */
export function requireDelimited<T extends AnswerBody>(
  body: T,
  what: string,
  options: { lengthRequired?: boolean } = {},
): T {
  const headers = body.headers;
  if (body.statusCode === 206 || headers?.['content-range'] !== undefined) {
    body.destroy?.();
    throw new TransientError(
      `${what} answered a part of the object (${body.statusCode ?? 'no status'}, range ${headers?.['content-range'] ?? 'not given'}), not the whole of it`,
    );
  }
  // Any other 2xx is not the object as stored either: 203, a transforming proxy's changed copy (fault round 47).
  if (body.statusCode !== undefined && body.statusCode !== 200) {
    body.destroy?.();
    throw new TransientError(`${what} answered ${body.statusCode}, not 200: not the object as stored`);
  }
  // `aws-chunked` is the upload's framing, which S3 takes off before it stores the object: a store that echoes it
  // back does not apply it to the body.
  const encoding = String(headers?.['content-encoding'] ?? '').trim();
  const codings = encoding.split(',').map((c) => c.trim().toLowerCase());
  if (codings.some((c) => c !== '' && c !== 'identity' && c !== 'aws-chunked')) {
    body.destroy?.();
    throw new TransientError(
      `${what} answered a body with Content-Encoding ${JSON.stringify(encoding.slice(0, 60))}: the bytes read are not the object itself`,
    );
  }
  // The only transfer-coding an answer may carry is `chunked` alone. Node's client takes off that framing and nothing
  // else: a coding before it (`deflate, chunked`, `chunked, chunked`: wmflow sends no TE, so no server may use one)
  // stays on the body, and a value it does not take for chunked (`chunked;q=1`, `x-chunked`, `chunked ,`) leaves the
  // body read to the connection's close, framing and all, a cut not told from the end (fault round 50: zlib's
  // deflate and a chunk-size line begin with characters a header name may begin with).
  const transfer = String(headers?.['transfer-encoding'] ?? '').trim();
  const chunked = transfer.toLowerCase() === 'chunked';
  if (transfer !== '' && !chunked) {
    body.destroy?.();
    throw new TransientError(
      `${what} answered a body with Transfer-Encoding ${JSON.stringify(transfer.slice(0, 60))}: the bytes read are not the object itself`,
    );
  }
  if (!headers || headers['content-length'] !== undefined) return body;
  // A chunked body ends where the server says; S3 gives every GetObject a length, so from S3 one without it
  // (a chunked answer ended early by whatever sits in between) is not trusted either.
  if (!options.lengthRequired && chunked) return body;
  body.destroy?.();
  throw new TransientError(
    options.lengthRequired
      ? `${what} answered a body without a length (S3 always gives one): whether it is whole cannot be checked`
      : `${what} answered a body with neither a length nor chunked encoding: where it ends cannot be checked`,
  );
}
