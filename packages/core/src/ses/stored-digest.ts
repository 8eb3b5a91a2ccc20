import { createHash } from 'node:crypto';
import { pipeline, type Readable, Transform, type TransformCallback } from 'node:stream';
import { MessageReadError } from '../message/read-error.js';

/**
 * `body` as read, checked at its end against the MD5 its ETag states (see {@link statedMd5}): bytes that are not the
 * object (an answer cut short with its Content-Length cut to match, fault round 87) fail the stream, a
 * {@link MessageReadError} `short`, at its end, its last chunk held back until then, so the reader never has them whole. A reader that stops early
 * (a header read) checks nothing. The body's `contentLength` is kept.
 *
 * @example
 * ```ts
 * const checked = checkStoredDigest(body, '9e107d9d372bb6826bd81d3542a419d6', 's3://mail/inbound/abc');
 * ```
 */
export function checkStoredDigest<T extends Readable & { contentLength?: number }>(
  body: T,
  md5: string,
  what: string,
): Readable & { contentLength?: number } {
  const hash = createHash('md5');
  let read = 0;
  // The last chunk is passed on only once the digest is checked: a reader (the journal's upload, its length the
  // answer's) never gets every byte it was promised of bytes that are not the object, so nothing stores them.
  let last: Buffer | undefined;
  const checker = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      hash.update(chunk);
      read += chunk.length;
      const previous = last;
      last = chunk;
      done(null, previous);
    },
    flush(done: TransformCallback) {
      const got = hash.digest('hex');
      if (got === md5) return done(null, last);
      done(
        new MessageReadError(
          'short',
          `${what} answered ${read} bytes whose MD5 is not the one its ETag states (${md5}): not the object as stored` +
            ' (or an object under SSE-KMS, DSSE-KMS or SSE-C whose answer lost its x-amz-server-side-encryption header)',
        ),
      );
    },
  });
  pipeline(body, checker, () => {});
  return Object.assign(checker, { contentLength: body.contentLength });
}

/**
 * `body` with its last chunk held back until the body has ended whole: a failure raised only at its end passes no
 * reader every byte first. The SDK checks the object's full checksum (`x-amz-checksum-crc64nvme`, `-crc32`, …, asked
 * for by `ChecksumMode`) only once the last byte has passed, so an answer cut with its Content-Length gave a reader (the
 * journal's PutObject, its length the answer's) every byte it was promised before the mismatch came, and S3 stored
 * the cut copy (fault round 98). A checksum mismatch fails the stream as a {@link MessageReadError} `short`; a reader
 * that stops early ends the read. The body's `contentLength` is kept.
 *
 * @example
 * ```ts
 * const held = heldToEnd(body, 'GetObject s3://mail/inbound/abc');
 * ```
 */
export function heldToEnd<T extends Readable & { contentLength?: number }>(
  body: T,
  what: string,
): Readable & { contentLength?: number } {
  let last: Buffer | undefined;
  const held = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      const previous = last;
      last = chunk;
      done(null, previous);
    },
    flush(done: TransformCallback) {
      done(null, last);
    },
  });
  body.on('error', (error: Error) => {
    held.destroy(
      /^Checksum mismatch/.test(error.message)
        ? new MessageReadError(
            'short',
            `${what} answered bytes whose checksum is not the one S3 states for the object (${error.message}): not the object as stored`,
            { cause: error },
          )
        : error,
    );
  });
  // A reader that stops early (a header read) or fails ends the S3 read too.
  held.once('close', () => body.destroy());
  body.pipe(held);
  return Object.assign(held, { contentLength: body.contentLength });
}
