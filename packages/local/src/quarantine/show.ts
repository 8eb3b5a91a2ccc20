import { type Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { requireDelimited } from '@wmflow/core';
import { LocalStackError } from '../errors.js';
import type { S3Place } from './quarantine.js';

/**
 * Writes a quarantined message to `out`, byte for byte, and resolves only when all of it was written: an answer
 * that is not the whole object (a part, a compressed copy, no length) or a body cut on its way rejects with a
 * {@link LocalStackError} saying so — what was written then is not the message (fault round 52). S3's own errors
 * are passed on as they are.
 *
 * @example
 * ```ts
 * await showMessage(new S3Client({}), s3Place('s3://acme-inbound/quarantine/abc'), process.stdout);
 * ```
 */
export async function showMessage(s3: S3Client, message: S3Place, out: Writable): Promise<void> {
  const place = `s3://${message.bucket}/${message.key}`;
  const got = await s3.send(new GetObjectCommand({ Bucket: message.bucket, Key: message.key }));
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
