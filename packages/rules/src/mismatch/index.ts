import {
  type Condition,
  ConfigError,
  checkOptionNames,
  domainOf,
  type MailAddress,
  sameAddress,
} from '@wmflow/core';

/** Fields compared with the header From. */
export type MismatchField = 'envelope' | 'sender' | 'reply-to';

/** Options of {@link senderMismatch}. */
export interface SenderMismatchOptions {
  /** Which fields to compare with the header From. Default all three. */
  compare?: readonly MismatchField[];
  /**
   * `address`: mailboxes must be equal; `domain`: domains equal; `relaxed` (default): one domain is the
   * other or a subdomain of it (bounce subdomains of the same sender align, as in DMARC relaxed mode).
   */
  level?: 'address' | 'domain' | 'relaxed';
}

const FIELDS: readonly MismatchField[] = ['envelope', 'sender', 'reply-to'];

/**
 * True when the envelope sender, the Sender header or a Reply-To differs from the header From at the
 * chosen level: the classic shape of reply-diversion and spoofing mail. Absent fields (null sender, no
 * Sender, no Reply-To) do not count as mismatches. Reads only the header block.
 *
 * @example
 * ```ts
 * when(all(senderIsExternal(), senderMismatch({ compare: ['reply-to'] })), tagExternal({ subjectTag: '[CHECK REPLY-TO]' }))
 * ```
 */
export function senderMismatch(options: SenderMismatchOptions = {}): Condition {
  checkOptionNames('senderMismatch', options, { compare: true, level: true });
  const compare = options.compare ?? FIELDS;
  if (!Array.isArray(compare) || compare.length === 0 || compare.some((f) => !FIELDS.includes(f))) {
    throw new ConfigError('compare', `must list some of ${FIELDS.join(', ')}`);
  }
  const level = options.level ?? 'relaxed';
  if (!['address', 'domain', 'relaxed'].includes(level))
    throw new ConfigError('level', 'must be address, domain or relaxed');
  return async (ctx) => {
    const headers = await ctx.message.headers();
    const from = headers.from[0]?.address;
    if (!from) return true; // no From at all is as suspicious as a mismatch
    const others: string[] = [];
    if (compare.includes('envelope') && ctx.envelope.mailFrom) others.push(ctx.envelope.mailFrom);
    if (compare.includes('sender')) others.push(...addressesOf(headers.sender));
    if (compare.includes('reply-to')) others.push(...addressesOf(headers.replyTo));
    return others.some((o) => !aligned(from, o, level));
  };
}

function addressesOf(list: MailAddress[]): string[] {
  return list.map((a) => a.address).filter((a) => a !== '');
}

function aligned(a: string, b: string, level: 'address' | 'domain' | 'relaxed'): boolean {
  if (level === 'address') return sameAddress(a, b);
  const da = domainOf(a);
  const db = domainOf(b);
  if (da === '' || db === '') return false;
  if (level === 'domain') return da === db;
  return da === db || da.endsWith(`.${db}`) || db.endsWith(`.${da}`);
}
