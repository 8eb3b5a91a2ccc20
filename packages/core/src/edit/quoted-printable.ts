/**
 * Encodes bytes as quoted-printable (RFC 2045) for a part the editor writes: a line break is exactly `eol`, any
 * other CR or LF is data (`=0D`, `=0A`: the bytes come back as they were), lines hold at most 76 characters, and no
 * encoded line starts with `-` (written `=2D`). Otherwise a line of the text that reads `--boundary`, or one a soft
 * break moves to a line's start, would end the part for every MIME reader, and what follows in the part would be
 * read as parts of its own (fault round 45: an executable hidden in a base64 text part was delivered unchecked).
 * One pass.
 *
 * @example
 * ```ts
 * quotedPrintable(Buffer.from('--b\r\nnaïve\r'), '\r\n').toString(); // '=2D-b\r\nna=C3=AFve=0D'
 * ```
 */
export function quotedPrintable(bytes: Buffer, eol: '\r\n' | '\n'): Buffer {
  // Each byte takes three characters at most, and each line (at least MARGIN short of 75) a soft break of up to three more.
  const out = Buffer.allocUnsafe(bytes.length * 3 + Math.ceil((bytes.length * 3) / (75 - MARGIN)) * 3 + 3);
  let at = 0;
  let column = 0;
  const crlf = eol === '\r\n';
  const breakAt = (i: number) => (crlf ? bytes[i] === 0x0d && bytes[i + 1] === 0x0a : bytes[i] === 0x0a);
  // After the current line's last literal space or tab, or -1.
  let space = -1;
  const newline = () => {
    if (crlf) out[at++] = 0x0d;
    out[at++] = 0x0a;
    column = 0;
    space = -1;
  };
  for (let i = 0; i < bytes.length; i++) {
    if (breakAt(i)) {
      newline();
      if (crlf) i++;
      continue;
    }
    const b = bytes[i] as number;
    // White space is literal only where a line goes on after it: before a break or the end it would be stripped.
    const blank = b === 0x20 || b === 0x09;
    let literal =
      (b >= 0x21 && b <= 0x7e && b !== 0x3d && !(b === 0x2d && column === 0)) ||
      (blank && i + 1 < bytes.length && !breakAt(i + 1));
    // A soft break keeps the line to 76 characters with its `=`: after the line's last space when that is near
    // its end (words stay whole, as encoders write them), else here, where a `-` it moves to a line's start is
    // escaped.
    if (column + (literal ? 1 : 3) > 75) {
      const tail =
        space > 0 && at - space <= MARGIN && out[space] !== 0x2d
          ? Buffer.from(out.subarray(space, at))
          : undefined;
      if (tail) at = space;
      out[at++] = 0x3d;
      newline();
      if (tail) {
        tail.copy(out, at);
        at += tail.length;
        column = tail.length;
      }
      if (column === 0 && b === 0x2d) literal = false;
    }
    if (literal) out[at++] = b;
    else {
      out[at++] = 0x3d;
      out[at++] = HEX[b >> 4] as number;
      out[at++] = HEX[b & 15] as number;
    }
    column += literal ? 1 : 3;
    // Where the line may be broken next: right after a literal space or tab.
    if (literal && blank) space = at;
  }
  return out.subarray(0, at);
}

const HEX = Buffer.from('0123456789ABCDEF', 'latin1');
// How far back from the end of a full line a space is looked for.
const MARGIN = 25;
