// The file name in a BinHex 4.0 file's header (RFC 1741): after the first `:`, six bits a character in
// BinHex's alphabet, then run-length coded (0x90 n repeats the byte before n - 1 more times, 0x90 0 is 0x90);
// the header starts with the name's length (1 to 63) and the name. Only the header's first bytes are read.
const ALPHABET = '!"#$%&\'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr';
const SIX = new Map([...ALPHABET].map((c, i) => [c, i]));
const RLE_MARK = 0x90;

/**
 * The line Thunderbird's untyped-text reader opens an application/mac-binhex40 file at (read loosely here: any
 * case, anything after it).
 */
export const BINHEX_BEGIN = /^[ \t]*\(this file must be converted with binhex\b/i;

/** More data characters than a 63-byte name and its length byte take, whatever their run-length coding. */
export const BINHEX_NAME_CHARS = 200;

/**
 * The name a BinHex file's data (from its begin line on, white space removed) gives: undefined while the data
 * is too short to tell, null when it gives none (not BinHex, an empty name).
 *
 * @example
 * ```ts
 * binhexName(':!f&LB`!r2cm'); // 'abc' (the length 3, then 'abc')
 * binhexName(':!f&LB'); // undefined: more data needed
 * ```
 */
export function binhexName(data: string): string | null | undefined {
  const start = data.indexOf(':');
  if (start < 0) return data.length > BINHEX_NAME_CHARS ? null : undefined;
  const bytes: number[] = [];
  let bits = 0;
  let count = 0;
  let runAfterMark = false;
  for (let i = start + 1; i < data.length && i <= start + BINHEX_NAME_CHARS; i++) {
    const c = data[i] as string;
    // The data's end before the name's: a cut header gives none.
    if (c === ':') return null;
    const six = SIX.get(c);
    if (six === undefined) return null;
    bits = ((bits << 6) | six) & 0xffffff;
    count += 6;
    if (count < 8) continue;
    count -= 8;
    const byte = (bits >> count) & 0xff;
    if (runAfterMark) {
      runAfterMark = false;
      const previous = bytes[bytes.length - 1];
      if (byte === 0) bytes.push(RLE_MARK);
      else if (previous !== undefined)
        for (let n = 1; n < byte && bytes.length < 64; n++) bytes.push(previous);
    } else if (byte === RLE_MARK) runAfterMark = true;
    else bytes.push(byte);
    const length = bytes[0];
    if (length === 0 || (length !== undefined && length > 63)) return null;
    if (length !== undefined && bytes.length > length)
      return Buffer.from(bytes.slice(1, length + 1)).toString('latin1');
  }
  return data.length - start > BINHEX_NAME_CHARS ? null : undefined;
}
