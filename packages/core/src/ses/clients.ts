import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { requireDelimited } from '../delimited-body.js';
import { WmflowError } from '../errors.js';
import { MessageReadError } from '../message/read-error.js';
import { isPreconditionFailed } from '../s3/request-retry.js';
import { statedMd5 } from '../s3/stated-md5.js';
import { notS3sAnswer } from '../s3/stored-answer.js';
import { sharedS3Client } from '../s3-client.js';
import { deniedByPolicy, TransientError } from '../transient.js';
import { checkStoredDigest, heldToEnd } from './stored-digest.js';
import { checkStoredIdentity } from './stored-identity.js';

/** AWS clients an SES flow uses: S3 (the stored message) and SES (SendBounce). Inject your own in tests. */
export interface SesFlowClients {
  s3: S3Client;
  ses: SESClient;
}

let ses: SESClient | undefined;

/**
 * The clients for this Lambda container, created once; endpoints from the environment
 * (`AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL_SES` point them at the local emulators). The SES client keeps no
 * idle connection: SendBounce is not sent again once it may have reached SES, and a connection kept idle while
 * the container was frozen may have been closed by SES, its reset then indistinguishable from a lost answer.
 *
 * @example
 * ```ts
 * const { ses } = defaultSesClients();
 * ```
 */
export function defaultSesClients(): SesFlowClients {
  // Each SendBounce on a connection of its own (fault round 64): never one SES closed while the container was frozen.
  ses ??= new SESClient({
    requestHandler: {
      httpAgent: new http.Agent({ keepAlive: false }),
      httpsAgent: new https.Agent({ keepAlive: false }),
    },
  });
  return { s3: sharedS3Client(), ses };
}

/** Forgets the shared SES client (tests that change the environment between cases). */
export function resetDefaultSesClients(): void {
  ses = undefined;
}

/** Where the receipt rule's S3 action stores messages: the object key is `keyPrefix` + SES's message id. */
export interface StoredMessageOptions {
  bucket: string;
  /** The S3 action's object key prefix, e.g. `inbound/`. Default none. */
  keyPrefix?: string;
}

/**
 * Opens the message an S3 action stored, as a stream with its length (so a header-only read can stop early);
 * `signal` aborts the read (the request, or the body being read). With `receipt`, the object must be the
 * receipt's message: a Message-ID in its header block that is not the receipt's fails the read (fault round 52).
 * Each call after the first answer asks for that answer's object only (`If-Match` on its ETag): one stored again
 * in between fails the read, a {@link MessageReadError} `changed` (fault round 65).
 *
 * @example
 * ```ts
 * const message = new LazyMessage(storedMessageSource(s3, { bucket: 'mail', keyPrefix: 'inbound/' }, id));
 * ```
 */
