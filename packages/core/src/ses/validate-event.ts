import { EventValidationError } from '../errors.js';
import type { SesMessage, SesVerdictStatus } from './event.js';

const STATUSES: readonly string[] = ['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED'];
const VERDICTS = ['spamVerdict', 'virusVerdict', 'spfVerdict', 'dkimVerdict', 'dmarcVerdict'] as const;

/**
 * Checks that `input` is the event of an SES receipt rule's Lambda action and returns its `ses` part typed.
 * Missing or mistyped fields throw one {@link EventValidationError} naming the path.
 *
 * @example
 * ```ts
 * const { mail, receipt } = parseSesEvent(event);
 * ```
 */
export function parseSesEvent(input: unknown): SesMessage {
  const records = record(input, '$').Records;
  if (!Array.isArray(records) || records.length !== 1) {
    throw new EventValidationError('Records', 'an array of one record', records);
  }
  const first = record(records[0], 'Records[0]');
  if (first.eventSource !== 'aws:ses') {
    throw new EventValidationError('Records[0].eventSource', '"aws:ses"', first.eventSource);
  }
  const ses = record(first.ses, 'ses');
  const mail = record(ses.mail, 'ses.mail');
  const receipt = record(ses.receipt, 'ses.receipt');
  string(mail.source, 'ses.mail.source');
  const id = string(mail.messageId, 'ses.mail.messageId');
  // The id names the S3 object: only SES's alphabet, never a path.
  if (!/^[A-Za-z0-9-]{1,200}$/.test(id))
    throw new EventValidationError('ses.mail.messageId', 'an SES message id', id);
  strings(mail.destination, 'ses.mail.destination');
  if (!Array.isArray(mail.headers))
    throw new EventValidationError('ses.mail.headers', 'an array', mail.headers);
  mail.headers.forEach((h, i) => {
    const header = record(h, `ses.mail.headers[${i}]`);
    string(header.name, `ses.mail.headers[${i}].name`);
    string(header.value, `ses.mail.headers[${i}].value`);
  });
  record(mail.commonHeaders, 'ses.mail.commonHeaders');
  const recipients = strings(receipt.recipients, 'ses.receipt.recipients');
  if (recipients.length === 0) {
    throw new EventValidationError('ses.receipt.recipients', 'at least one recipient', recipients);
  }
  // A verdict the receipt does not carry is no verdict (DISABLED), as a missing X-SES header is on WorkMail: an
  // event refused for it was answered CONTINUE, every protection skipped (attacker round 80). The event is not
  // changed: the parsed record is a copy.
  const verdicts: Record<string, { status: SesVerdictStatus }> = {};
  for (const name of VERDICTS) {
    const given = receipt[name];
    verdicts[name] =
      given === undefined || given === null
        ? { status: 'DISABLED' }
        : { ...record(given, `ses.receipt.${name}`), status: status(given, `ses.receipt.${name}`) };
  }
  return { ...ses, receipt: { ...receipt, ...verdicts } } as unknown as SesMessage;
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EventValidationError(path, 'an object', value);
  }
  return value as Record<string, unknown>;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new EventValidationError(path, 'a string', value);
  return value;
}

function strings(value: unknown, path: string): string[] {
  if (!Array.isArray(value)) throw new EventValidationError(path, 'an array of addresses', value);
  value.forEach((v, i) => {
    string(v, `${path}[${i}]`);
  });
  return value as string[];
}

function status(value: unknown, path: string): SesVerdictStatus {
  const s = record(value, path).status;
  if (typeof s !== 'string' || !STATUSES.includes(s)) {
    throw new EventValidationError(`${path}.status`, STATUSES.join(' | '), s);
  }
  return s as SesVerdictStatus;
}
