const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// S3 refuses a bucket named as an IPv4 address.
const IP = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
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
  return bucketNameProblem(name) === undefined;
}

const RULES =
  'a bucket name is 3 to 63 lower-case letters, digits, dots and hyphens, beginning and ending with a letter or digit';

/**
 * What makes `name` no S3 bucket name, said for a person (the name and every rule it breaks, then the rules), or
 * undefined for a valid one (newcomer round 10: `must be an S3 bucket name` alone said neither). Two dots in a row
 * and an IP address are refused too, as S3 refuses them.
 *
 * @example
 * ```ts
 * bucketNameProblem('corp-journal');   // undefined
 * bucketNameProblem('Journal_Bucket'); // '"Journal_Bucket" has capital letters and "_" (a bucket name is 3 to 63 …)'
 * ```
 */
export function bucketNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string')
    return `is ${name === undefined ? 'not given' : `a ${typeof name}`} (${RULES})`;
  if (BUCKET.test(name) && !name.includes('..') && !IP.test(name)) return undefined;
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
  const problems: string[] = [];
  if (name.length < 3 || name.length > 63) problems.push(`is ${name.length} characters long`);
  const has: string[] = [];
  if (/[A-Z]/.test(name)) has.push('capital letters');
  const others = [...new Set(name.slice(0, 200).replace(/[a-zA-Z0-9.-]/g, ''))].slice(0, 5);
  has.push(...others.map((c) => JSON.stringify(c)));
  if (name.includes('..')) has.push('two dots in a row');
  if (has.length > 0) problems.push(`has ${has.join(' and ')}`);
  if (IP.test(name)) problems.push('is an IP address');
  if (name !== '' && !/^[a-zA-Z0-9]/.test(name)) problems.push(`begins with ${JSON.stringify(name[0])}`);
  if (name.length > 1 && !/[a-zA-Z0-9]$/.test(name))
    problems.push(`ends with ${JSON.stringify(name.at(-1))}`);
  return `${shown} ${problems.join(', ') || 'is no bucket name'} (${RULES})`;
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
