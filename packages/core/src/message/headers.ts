import addressparser, { type Address } from 'nodemailer/lib/addressparser';
import { decodeHeaderWords as decodeWords } from './decode-words.js';

/** One header field as it stands in the message. */
export interface HeaderField {
  /** Field name as written (case kept). */
  name: string;
  /** Unfolded value, raw (encoded words not decoded), leading whitespace trimmed. */
  value: string;
}

/** A mailbox from an address header, display name decoded. */
export interface MailAddress {
  name: string;
  address: string;
}

/**
 * The header block of a message: case-insensitive lookup of every value,
 * decoded views of the common fields. Built from the header bytes only.
 *
 * @example
 * ```ts
 * const headers = await ctx.message.headers();
 * headers.subject;                    // decoded Subject
 * headers.from[0]?.address;           // header From
 * headers.all('received').length;     // hops
 * ```
 */
export class MessageHeaders {
  /** Every field in order. */
  readonly fields: readonly HeaderField[];
  /** Size of the header block in bytes, blank line included. */
  readonly size: number;

  // The block was not UTF-8 and was read as Latin-1: each value's character codes are its bytes.
  private readonly latin1: boolean;

  constructor(block: Buffer) {
    this.size = block.length;
    const { value, latin1 } = text(block);
    this.latin1 = latin1;
    this.fields = parseFields(value);
  }

  // Values by lower-case name, and parsed address fields: built on first use, as several rules ask.
  private byName?: Map<string, string[]>;
  private readonly parsedAddresses = new Map<string, MailAddress[]>();
  private readonly parsedLists = new Map<string, Address[][]>();

  /** Every raw value of a field, in order; empty when absent. */
  all(name: string): string[] {
    if (!this.byName) {
      this.byName = new Map();
      for (const f of this.fields) {
        const key = f.name.toLowerCase();
        const list = this.byName.get(key);
        if (list) list.push(f.value);
        else this.byName.set(key, [f.value]);
      }
    }
    const list = this.byName.get(name.toLowerCase());
    return list ? [...list] : [];
  }

  /**
   * Every value of a field as the bytes it was written in (unfolded, as {@link all}): a value in raw 8-bit bytes
   * that are not UTF-8 is read as Latin-1 by `all`, while a client may decode those bytes in another charset.
   *
   * @example
   * ```ts
   * headers.bytes('from'); // [<Buffer 22 4a e0 6e e5 …>] for a windows-1251 display name
   * ```
   */
  bytes(name: string): Buffer[] {
    return this.all(name).map((v) => Buffer.from(v, this.latin1 ? 'latin1' : 'utf-8'));
  }

  /** The first raw value of a field. */
  get(name: string): string | undefined {
    return this.all(name)[0];
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** The first value with RFC 2047 encoded words decoded. */
  decoded(name: string): string | undefined {
    const value = this.get(name);
    return value === undefined ? undefined : decodeWords(value);
  }

  /** Every value of a field with RFC 2047 encoded words decoded, in order. */
  decodedAll(name: string): string[] {
    return this.all(name).map(decodeWords);
  }

  get subject(): string {
    return this.decoded('subject') ?? '';
  }
  get from(): MailAddress[] {
    return this.addresses('from');
  }
  get sender(): MailAddress[] {
    return this.addresses('sender');
  }
  get replyTo(): MailAddress[] {
    return this.addresses('reply-to');
  }
  get to(): MailAddress[] {
    return this.addresses('to');
  }
  get cc(): MailAddress[] {
    return this.addresses('cc');
  }

  /**
   * Display names of the groups in an address field (`Team: a@x, b@y;` gives `Team`), decoded: a client may
   * show a group's name where a mailbox's would be.
   *
   * @example
   * ```ts
   * headers.groupNames('from'); // ['Jane Doe'] for `From: Jane Doe: x@evil.example;`
   * ```
   */
  groupNames(name: string): string[] {
    return this.addressLists(name).flatMap((list) => groupsOf(list).map((n) => decodeWords(n)));
  }

  /** Mailboxes of an address field (all occurrences, groups flattened). */
  addresses(name: string): MailAddress[] {
    const key = name.toLowerCase();
    let parsed = this.parsedAddresses.get(key);
    if (!parsed) {
      parsed = [];
      for (const list of this.addressLists(key)) {
        for (const a of flatten(list)) {
          parsed.push({ name: decodeWords(a.name ?? ''), address: a.address ?? '' });
        }
      }
      this.parsedAddresses.set(key, parsed);
    }
    // Copies: a caller may change what it gets.
    return parsed.map((a) => ({ ...a }));
  }

  // Each value of an address field parsed once, groups kept: mailboxes and group names both come from it.
  private addressLists(name: string): Address[][] {
    const key = name.toLowerCase();
    let lists = this.parsedLists.get(key);
    if (!lists) {
      lists = this.all(key).map((value) => addressparser(value) as Address[]);
      this.parsedLists.set(key, lists);
    }
    return lists;
  }
}

function groupsOf(list: Address[]): string[] {
  return list.flatMap((a) => (a.group ? [a.name ?? '', ...groupsOf(a.group)] : []));
}

function flatten(list: Address[]): { name: string; address?: string }[] {
  return list.flatMap((a) => (a.group ? flatten(a.group) : [a]));
}

// RFC 6532 allows raw UTF-8 in headers; anything that is not valid UTF-8 is read as Latin-1.
const utf8 = new TextDecoder('utf-8', { fatal: true });
function text(bytes: Buffer): { value: string; latin1: boolean } {
  try {
    return { value: utf8.decode(bytes), latin1: false };
  } catch {
    return { value: bytes.toString('latin1'), latin1: true };
  }
}

function parseFields(block: string): HeaderField[] {
  const fields: HeaderField[] = [];
  const lines = block.split(/\r?\n/);
  let current: HeaderField | undefined;
  for (const line of lines) {
    if (line === '') break;
    if ((line[0] === ' ' || line[0] === '\t') && current) {
      const more = line.trim();
      if (more) current.value = current.value ? `${current.value} ${more}` : more;
      continue;
    }
    const colon = line.indexOf(':');
    // RFC 5322's obsolete syntax (and every lenient reader) allows white space before the colon: `From : x`.
    const name = line.slice(0, colon).replace(/[ \t]+$/, '');
    if (colon <= 0 || name === '' || /\s/.test(name)) {
      current = undefined; // not a header line (mbox "From " line, garbage): skipped
      continue;
    }
    current = { name, value: line.slice(colon + 1).trim() };
    fields.push(current);
  }
  return [...fields, ...crFields(fields)];
}

// A bare CR ends a line for lenient readers (Thunderbird's line buffer): `X-A: 1<CR>From: Jane Doe <x@evil>`
// shows them a From field. The fields found after bare CRs are added to the strict reading (which keeps the
// whole value), so a check sees both.
function crFields(fields: readonly HeaderField[]): HeaderField[] {
  const extra: HeaderField[] = [];
  for (const field of fields) {
    if (!field.value.includes('\r')) continue;
    for (const piece of field.value.split('\r').slice(1)) {
      const last = extra.at(-1);
      if ((piece[0] === ' ' || piece[0] === '\t') && last) {
        last.value = `${last.value} ${piece.trim()}`.trim();
        continue;
      }
      const m = /^([^\s:]+)[ \t]*:([\s\S]*)$/.exec(piece);
      if (m) extra.push({ name: m[1] as string, value: (m[2] as string).trim() });
    }
  }
  return extra;
}
