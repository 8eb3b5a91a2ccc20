import { domainToASCII } from 'node:url';
import { canonicalLocal, isAddressLiteral, parseMailbox, unquoteLocal } from './address-syntax.js';

/**
 * The part of an address before the last `@`.
 *
 * @example
 * ```ts
 * localPart('Jane.Doe@Example.com'); // "Jane.Doe"
 * ```
 */
export function localPart(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? address : address.slice(0, at);
}

/**
 * The domain of an address (or a bare domain), lower-cased and in ASCII
 * (IDN domains become their punycode `xn--` form). Empty when it is not a valid domain.
 *
 * @example
 * ```ts
 * domainOf('user@Bücher.example'); // "xn--bcher-kva.example"
 * ```
 */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return normalizeDomain(at < 0 ? address : address.slice(at + 1));
}

/**
 * A domain lower-cased, without a trailing dot, in ASCII (punycode) form; empty when invalid. The trailing dot
 * is cut after the IDNA mapping, so a root dot written as a character mapped to a dot (`。`, `．`) is cut too.
 * An RFC 5321 address literal (`[192.0.2.1]`, `[IPv6:2001:db8::1]`) is kept, lower-cased.
 *
 * @example
 * ```ts
 * normalizeDomain('MÜNCHEN.de.'); // "xn--mnchen-3ya.de"
 * normalizeDomain('corp.example\u3002'); // "corp.example"
 * normalizeDomain('[IPv6:2001:DB8::1]'); // "[ipv6:2001:db8::1]"
 * ```
 */
export function normalizeDomain(domain: string): string {
  return remembered(normalizedDomains, domain, toAsciiDomain);
}

// The same few domains and addresses come back in every invocation of a container (the organization's,
// the recipients', the sender's): each spelling is normalised once, in maps of bounded size.
const normalizedDomains = new Map<string, string>();
const normalizedAddresses = new Map<string, string>();

function remembered(memo: Map<string, string>, key: string, compute: (key: string) => string): string {
  let known = memo.get(key);
  if (known === undefined) {
    known = compute(key);
    if (memo.size >= 1024) memo.clear();
    memo.set(key, known);
  }
  return known;
}

// The root dot is cut after the IDNA mapping, not before: `corp.example。` (U+3002, U+FF0E, U+FF61, or a dot then a
// soft hyphen, which the mapping drops) maps to `corp.example.`, the organization's own FQDN as a resolver reads it,
// and is `corp.example` as the ASCII spelling is (attacker round 114). One dot only: `corp.example..` stays apart.
function toAsciiDomain(domain: string): string {
  const trimmed = domain.trim();
  const bare = trimmed.replace(/\.$/, '');
  if (bare === '') return '';
  if (isAddressLiteral(bare)) return bare.toLowerCase();
  const ascii = domainToASCII(trimmed.toLowerCase());
  return ascii.endsWith('.') ? ascii.slice(0, -1) : ascii;
}

/**
 * The canonical form of an address for comparisons: local part in its shortest RFC 5321 spelling
 * (`"jane"` and `jane` are one mailbox), Unicode NFC, lower-cased (WorkMail treats it
 * case-insensitively), and the domain normalized.
 *
 * @example
 * ```ts
 * normalizeAddress(' Jane@EXAMPLE.com '); // "jane@example.com"
 * normalizeAddress('"Jane"@example.com'); // "jane@example.com"
 * ```
 */
export function normalizeAddress(address: string): string {
  return remembered(normalizedAddresses, address, canonicalAddress);
}

function canonicalAddress(address: string): string {
  const text = address.trim().normalize('NFC');
  const at = text.lastIndexOf('@');
  if (at < 0) return text.toLowerCase();
  return `${canonicalLocal(text.slice(0, at)).toLowerCase()}@${normalizeDomain(text.slice(at + 1))}`;
}

/**
 * True when two addresses name the same mailbox, ignoring case and IDN spelling.
 *
 * @example
 * ```ts
 * sameAddress('a@Bücher.example', 'A@xn--bcher-kva.example'); // true
 * ```
 */
export function sameAddress(a: string, b: string): boolean {
  return normalizeAddress(a) === normalizeAddress(b);
}

/**
 * Tests an address against a WorkMail-style pattern: `user@domain` (that
 * address), `domain` (that exact domain), `*.domain` (any subdomain of it,
 * not the domain itself), or `*` (everything). Case-insensitive, IDN-aware.
 *
 * @example
 * ```ts
 * matchesPattern('ceo@corp.example.com', '*.example.com'); // true
 * matchesPattern('ceo@example.com', 'example.com');         // true
 * ```
 */
