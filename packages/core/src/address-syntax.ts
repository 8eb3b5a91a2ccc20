/**
 * RFC 5321 / RFC 6531 mailbox syntax, scanned once from left to right (linear in the input).
 * Local part: a dot-string of atoms (UTF-8 allowed, RFC 6531) or a quoted string with `\`-escapes.
 * Domain: dot-separated labels (UTF-8 allowed; IDN) or an address literal `[192.0.2.1]` / `[IPv6:…]`.
 */

/** A mailbox split into its local part and domain, as written. */
export interface MailboxParts {
  /** As written, quotes included: `"a b"` or `jane.doe`. */
  local: string;
  /** As written: `corp.example` or `[192.0.2.1]`. */
  domain: string;
}

// atext of RFC 5322 plus any non-ASCII character (RFC 6531 UTF8-non-ascii).
const ATEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\uFFFF]$/;
const LABEL_CHAR = /^[A-Za-z0-9\-_\u0080-\uFFFF]$/;

/**
 * Splits a mailbox (`local@domain`, no angle brackets) per RFC 5321 and RFC 6531; `undefined` when it
 * is not one. Control characters (CR, LF, NUL, …) are never accepted, even inside quotes.
 *
 * @example
 * ```ts
 * parseMailbox('"a b"@[192.0.2.1]'); // { local: '"a b"', domain: '[192.0.2.1]' }
 * parseMailbox('a b@example.com');  // undefined
 * ```
 */
export function parseMailbox(text: string): MailboxParts | undefined {
  const localEnd = text.startsWith('"') ? quotedEnd(text) : dotStringEnd(text, 0, ATEXT);
  if (localEnd <= 0 || text[localEnd] !== '@') return undefined;
  const domain = text.slice(localEnd + 1);
  if (!isDomain(domain)) return undefined;
  return { local: text.slice(0, localEnd), domain };
}

/** The content of a quoted local part, unescaped; the text itself when not quoted. */
export function unquoteLocal(local: string): string {
  if (!local.startsWith('"') || !local.endsWith('"') || local.length < 2) return local;
  const out: string[] = [];
  let from = 1;
  for (let i = 1; i < local.length - 1; i++) {
    if (local.charCodeAt(i) === 0x5c && i + 1 < local.length - 1) {
      out.push(local.slice(from, i));
      from = i + 1;
      i++;
    }
  }
  out.push(local.slice(from, -1));
  return out.join('');
}

/** The shortest RFC 5321 spelling of a local part: bare when it is a dot-string, else quoted. */
export function canonicalLocal(local: string): string {
  const content = unquoteLocal(local);
  if (content !== '' && dotStringEnd(content, 0, ATEXT) === content.length) return content;
  return `"${content.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** True for an RFC 5321 address literal (`[IPv4]`, `[IPv6:…]`, `[tag:…]`). */
export function isAddressLiteral(domain: string): boolean {
  if (!domain.startsWith('[') || !domain.endsWith(']')) return false;
  const inner = domain.slice(1, -1);
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(inner)) return inner.split('.').every((n) => Number(n) <= 255);
  const colon = inner.indexOf(':');
  if (colon <= 0) return false;
  const tag = inner.slice(0, colon);
  const rest = inner.slice(colon + 1);
  if (!/^[A-Za-z0-9-]+$/.test(tag) || rest === '') return false;
  // dcontent: printable US-ASCII except [ \ ]
  for (const c of rest) if (c < '!' || c > '~' || c === '[' || c === '\\' || c === ']') return false;
  return true;
}

function isDomain(domain: string): boolean {
  if (domain.startsWith('[')) return isAddressLiteral(domain);
  const body = domain.endsWith('.') ? domain.slice(0, -1) : domain;
  return body !== '' && dotStringEnd(body, 0, LABEL_CHAR) === body.length;
}

// End of a run of `chars`-atoms separated by single dots, starting at `from`; -1 when malformed.
function dotStringEnd(text: string, from: number, chars: RegExp): number {
  let i = from;
  let atomStart = i;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '.') {
      if (i === atomStart) return -1;
      atomStart = i + 1;
    } else if (!chars.test(c)) break;
    i++;
  }
  return i === atomStart ? -1 : i;
}

// Index just past the closing quote of a quoted string at 0; -1 when unterminated or with a control character.
function quotedEnd(text: string): number {
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return -1;
    if (c === 0x5c) {
      const next = text.charCodeAt(i + 1);
      if (Number.isNaN(next) || next < 0x20 || next === 0x7f) return -1;
      i++;
    } else if (c === 0x22) return i + 1;
  }
  return -1;
}
