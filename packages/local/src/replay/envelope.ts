import { authVerdicts, type Direction, isInternal, isMailbox, normalizeAddress } from '@wmflow/core';
import { MessageHeaders } from '@wmflow/core/mime';

/** Header blocks larger than this are cut (WorkMail's own limits are far below). */
const MAX_HEADER_BYTES = 1024 * 1024;

/**
 * What the event of a replayed message is made of, before overrides.
 *
 * @example
 * ```ts
 * const envelope = deriveEnvelope(bytes, { direction: 'INBOUND', organizationDomains: ['corp.example'] });
 * ```
 */
export interface DerivedEnvelope {
  mailFrom: string;
  recipients: string[];
  /** Set when a Sender header names someone other than From (send-on-behalf). */
  sender?: string;
  subject: string;
}

/**
 * The header block of a message: up to the first empty line, at most 1 MiB.
 *
 * @example
 * ```ts
 * new MessageHeaders(headerBlock(bytes)).subject;
 * ```
 */
export function headerBlock(bytes: Buffer): Buffer {
  if (bytes[0] === 0x0a || (bytes[0] === 0x0d && bytes[1] === 0x0a)) return Buffer.alloc(0);
  const limit = Math.min(bytes.length, MAX_HEADER_BYTES);
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < limit; i = bytes.indexOf(0x0a, i + 1)) {
    if (bytes[i + 1] === 0x0a) return bytes.subarray(0, i + 2);
    if (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) return bytes.subarray(0, i + 3);
  }
  return bytes.subarray(0, limit);
}

/**
 * Derives the SMTP envelope WorkMail would have seen from the message headers:
 * From (else Return-Path, else the null sender) as MAIL FROM, To, Cc and Bcc as
 * recipients, case-insensitively unique. For INBOUND with organization domains,
 * only recipients in those domains are kept, as WorkMail does. When nothing is
 * left, one placeholder recipient in the first organization domain stands in.
 *
 * @example
 * ```ts
 * deriveEnvelope(Buffer.from('From: a@x.example\r\nTo: b@corp.example\r\n\r\n'), { direction: 'INBOUND' });
 * // { mailFrom: 'a@x.example', recipients: ['b@corp.example'], subject: '' }
 * ```
 */
export function deriveEnvelope(
  bytes: Buffer,
  options: { direction: Direction; organizationDomains?: readonly string[] },
): DerivedEnvelope {
  const headers = new MessageHeaders(headerBlock(bytes));
  const domains = options.organizationDomains ?? [];
  const from = safe(() => headers.from[0]?.address) ?? '';
  const returnPath = (headers.get('return-path') ?? '').replace(/[<>\s]/g, '');
  const mailFrom = valid(from) ? from : valid(returnPath) ? returnPath : '';
  const seen = new Set<string>();
  const recipients: string[] = [];
  for (const name of ['to', 'cc', 'bcc']) {
    for (const { address } of safe(() => headers.addresses(name)) ?? []) {
      if (!valid(address) || seen.has(normalizeAddress(address))) continue;
      if (options.direction === 'INBOUND' && domains.length > 0 && !isInternal(address, domains)) continue;
      seen.add(normalizeAddress(address));
      recipients.push(address);
    }
  }
  if (recipients.length === 0) recipients.push(`recipient@${domains[0] ?? 'corp.example'}`);
  const envelope: DerivedEnvelope = { mailFrom, recipients, subject: safe(() => headers.subject) ?? '' };
  const sender = safe(() => headers.sender[0]?.address);
  if (sender && valid(sender) && normalizeAddress(sender) !== normalizeAddress(mailFrom)) {
    envelope.sender = sender;
  }
  return envelope;
}

/**
 * The direction a replayed message most likely had when none is given: INBOUND when the header block carries
 * what SES writes on mail it receives (its Authentication-Results, spam or virus verdicts, receipt), whatever
 * the From says — a sender writes its From, so a spoof of an organization address must not replay as
 * OUTBOUND and be skipped by an inbound-only function; else OUTBOUND when the envelope sender is in an
 * organization domain; else INBOUND.
 *
 * @example
 * ```ts
 * inferDirection(bytes, deriveEnvelope(bytes, { direction: 'INBOUND' }).mailFrom, ['corp.example']);
 * ```
 */
export function inferDirection(
  bytes: Buffer,
  mailFrom: string,
  organizationDomains: readonly string[],
): Direction {
  if (organizationDomains.length === 0 || !mailFrom || !isInternal(mailFrom, organizationDomains))
    return 'INBOUND';
  const headers = new MessageHeaders(headerBlock(bytes));
  const received = safe(() => {
    const v = authVerdicts(headers);
    return Boolean(
      v.authServId || v.unreadable || v.sesSpam || v.sesVirus || headers.get('x-ses-receipt') !== undefined,
    );
  });
  return received === false ? 'OUTBOUND' : 'INBOUND';
}

// What event validation accepts: a header the replay cannot turn into one (a group, garbage) is left out.
function valid(address: string | undefined): address is string {
  return typeof address === 'string' && address !== '' && isMailbox(address);
}

function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