export function matchesPattern(address: string, pattern: string): boolean {
  const p = pattern.trim();
  if (p === '*') return true;
  if (p.includes('@')) return sameAddress(address, p);
  const domain = domainOf(address);
  if (domain === '') return false;
  if (p.startsWith('*.')) {
    const base = normalizeDomain(p.slice(2));
    return base !== '' && domain.endsWith(`.${base}`);
  }
  return domain === normalizeDomain(p);
}

/**
 * True when the address matches any of the patterns (see {@link matchesPattern}).
 *
 * @example
 * ```ts
 * matchesAnyPattern('x@partner.example', ['example.org', '*.example']); // true
 * ```
 */
export function matchesAnyPattern(address: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => matchesPattern(address, p));
}

/**
 * True when a recipient address matches any of the patterns (see {@link matchesPattern}), its sub-address
 * included: `all-staff+news@corp.example` is delivered to `all-staff@corp.example` by mail systems with RFC 5233
 * sub-addressing (`+`, the default of Exchange Online, Google Workspace and most Postfix set-ups), so a pattern
 * naming a mailbox names its sub-addresses too. Its local part is also compared folded (compatibility forms,
 * both case mappings, invisible characters dropped: `all-ſtaff`, full-width `ａll-staff` and `all-st\u00ADaff` are
 * `all-staff`), as a mail server comparing names more loosely than this library would deliver them (attacker round
 * 75). For recipients, and for lists that restrict a sender: a list granting a sender a pass is not widened this way.
 *
 * @example
 * ```ts
 * recipientMatchesAny('all-staff+news@corp.example', ['all-staff@corp.example']); // true
 * ```
 */
export function recipientMatchesAny(address: string, patterns: readonly string[]): boolean {
  if (matchesAnyPattern(address, patterns)) return true;
  const mailbox = withoutSubaddress(address);
  if (mailbox !== undefined && matchesAnyPattern(mailbox, patterns)) return true;
  // Mailbox patterns, compared folded: a server may deliver `all-ſtaff@` (upper-cased `ALL-STAFF`) to `all-staff@`.
  const folded = foldedAddress(address);
  const foldedMailbox = withoutSubaddress(folded);
  if (
    patterns.some((p) => {
      const pattern = p.trim();
      if (!pattern.includes('@')) return false;
      const f = foldedAddress(pattern);
      return f === folded || f === foldedMailbox;
    })
  ) {
    return true;
  }
  // A local part naming a route (`all-staff%corp.example@corp.example`, `corp.example!all-staff@`, a quoted `@`) is
  // delivered, by a relay honouring the form, to the mailbox at its end: that mailbox is named too (attacker round 107).
  return routeEnds(address).some((end) => recipientMatchesAny(end, patterns));
}

// The mailboxes a routed local part leads to, read as the percent hack (`user%last%next@host`: `user@last`) and as a
// bang path (`next!last!user@host`: `user@last`), through at most three quoted or nested layers; none for an address
// naming no route. Each result names no route itself, so the recursion above ends.
function routeEnds(address: string): string[] {
  const ends: string[] = [];
  let layer = [address];
  for (let depth = 0; depth < 3 && layer.length > 0; depth++) {
    const next: string[] = [];
    for (const a of layer) {
      if (!namesRoute(a)) {
        if (a !== address) ends.push(a);
        continue;
      }
      const local = unquoteLocal(a.slice(0, a.lastIndexOf('@')).trim());
      if (local.includes('@')) next.push(local);
      else {
        const percent = local.split('%');
        if (percent.length > 1) next.push(`${percent[0]}@${percent[1]}`);
        const bang = local.split('!');
        if (bang.length > 1) next.push(`${bang[bang.length - 1]}@${bang[bang.length - 2]}`);
      }
    }
    layer = next;
  }
  return ends.filter((e) => domainOf(e) !== '');
}

/**
 * The mailbox an address names, as a key for a sender the organization counts or restricts: the canonical address
 * ({@link normalizeAddress}) with its `+detail` sub-address cut off and its local part folded as
 * {@link recipientMatchesAny} folds it (invisible characters dropped, compatibility forms, both case mappings). An
 * ordinary address (`alice@corp.example`) is its own mailbox, so keys of such addresses do not change; its
 * sub-addresses and folded spellings (`alice+1@`, `ａlice@`) name it too (attacker round 87: an outbound
 * per-sender rate limit counted each spelling apart).
 *
 * @example
 * ```ts
 * senderMailbox('Alice+news@CORP.example'); // "alice@corp.example"
 * senderMailbox('\uff41lice@corp.example');  // "alice@corp.example"
 * ```
 */
export function senderMailbox(address: string): string {
  const folded = foldedAddress(address);
  const mailbox = withoutSubaddress(folded);
  return mailbox === undefined ? folded : foldedAddress(mailbox);
}

