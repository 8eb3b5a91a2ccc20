import { normalizeDomain } from '@wmflow/core';

// Fields a client shows or acts on, which a replay of a message the organization signed could add when its signature
// does not cover them (attacker round 104): the addresses and subject, threading (`In-Reply-To`,
// `References`, Outlook's `Thread-Topic` / `Thread-Index` conversation heading), read-receipt and importance requests.
const SHOWN: ReadonlySet<string> = new Set([
  'from',
  'sender',
  'reply-to',
  'to',
  'cc',
  'subject',
  'in-reply-to',
  'references',
  'thread-topic',
  'thread-index',
  'disposition-notification-to',
  'return-receipt-to',
  'importance',
  'priority',
  'x-priority',
  'x-msmail-priority',
  'sensitivity',
]);
// Prefixes of shown fields: the headers an Exchange organization trusts as its own. Not `List-*`: a mailing list
// relaying the organization's signed post adds them (an unsubscribe button, not the message's words: round 104).
const SHOWN_PREFIXES = ['x-ms-exchange-organization-'];
// Shown fields that name the message rather than say anything in it: its date and identifier. Twilio SendGrid signs
// neither (`h=content-type:from:mime-version:subject:reply-to:x-feedback-id:to:cc:content-type:from:subject:to`), so
// the organization's own mail sent through it (and through Freshdesk and other services built on it) with delegated
// DKIM was taken for a replay (false-positive round 6). A replay that rewrites either shows the organization's signed
// words under another date or identifier, no more than a replay as is does (clients sort by arrival). Counted only
// when a signature lists them: then each instance present must be listed, as for the other shown fields. A second
// instance on top is refused by `shownFrom` either way (rounds 43 and 103).
const NAMING: ReadonlySet<string> = new Set(['date', 'message-id']);

/** A DKIM-Signature's tags as {@link signatureTags} reads them: names case-sensitive, values with white space removed. */
export type SignatureTags = ReadonlyMap<string, string>;

/**
 * The tags of a DKIM-Signature value (RFC 6376 3.2): `name=value` pairs split at `;`, names case-sensitive and
 * trimmed, folding white space removed from values. A tag written twice (an invalid signature) keeps every value,
 * joined by a space, so that a reader of one tag sees both. One pass over the value.
 *
 * @example
 * ```ts
 * signatureTags('v=1; d=corp.example; h=from :\r\n to').get('h'); // 'from:to'
 * ```
 */
export function signatureTags(signature: string): SignatureTags {
  const tags = new Map<string, string>();
  for (const tag of signature.split(';')) {
    const eq = tag.indexOf('=');
    if (eq <= 0) continue;
    const name = tag.slice(0, eq).trim();
    const value = tag.slice(eq + 1).replace(/[\s]+/g, '');
    const had = tags.get(name);
    tags.set(name, had === undefined ? value : `${had} ${value}`);
  }
  return tags;
}

/**
 * Whether a DKIM signature's `d=` may be the domain DMARC aligned with a From at `fromDomain`: DMARC's relaxed
 * alignment compares organizational domains, which are at least two labels, so an aligned `d=` ends with the From
 * domain's last two labels. Read wider than DMARC (no public suffix list here: `d=other.co.uk` counts for
 * `corp.co.uk`), and a `d=` that cannot be read counts: a signature taken for aligned that is not only adds a
 * condition. Linear in the domains' length.
 *
 * @example
 * ```ts
 * mayAlign(signatureTags('d=mail.corp.example'), 'corp.example'); // true
 * mayAlign(signatureTags('d=corp.onmicrosoft.com'), 'corp.example'); // false
 * ```
 */
export function mayAlign(tags: SignatureTags, fromDomain: string): boolean {
  const d = tags.get('d');
  if (d === undefined || d.includes(' ')) return true;
  const signer = lastTwoLabels(normalizeDomain(d));
  return signer === '' || signer === lastTwoLabels(normalizeDomain(fromDomain));
}

function lastTwoLabels(domain: string): string {
  const labels = domain.split('.').filter((l) => l !== '');
  return labels.length < 2 ? '' : labels.slice(-2).join('.');
}

/**
 * Why a DKIM signature does not vouch for every field of the message a client shows, or undefined when it does: each
 * instance of each shown field present (From, Sender, Reply-To, To, Cc, Subject, In-Reply-To, References,
 * Thread-Topic, Thread-Index, read-receipt and importance fields, `X-MS-Exchange-Organization-*`; Date and Message-ID
 * when the signature lists them: SendGrid signs neither, false-positive round 6) must be listed in its `h=` (a verifier takes a field's instances from the bottom, RFC 6376 5.4.2: `n` instances need
 * the name `n` times), no `l=` (the body past its count is anyone's), and no `x=` in the past (a replay of an expired
 * signature, which a verifier may still pass). Linear in the fields and the signature.
 *
 * @example
 * ```ts
 * uncoveredShown(signatureTags('d=corp.example; h=from:subject'), fields, Date.now()); // 'To'
 * ```
 */
export function uncoveredShown(
  tags: SignatureTags,
  fields: readonly { name: string }[],
  now: number,
): string | undefined {
  if (tags.has('l')) return 'a body length (l=)';
  const expires = tags.get('x');
  if (expires !== undefined && !(/^\d{1,12}$/.test(expires) && Number(expires) * 1000 > now))
    return 'an expiry (x=) past or unreadable';
  const signed = new Map<string, number>();
  for (const name of (tags.get('h') ?? '').split(':')) {
    const key = name.trim().toLowerCase();
    if (key !== '') signed.set(key, (signed.get(key) ?? 0) + 1);
  }
  const present = new Map<string, number>();
  for (const f of fields) {
    const key = f.name.trim().toLowerCase();
    if (
      NAMING.has(key) ? !signed.has(key) : !SHOWN.has(key) && !SHOWN_PREFIXES.some((p) => key.startsWith(p))
    )
      continue;
    const count = (present.get(key) ?? 0) + 1;
    present.set(key, count);
    if (count > (signed.get(key) ?? 0)) return f.name.trim().slice(0, 40);
  }
  return undefined;
}

/**
 * Whether the organization signed the message whole, as far as its DKIM signatures show: none covers part of the
 * body only (`l=`), and every signature that may be the one DMARC aligned with a From at `fromDomain` ({@link mayAlign};
 * a verdict names no signature, so one the sender added counts too) lists each shown field present and has not expired
 * ({@link uncoveredShown}); with `needsOne`, at least one such signature is there. A replay of the organization's
 * signed message with a field its `h=` does not list added still passes DKIM and DMARC (attacker round 104). Linear in
 * the fields and signatures.
 *
 * @example
 * ```ts
 * signedWhole(['v=1; d=corp.example; h=from:to:subject'], fields, 'corp.example', Date.now(), true);
 * ```
 */
export function signedWhole(
  signatures: readonly string[],
  fields: readonly { name: string }[],
  fromDomain: string,
  now: number,
  needsOne: boolean,
): boolean {
  let aligned = 0;
  for (const signature of signatures) {
    const tags = signatureTags(signature);
    if (tags.has('l')) return false;
    if (!mayAlign(tags, fromDomain)) continue;
    aligned++;
    if (uncoveredShown(tags, fields, now) !== undefined) return false;
  }
  return aligned > 0 || !needsOne;
}
