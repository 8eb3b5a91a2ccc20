import { randomUUID } from 'node:crypto';

/**
 * The `messageIdType` pattern of the service model, anchored, with its 1–120 length.
 *
 * @example
 * ```ts
 * MESSAGE_ID_PATTERN.test('4c2d5f1e-0000-4000-8000-000000000001'); // true
 * ```
 */
export const MESSAGE_ID_PATTERN = /^[a-z0-9-]{1,120}$/;

/**
 * The `s3KeyIdType` pattern of the service model, anchored: no dots, no underscores.
 *
 * @example
 * ```ts
 * S3_KEY_PATTERN.test('updated/abc'); // true
 * S3_KEY_PATTERN.test('updated/abc.eml'); // false
 * ```
 */
export const S3_KEY_PATTERN = /^[a-zA-Z0-9\-/]{1,1024}$/;

/**
 * The `s3BucketIdType` pattern of the service model, anchored, with its 3–63 length.
 *
 * @example
 * ```ts
 * S3_BUCKET_PATTERN.test('wmflow-updates'); // true
 * ```
 */
export const S3_BUCKET_PATTERN = /^[a-z0-9][a-z0-9-]{2,62}$/;

/**
 * A fresh message id shaped like WorkMail's (a lower-case UUID).
 *
 * @example
 * ```ts
 * newMessageId(); // '0b1c…-…'
 * ```
 */
export function newMessageId(): string {
  return randomUUID();
}