/**
 * Every mailbox an address may reach, each as {@link senderMailbox} keys it: its own and, when its local part names a
 * route (`all-staff%corp.example%x@corp.example`, `x!corp.example!all-staff@corp.example`, a quoted `@`), the mailbox
 * at each end of the route as {@link recipientMatchesAny} reads it (attacker round 107). For counters: the hops a
 * route's end does not depend on are free text, so a counter keyed by the spelling alone is a fresh one each message
 * (attacker round 109). At most nine, the address's own first; one for an address naming no route.
 *
 * @example
 * ```ts
 * reachedMailboxes('All-Staff+x%corp.example%1@corp.example');
 * // ["all-staff%corp.example%1@corp.example", "all-staff@corp.example"]
 * ```
 */
export function reachedMailboxes(address: string): string[] {
  const own = senderMailbox(address);
  if (!namesRoute(address)) return [own];
  return [...new Set([own, ...routeEnds(address).map(senderMailbox)])];
}

const foldedAddresses = new Map<string, string>();
// Characters a comparison may not see: soft hyphen, zero-width and other default-ignorable code points.
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

// The canonical address with its local part folded: invisible characters dropped, compatibility forms
// (full-width, ligatures, mathematical letters) to their plain letters, then upper- and lower-cased, so that
// a letter either case mapping merges (`ſ` and `s`, `ı` and `i`, `K` and `k`) is one letter.
function foldedAddress(address: string): string {
  return remembered(foldedAddresses, address, (a) => {
    const canonical = normalizeAddress(a);
    const at = canonical.lastIndexOf('@');
    if (at < 0) return canonical;
    const local = canonical
      .slice(0, at)
      .replace(IGNORABLE, '')
      .normalize('NFKC')
      .toUpperCase()
      .toLowerCase()
      .normalize('NFKC');
    return `${local}${canonical.slice(at)}`;
  });
}

// The address with its `+detail` cut off; undefined when it has none (or nothing before the `+`).
function withoutSubaddress(address: string): string | undefined {
  const canonical = normalizeAddress(address);
  const at = canonical.lastIndexOf('@');
  const plus = canonical.indexOf('+');
  if (at < 0 || plus <= 0 || plus > at) return undefined;
  return canonical.slice(0, plus) + canonical.slice(at);
}

/**
 * True when the address belongs to the organization: its domain is one of `organizationDomains`
 * exactly, or matches an entry written `*.domain` (subdomains the configuration lists explicitly).
 * A subdomain is not internal by being under an organization domain: anyone can write
 * `x@made-up.corp.example` in an envelope, so only what the organization lists counts. Nor is an address whose
 * local part names another destination (`bob%evil.example@`, `evil.example!bob@`, `"bob@evil.example"@`): a relay
 * honouring the percent hack, a bang path or a mangled quote (Postfix rewrites `user%domain` by default) sends it
 * out of the organization, and whether one stands behind the organization's domain is not known here.
 *
 * @example
 * ```ts
 * isInternal('bob@corp.example', ['corp.example']);                       // true
 * isInternal('bob@mail.corp.example', ['corp.example']);                  // false
 * isInternal('bob@mail.corp.example', ['corp.example', 'mail.corp.example']); // true
 * isInternal('bob%evil.example@corp.example', ['corp.example']);          // false
 * ```
 */
export function isInternal(address: string, organizationDomains: readonly string[]): boolean {
  const domain = domainOf(address);
  if (domain === '') return false;
  if (namesRoute(address)) return false;
  return organizationDomains.some((d) => {
    if (d.trim().startsWith('*.')) {
      const base = normalizeDomain(d.trim().slice(2));
      return base !== '' && domain.endsWith(`.${base}`);
    }
    return domain === normalizeDomain(d);
  });
}

/**
 * True when the address's local part (quotes removed) names another destination: `%` (the percent hack), `!` (a
 * UUCP bang path) or `@`. A relay that honours the form sends the mail on to that destination, whatever the
 * address's own domain ({@link isInternal} counts such an address as outside).
 *
 * @example
 * ```ts
 * namesRoute('bob%evil.example@corp.example');   // true
 * namesRoute('"bob@evil.example"@corp.example'); // true
 * namesRoute('bob@corp.example');                // false
 * ```
 */
export function namesRoute(address: string): boolean {
  const at = address.lastIndexOf('@');
  return at > 0 && /[%!@]/.test(unquoteLocal(address.slice(0, at).trim()));
}

/**
 * True when `address` is a mailbox SMTP accepts in a path (RFC 5321 quoted local parts, address literals,
 * RFC 6531 UTF-8): what event validation accepts for an envelope address.
 *
 * @example
 * ```ts
 * isMailbox('"a b"@evil.example'); // true
 * isMailbox('Undisclosed-Recipient:@x.example;'); // false
 * ```
 */
export function isMailbox(address: string): boolean {
  return parseMailbox(address) !== undefined;
}