export function storedMessageSource(
  s3: S3Client,
  where: StoredMessageOptions,
  messageId: string,
  signal?: AbortSignal,
  receipt?: { messageIdHeader?: string; maxHeaderBytes: number },
): () => Promise<Readable> {
  const key = `${where.keyPrefix ?? ''}${messageId}`;
  // The first answer's ETag: every later fetch of this invocation (a body read after a header read, a reader after
  // the journal's pass-on) must get the same object or none (fault round 65). The spool's own checks (the held
  // start's SHA-256, the handed-out tail's length and CRC-32) miss an object crafted to repeat a CRC-32.
  let pinned: string | undefined;
  let answered = false;
  return async () => {
    try {
      // The invocation's abort (its deadline) ends the request and its body: none outlives the answer.
      const output = await s3.send(
        new GetObjectCommand({
          Bucket: where.bucket,
          Key: key,
          ...(pinned ? { IfMatch: pinned } : {}),
          // The object's full checksum, checked by the SDK at the body's end whatever its response checksum setting:
          // under SSE-KMS the ETag states no MD5, and an answer cut with its length is told by nothing else (round 98).
          ChecksumMode: 'ENABLED',
        }),
        signal ? { abortSignal: signal } : {},
      );
      // The pin is checked here too, not left to the store: one that drops If-Match (something in between, an
      // S3-compatible store) answers the object stored now, and an answer without an ETag pins nothing; either way
      // a later reader got another object, checked by a tail CRC-32 that four bytes make repeat (fault round 87).
      const refetch = answered;
      answered = true;
      if (refetch && (!pinned || output.ETag !== pinned)) {
        (output.Body as { destroy?: () => unknown } | undefined)?.destroy?.();
        throw new MessageReadError(
          'changed',
          pinned
            ? `message fetched again is another object: s3://${where.bucket}/${key} answered ETag ${output.ETag ?? '(none)'} to If-Match ${pinned}`
            : `message fetched again cannot be told the same object: s3://${where.bucket}/${key} answered without an ETag`,
        );
      }
      pinned ??= output.ETag;
      const body = output.Body;
      // An answer delimited only by the connection's close could be a cut message: refused, as from WorkMail.
      if (body instanceof Readable) {
        const delimited = requireDelimited(
          Object.assign(body, { contentLength: output.ContentLength }),
          `GetObject s3://${where.bucket}/${key}`,
          { lengthRequired: true },
        );
        // A 200 whose length was cut with its body is delimited and short: the ETag's MD5 tells (fault round 87).
        const md5 = statedMd5(where.bucket, output);
        // Either way the last chunk waits for the body's whole end, where the SDK's checksum check fails it (round 98).
        const whole = md5
          ? checkStoredDigest(delimited, md5, `GetObject s3://${where.bucket}/${key}`)
          : heldToEnd(delimited, `GetObject s3://${where.bucket}/${key}`);
        if (!receipt) return whole;
        return checkStoredIdentity(
          whole,
          receipt.messageIdHeader,
          `s3://${where.bucket}/${key}`,
          receipt.maxHeaderBytes,
        );
      }
      throw new WmflowError(`s3://${where.bucket}/${key} returned no stream`);
    } catch (error) {
      if (error instanceof MessageReadError) throw error;
      if (pinned && isPreconditionFailed(error))
        throw new MessageReadError(
          'changed',
          `message fetched again is another object: s3://${where.bucket}/${key} was stored again since this invocation first read it (its ETag is no longer ${pinned})`,
          { cause: error },
        );
      if ((error as { name?: string }).name === 'NoSuchKey') {
        throw new WmflowError(
          `s3://${where.bucket}/${key} does not exist: the receipt rule needs an S3 action (bucket ${where.bucket}, prefix "${where.keyPrefix ?? ''}") before the Lambda action`,
          { cause: error },
        );
      }
      if ((error as { name?: string }).name === 'NoSuchBucket') {
        throw new WmflowError(
          `bucket ${where.bucket} does not exist: \`stored\` must name the bucket the receipt rule's S3 action stores the message in`,
          { cause: error },
        );
      }
      // The role may not read the stored message, or (without s3:ListBucket, which the templates do not grant) it
      // does not exist: S3 answers both AccessDenied. Not knowing the message is a deployment fault, never a
      // protection's verdict: a retryable error, which guard-ses holds and archiver-ses fails on (fault round 77).
      // Credentials or a signature S3 did not take (fault round 78) are no answer about the key either.
      const denied = deniedByPolicy(
        error,
        `GetObject s3://${where.bucket}/${key}`,
        (error as { name?: string }).name === 'AccessDenied'
          ? `or the key does not exist (S3 answers a missing key AccessDenied to a role without s3:ListBucket): the receipt rule needs an S3 action (bucket ${where.bucket}, prefix "${where.keyPrefix ?? ''}") before the Lambda action; the message was not read`
          : 'the message was not read',
      );
      if (denied) throw new TransientError(denied, { cause: error });
      const status = notS3sAnswer(error);
      if (status !== undefined)
        throw new TransientError(
          `GetObject s3://${where.bucket}/${key} was answered ${status} without an S3 error code: not S3's answer, nothing about the message`,
          { cause: error },
        );
      throw error;
    }
  };
}
