// Text encoded in the legacy charsets browsers still decode (Node encodes only UTF-8): each table is built by
// decoding every one- and two-byte sequence with the platform's TextDecoder, so the bytes are what a decoder
// reads back as the text.

const tables = new Map<string, Map<string, Buffer>>();

function table(label: string): Map<string, Buffer> {
  const known = tables.get(label);
  if (known) return known;
  const decoder = new TextDecoder(label);
  const map = new Map<string, Buffer>();
  for (let lead = 0x80; lead <= 0xff; lead++) {
    const one = decoder.decode(Uint8Array.of(lead));
    if (one.length === 1 && one !== '\ufffd' && !map.has(one)) map.set(one, Buffer.of(lead));
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      const two = decoder.decode(Uint8Array.of(lead, trail));
      if (two.length === 1 && two !== '\ufffd' && !map.has(two)) map.set(two, Buffer.of(lead, trail));
    }
  }
  tables.set(label, map);
  return map;
}

/**
 * `text` in a multi-byte charset (`shift_jis`, `euc-jp`, `gbk`, `big5`, `euc-kr`): ASCII as is, every
 * other character as the bytes the charset's decoder reads as it.
 *
 * @example
 * ```ts
 * encodeLegacy('shift_jis', 'ソ'); // <Buffer 83 5c>
 * ```
 */
export function encodeLegacy(label: string, text: string): Buffer {
  const map = table(label);
  const parts: Buffer[] = [];
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) parts.push(Buffer.from(char, 'latin1'));
    else {
      const bytes = map.get(char);
      if (!bytes) throw new Error(`${label} has no ${char}`);
      parts.push(bytes);
    }
  }
  return Buffer.concat(parts);
}

/**
 * `text` in ISO-2022-JP as an encoder writes it: JIS X 0208 runs between `ESC $ B` and `ESC ( B`, so every
 * line ends in ASCII.
 *
 * @example
 * ```ts
 * encodeJis('こんにちは'); // ESC $ B $3$s$K$A$O ESC ( B
 * ```
 */
export function encodeJis(text: string): Buffer {
  const map = table('euc-jp'); // EUC-JP and ISO-2022-JP share JIS X 0208: the same bytes less 0x80
  const parts: Buffer[] = [];
  let kanji = false;
  for (const char of text) {
    const ascii = char.charCodeAt(0) < 0x80;
    if (ascii === kanji) {
      parts.push(Buffer.from(ascii ? '\x1b(B' : '\x1b$B', 'latin1'));
      kanji = !ascii;
    }
    if (ascii) parts.push(Buffer.from(char, 'latin1'));
    else {
      const euc = map.get(char);
      if (euc?.length !== 2 || euc[0] === 0x8e) throw new Error(`JIS X 0208 has no ${char}`);
      parts.push(Buffer.of((euc[0] as number) & 0x7f, (euc[1] as number) & 0x7f));
    }
  }
  if (kanji) parts.push(Buffer.from('\x1b(B', 'latin1'));
  return Buffer.concat(parts);
}
