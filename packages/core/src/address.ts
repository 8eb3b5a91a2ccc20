import { domainToASCII } from 'node:url';

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
 * A domain lower-cased, without a trailing dot, in ASCII (punycode) form; empty when invalid.
 *
 * @example
 * ```ts
 * normalizeDomain('MÜNCHEN.de.'); // "xn--mnchen-3ya.de"
 * ```
 */
export function normalizeDomain(domain: string): string {
  const trimmed = domain.trim().replace(/\.$/, '');
  if (trimmed === '') return '';
  return domainToASCII(trimmed.toLowerCase());
}

/**
 * The canonical form of an address for comparisons: local part lower-cased
 * (WorkMail treats it case-insensitively) and the domain normalized.
 *
 * @example
 * ```ts
 * normalizeAddress(' Jane@EXAMPLE.com '); // "jane@example.com"
 * ```
 */
export function normalizeAddress(address: string): string {
  const text = address.trim();
  const at = text.lastIndexOf('@');
  if (at < 0) return text.toLowerCase();
  return `${text.slice(0, at).toLowerCase()}@${normalizeDomain(text.slice(at + 1))}`;
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
 * True when the address belongs to one of the organization's domains, or to a subdomain of one.
 *
 * @example
 * ```ts
 * isInternal('bob@mail.corp.example', ['corp.example']); // true
 * ```
 */
export function isInternal(address: string, organizationDomains: readonly string[]): boolean {
  const domain = domainOf(address);
  if (domain === '') return false;
  return organizationDomains.some((d) => {
    const base = normalizeDomain(d);
    return base !== '' && (domain === base || domain.endsWith(`.${base}`));
  });
}
