import { type Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isPreconditionFailed, requireDelimited } from '@wmflow/core';
import { LocalStackError } from '../errors.js';
import { quotedEtag, type S3Place } from './quarantine.js';

/**
 * Writes a quarantined message to `out`, byte for byte, and resolves only when all of it was written: an answer
 * that is not the whole object (a part, a compressed copy, no length) or a body cut on its way rejects with a
 * {@link LocalStackError} saying so — what was written then is not the message (fault round 52). With `etag` (as
 * `list` printed it) only that object is written (IfMatch): another stored under the key since writes nothing and
 * rejects, so what is reviewed is what `release --etag` releases (fault round 53). S3's own errors are passed on as
 * they are.
 *
 * @example
 * ```ts
 * await showMessage(new S3Client({}), s3Place('s3://acme-inbound/quarantine/abc'), process.stdout, { etag: '"9b2c…"' });
 * ```
 */
export async function showMessage(
  s3: S3Client,
  message: S3Place,
  out: Writable,
  options: { etag?: string } = {},
): Promise<void> {
  const place = `s3://${message.bucket}/${message.key}`;
  const listed = options.etag === undefined ? undefined : quotedEtag(options.etag);
  const got = await s3
    .send(
      new GetObjectCommand({
        Bucket: message.bucket,
        Key: message.key,
        ...(listed === undefined ? {} : { IfMatch: listed }),
      }),
    )
    .catch(async (error: unknown) => {
      if (listed === undefined || !isPreconditionFailed(error)) throw error;
      const now = await s3.send(new HeadObjectCommand({ Bucket: message.bucket, Key: message.key })).then(
        (h) => h.ETag ?? 'none',
        () => 'unknown',
      );
      throw new LocalStackError(
        `${place}: it changed since it was listed (ETag now ${now}, listed ${listed}): nothing written`,
      );
    });
  // S3 answers IfMatch with that object or 412: another ETag is not the object asked for, whatever answered.
  if (listed !== undefined && got.ETag !== listed)
    throw new LocalStackError(
      `${place}: asked for ETag ${listed}, answered with ${got.ETag ?? 'none'}: nothing written`,
    );
  let written = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      written += chunk.length;
      done(null, chunk);
    },
  });
  try {
    const body = requireDelimited(got.Body as Readable, `GetObject ${place}`, {
      lengthRequired: true,
    });
    await pipeline(body, count, out, { end: false });
  } catch (error) {
    throw new LocalStackError(
      `${place}: not the whole message (${(error as Error).message}); what was written is not the message`,
      { cause: error },
    );
  }
  if (written !== got.ContentLength)
    throw new LocalStackError(
      `${place}: read ${written} of the ${got.ContentLength} bytes S3 announced; what was written is not the message`,
    );
}
