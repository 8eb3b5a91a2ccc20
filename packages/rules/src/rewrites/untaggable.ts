import {
  domainOf,
  isImmutableHeader,
  isInternal,
  lazyModule,
  type MessageHeaders,
  normalizeDomain,
  type RuleContext,
} from '@wmflow/core';
import { shownFrom } from '../internal/shown-from.js';
import { signedWhole } from '../internal/signed-fields.js';

// Loaded here only (guard has it already): outbound-policy's disclaimer adds nothing to its cold start.
const loadImpersonation = lazyModule(() => import('../impersonation/index.js'));

/** What {@link untaggableShownAsOwn} reads of tag-external's options. */
export interface UntaggableOptions {
  /** The engine cannot rewrite the message (SES): every outside message is untaggable. */
  cannotTag?: boolean;
  /** The authserv-ids whose Authentication-Results are trusted. */
  trustedAuthServIds?: readonly string[];
}

// A header value read from raw bytes above 0x7f (UTF-8 or Latin-1).
const EIGHT_BIT = /[\u0080-\uffff]/;
// At most this many mailboxes and group names of From and Sender are read, and this many of their readings in other
// charsets (eighteen readings of each of the first sixteen).
const MAX_SHOWN = 16;
const MAX_RECODED = 18 * MAX_SHOWN;

/**
 * Why outside mail that tag-external cannot tag must go to Junk instead, as the note to log; undefined when it may be
 * delivered (or tagged). A message is untaggable when a header WorkMail forbids changing carries raw 8-bit bytes (round
 * 44 delivers such mail untagged), and always with `cannotTag` (SES). It goes to Junk when it is shown as the
 * organization's: an organization From or Sender, at a subdomain too (rounds 89–91), one at a look-alike of an
 * organization domain (round 90), or a display name, group name or local part in a name's place showing an
 * organization address or domain (round 92). On SES the organization's own mail passes: every From and Sender an
 * organization address, each one field of one mailbox naming no other domain, and a trusted DMARC pass, with SPF for
 * an organization envelope sender or else every signature that may be aligned covering each shown field (round 104).
 *
 * @example
 * ```ts
 * const why = await untaggableShownAsOwn(ctx, await ctx.message.headers(), { cannotTag: true });
 * if (why) ctx.settle({ type: 'MOVE_TO_JUNK' }, ctx.open);
 * ```
 */
export async function untaggableShownAsOwn(
  ctx: RuleContext<'INBOUND'>,
  headers: MessageHeaders,
  options: UntaggableOptions,
): Promise<string | undefined> {
  const untaggable = options.cannotTag
    ? 'a receipt rule cannot rewrite the message'
    : headers.fields.find((f) => isImmutableHeader(f.name) && EIGHT_BIT.test(f.value));
  if (untaggable === undefined) return undefined;
  const shown = shownMailboxes(headers);
  const ours = ownAddress(ctx.organizationDomains);
  const own = shown.find((b) => ours(b.address));
  // The organization's own mail on SES: a DMARC pass (the receipt names no domain) for a From that reads one way, so
  // that the domain DMARC judged is the one read here (attacker round 92), in a header block with none of the fields a
  // message has one of written twice: a field added on top of the organization's signed message is not covered by
  // its signature (verifiers read the last, clients show the first), as `senderIsInside` holds on WorkMail (rounds
  // 43 and 61; attacker round 103).
  if (
    options.cannotTag &&
    own !== undefined &&
    shown.every((b) => ours(b.address)) &&
    shownFrom(headers) !== undefined &&
    readsOneWay(headers.decodedAll('from'), headers.from.length, true, ours) &&
    readsOneWay(headers.decodedAll('sender'), headers.sender.length, false, ours) &&
    (await ownMailPassed(ctx, headers, options, ours))
  )
    return undefined;
  const why = await shownAsOwn(ctx, headers);
  if (why === undefined) return undefined;
  const because =
    typeof untaggable === 'string'
      ? untaggable
      : `raw 8-bit bytes in ${untaggable.name.slice(0, 40)}, which WorkMail forbids changing`;
  return `outside mail from ${why} cannot be tagged (${because}): moved to Junk`;
}

/**
 * Whether outside mail is shown as the organization's, as {@link untaggableShownAsOwn} reads it: a From or Sender at
 * an organization address (or under an organization domain), at a look-alike of one, or whose display name, group
 * name or local part in a name's place shows an organization address or domain. The words naming it for a note, or
 * undefined. Reads at most 16 mailboxes and 16 group names; loads the look-alike test only when no organization
 * address is found.
 *
 * @example
 * ```ts
 * const why = await shownAsOwn(ctx, await ctx.message.headers()); // 'the organization address "ceo@corp.example"'
 * ```
 */
export async function shownAsOwn(
  ctx: RuleContext<'INBOUND'>,
  headers: MessageHeaders,
): Promise<string | undefined> {
  const shown = shownMailboxes(headers);
  const ours = ownAddress(ctx.organizationDomains);
  const own = shown.find((b) => ours(b.address));
  return own
    ? `the organization address "${own.address.slice(0, 80)}"`
    : await shownAlike(ctx, headers, shown);
}

