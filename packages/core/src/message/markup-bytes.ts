// Byte classes the page scan reads markup by, and the ring that holds a value's last bytes.

/** How many bytes of a tag, attribute or entity name are kept (longer names are no names the scan looks for). */
export const NAME_CAP = 32;

/** `c` in lower case when it is an ASCII capital letter. */
export function asciiLower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/** A byte of a tag or attribute name (lower case), as the scan reads names. */
export function isNameByte(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x3a || c === 0x5f;
}

/** A lower-case ASCII letter. */
export function isLetter(c: number): boolean {
  return c >= 0x61 && c <= 0x7a;
}

/** HTML white space: space, tab, LF, CR, FF. */
export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c;
}

/**
 * Whether `c` ends a comment `commentBytes` bytes in, `tail` holding the bytes before it: `-->`, `--!>`, and the
 * abrupt `<!-->` and `<!--->`.
 */
export function endsComment(c: number, tail: number, commentBytes: number): boolean {
  if (c !== 0x3e) return false;
  if ((tail & 0xffff) === 0x2d2d || (tail & 0xffffff) === 0x2d2d21) return true;
  return commentBytes === 0 || (commentBytes === 1 && (tail & 0xff) === 0x2d);
}

/** The last bytes written, so that a fixed set of short patterns can be matched as bytes stream past. */
export class TailRing {
  private readonly ring: Uint8Array;
  private filled = 0;

  constructor(size: number) {
    this.ring = new Uint8Array(size);
  }

  /** How many bytes were written since the last clear. */
  get count(): number {
    return this.filled;
  }

  clear(): void {
    this.filled = 0;
  }

  add(byte: number): void {
    this.ring[this.filled % this.ring.length] = byte;
    this.filled++;
  }

  /** Whether the bytes written last are `bytes` (at most the ring's size). */
  endsWith(bytes: Uint8Array): boolean {
    if (this.filled < bytes.length) return false;
    const size = this.ring.length;
    for (let i = 1; i <= bytes.length; i++) {
      if (this.ring[(this.filled - i) % size] !== bytes[bytes.length - i]) return false;
    }
    return true;
  }
}
