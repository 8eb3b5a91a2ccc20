import { LocalStackError } from '../errors.js';

type FieldCheck = (value: unknown) => string | undefined;

const isStrings = (value: unknown): boolean =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');
/** `["<value>"]` when a single string stands where a list belongs, else `[…]`. */
const listOf = (value: unknown): string => (typeof value === 'string' ? JSON.stringify([value]) : '[…]');
const isBoolean = (value: unknown): boolean => typeof value === 'boolean';
const EDIT_STATUSES = ['none', 'committed', 'skipped', 'failed', 'unknown'];

/** What each field takes, as said to the writer of the file; `undefined` when the value is of that form. */
const FIELDS: Record<string, FieldCheck> = {
  mailFrom: (v) => (typeof v === 'string' ? undefined : 'an address, "a@corp.example"'),
  recipients: (v) => (isStrings(v) ? undefined : `a list of addresses, ${listOf(v)}`),
  rulesFired: (v) => (isStrings(v) ? undefined : `a list of rule names, ${listOf(v)}`),
  rewritten: (v) => (isBoolean(v) ? undefined : 'true or false'),
  subjectPrefix: (v) => (typeof v === 'string' ? undefined : 'the text the Subject starts with'),
  journaled: (v) =>
    isBoolean(v) || (typeof v === 'number' && Number.isInteger(v) && v >= 0)
      ? undefined
      : 'true, false or a number of objects',
  error: (v) =>
    isBoolean(v) || typeof v === 'string'
      ? undefined
      : "true, false, or the error's name or part of its message",
  failures: (v) =>
    isBoolean(v) || (typeof v === 'number' && Number.isInteger(v) && v >= 0) || isStrings(v)
      ? undefined
      : `true, false, a count, or a list of rule names, ${listOf(v)}`,
  deadlineHit: (v) => (isBoolean(v) ? undefined : 'true or false'),
  description: (v) => (typeof v === 'string' ? undefined : 'text'),
};

/**
 * Refuses an expectation field of the wrong type when the file is read (newcomer round 8): a rule name where a list
 * of names belongs was compared letter by letter, `"2"` as a count never matched, and the failed check blamed the
 * handler. `verdicts` and `direction` are checked by the caller.
 *
 * @example
 * ```ts
 * checkFieldTypes({ rulesFired: 'junk-newsletters' }, 'mail/02.expect.json');
 * // LocalStackError: mail/02.expect.json: rulesFired: a list of rule names, ["junk-newsletters"] (got "junk-newsletters")
 * ```
 */
export function checkFieldTypes(expectation: Record<string, unknown>, where: string): void {
  for (const [field, value] of Object.entries(expectation)) {
    const wanted = FIELDS[field]?.(value);
    if (wanted !== undefined) refuse(where, field, wanted, value);
  }
  if ('headers' in expectation) checkHeaders(expectation.headers, where);
  if ('edit' in expectation) checkEdit(expectation.edit, where);
}

function checkHeaders(headers: unknown, where: string): void {
  const shown = 'true (present) or false (absent)';
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers))
    refuse(where, 'headers', `an object: header name → value, ${shown}`, headers);
  for (const [name, value] of Object.entries(headers as object))
    if (typeof value !== 'string' && typeof value !== 'boolean' && value !== null)
      refuse(where, `headers[${JSON.stringify(name)}]`, `a value, ${shown}`, value);
}

function checkEdit(edit: unknown, where: string): void {
  if (typeof edit === 'string' && EDIT_STATUSES.includes(edit)) return;
  const object = edit as { status?: unknown; reason?: unknown } | null;
  if (
    typeof object !== 'object' ||
    object === null ||
    Array.isArray(object) ||
    !EDIT_STATUSES.includes(object.status as string)
  )
    refuse(
      where,
      'edit',
      `${EDIT_STATUSES.slice(0, -1).join(', ')} or unknown, or { "status": …, "reason": … }`,
      edit,
    );
  if (object.reason !== undefined && typeof object.reason !== 'string')
    refuse(where, 'edit.reason', 'a part of the reason', object.reason);
}

function refuse(where: string, field: string, wanted: string, got: unknown): never {
  throw new LocalStackError(`${where}: ${field}: ${wanted} (got ${JSON.stringify(got)})`);
}