// The From and Sender mailboxes with an address, at most MAX_SHOWN.
function shownMailboxes(headers: MessageHeaders): { name: string; address: string }[] {
  return [...headers.from, ...headers.sender].filter((b) => b.address !== '').slice(0, MAX_SHOWN);
}

// An organization address, or one at a subdomain of an organization domain (`hr@mail.corp.example`), which a reader
// takes for the organization's own though routing does not (attacker round 91).
function ownAddress(organizationDomains: readonly string[]): (address: string) => boolean {
  return (address) =>
    isInternal(address, organizationDomains) || underOwn(domainOf(address), organizationDomains);
}

// A From or Sender at a look-alike of an organization domain (`ceo@c0rp.example`), or a display name, a group's name or
// a local part shown in a name's place that shows an organization address or domain (`"ceo@corp.example"
// <x@evil.example>`: Outlook shows the name alone), which impersonation reads only when PROTECTED_NAMES is set.
async function shownAlike(
  ctx: RuleContext<'INBOUND'>,
  headers: MessageHeaders,
  shown: readonly { address: string }[],
): Promise<string | undefined> {
  const { lookAlike, shownAsOrganization, recodedMailboxes } = await loadImpersonation();
  // A From or Sender in raw bytes of a legacy charset (`ceo@сorp.example` in windows-1251), read here as Latin-1, is
  // also read as a client decodes it: in the declared charset or a code page it falls back to (attacker round 121).
  const recoded = (await recodedMailboxes(headers, ['from', 'sender'])).slice(0, MAX_RECODED);
  const ours = ownAddress(ctx.organizationDomains);
  for (const box of [...shown, ...recoded.filter((b) => b.address !== '')]) {
    if (ours(box.address))
      return `the organization address "${box.address.slice(0, 80)}", as a client decodes it`;
    const like = lookAlike(domainOf(box.address), ctx.organizationDomains);
    if (like !== undefined) return `"${box.address.slice(0, 80)}", at a look-alike of ${like}`;
  }
  const named = [
    ...[...headers.from, ...headers.sender].slice(0, MAX_SHOWN),
    ...[...headers.groupNames('from'), ...headers.groupNames('sender')]
      .slice(0, MAX_SHOWN)
      .map((name) => ({ name, address: '' })),
    ...recoded,
  ];
  for (const box of named) {
    const text = shownAsOrganization(box, ctx.organizationDomains);
    if (text !== undefined)
      return `a sender shown as "${text.slice(0, 80)}", an address or domain of the organization`;
  }
  return undefined;
}

// Whether the trusted results pass the organization's own mail on SES: DMARC passed (for the From's domain: the
// receipt names none), and either SPF passed for an organization envelope sender (the organization's own servers sent
// it) or the message is one the organization signed whole: no DKIM signature covers part of the body only (`l=`, on
// which a replay passes whatever follows: rounds 85 and 92), and every signature whose `d=` may be the domain DMARC
// aligned (the receipt names no signature, so a failing one added by the sender counts too) lists each field a client
// shows that the message carries, none expired. A replay of a message the organization signed keeps its signature
// passing under a field its `h=` does not list (a `Thread-Topic`, an `In-Reply-To` threading it into an inside
// conversation, a `Reply-To`, a `Cc`: attacker round 104).
async function ownMailPassed(
  ctx: RuleContext<'INBOUND'>,
  headers: MessageHeaders,
  options: UntaggableOptions,
  ours: (address: string) => boolean,
): Promise<boolean> {
  const verdicts = await ctx.message.authVerdicts(options.trustedAuthServIds);
  if (verdicts.dmarc !== 'pass') return false;
  if (verdicts.spf === 'pass' && ours(ctx.envelope.mailFrom ?? '')) return true;
  return signedWhole(
    headers.all('dkim-signature'),
    headers.fields,
    domainOf(headers.from[0]?.address ?? ''),
    Date.now(),
    true,
  );
}

// Whether the values of an address field read one way: none (when the field may be absent), or one field of one
// mailbox in which every at sign, encoded words decoded, is before an organization domain (`"ceo@corp.example"
// <ceo@corp.example>` does; a second address, a comment or a route at another domain does not: attacker round 92).
// Linear: one pass of the field.
function readsOneWay(
  values: readonly string[],
  mailboxes: number,
  needed: boolean,
  ours: (address: string) => boolean,
): boolean {
  if (values.length === 0) return !needed;
  if (values.length !== 1 || mailboxes !== 1) return false;
  for (const m of (values[0] ?? '').matchAll(AT_DOMAIN)) if (!ours(`x@${m[1]}`)) return false;
  return true;
}
const AT_DOMAIN = /[@\uff20\ufe6b]([^\s<>"'(),;:@\uff20\ufe6b[\]\\]*)/g;

// Whether a domain is under an organization domain (`mail.corp.example` under `corp.example`; `*.` patterns read as
// their base).
function underOwn(domain: string, organizationDomains: readonly string[]): boolean {
  const shown = normalizeDomain(domain);
  return (
    shown !== '' &&
    organizationDomains.some((d) => {
      const base = normalizeDomain(d.trim().replace(/^\*\./, ''));
      return base !== '' && shown.endsWith(`.${base}`);
    })
  );
}
