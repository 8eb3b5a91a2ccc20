const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// PutRawMessageContent's key pattern: letters, digits, '-' and '/' only (no dots or underscores).
const KEY_PART = /^[a-zA-Z0-9\-/]{1,900}$/;

/**
 * True for an S3 bucket name (3–63 lower-case letters, digits, dots and hyphens, starting and ending
 * with a letter or digit).
 *
 * @example
 * ```ts
 * isBucketName('corp-workmail-updates'); // true
 * isBucketName('Corp_Updates');          // false
 * ```
 */
export function isBucketName(name: string): boolean {
  return typeof name === 'string' && BUCKET.test(name);
}

/**
 * True for a key prefix PutRawMessageContent accepts: letters, digits, `-` and `/`, no leading or doubled `/`.
 *
 * @example
 * ```ts
 * isValidKeyPrefix('wmflow-updates'); // true
 * isValidKeyPrefix('updates_2026');   // false
 * ```
 */
export function isValidKeyPrefix(prefix: string): boolean {
  return KEY_PART.test(prefix) && !prefix.startsWith('/') && !prefix.includes('//');
}
