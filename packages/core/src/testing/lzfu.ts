const DICTIONARY = 4096;
const PREFIX = Buffer.from(
  '{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx',
  'latin1',
);

/** How {@link compressedRtf} writes its stream. */
export interface CompressedRtfOptions {
  /** `LZFu` with back-references found greedily (default), `LZFu` with literals only, or `MELA` (stored). */
  mode?: 'references' | 'literal' | 'stored';
}

/**
 * An RTF body compressed as Outlook keeps it in PR_RTF_COMPRESSED (MS-OXRTFCP): for tests of the readers of a
 * winmail.dat's message body. References never overlap the bytes they write.
 *
 * @example
 * ```ts
 * tnefStream([], { rtfCompressed: compressedRtf('{\\rtf1 Card 4111 1111 1111 1111}') });
 * ```
 */
export function compressedRtf(rtf: string, options: CompressedRtfOptions = {}): Buffer {
  const raw = Buffer.from(rtf, 'latin1');
  const mode = options.mode ?? 'references';
  const header = (body: Buffer, type: number, crc: number) => {
    const h = Buffer.alloc(16);
    h.writeUInt32LE(body.length + 12, 0);
    h.writeUInt32LE(raw.length, 4);
    h.writeUInt32LE(type, 8);
    h.writeUInt32LE(crc, 12);
    return Buffer.concat([h, body]);
  };
  if (mode === 'stored') return header(raw, 0x414c454d, 0);
  const dictionary = Buffer.alloc(DICTIONARY);
  PREFIX.copy(dictionary);
  let pos = PREFIX.length;
  const tokens: Buffer[] = [];
  const flags: boolean[] = [];
  for (let i = 0; i < raw.length; ) {
    let best = { offset: 0, length: 0 };
    if (mode === 'references')
      for (let offset = 0; offset < DICTIONARY; offset++) {
        // Not a reference that overlaps the bytes it writes (nor the end marker, the write position).
        const ahead = (offset - pos + DICTIONARY) % DICTIONARY;
        if (ahead < 17 || DICTIONARY - ahead < 17) continue;
        let length = 0;
        while (
          length < 17 &&
          i + length < raw.length &&
          dictionary[(offset + length) % DICTIONARY] === raw[i + length]
        )
          length++;
        if (length > best.length) best = { offset, length };
      }
    const count = best.length >= 2 ? best.length : 1;
    if (best.length >= 2) {
      const token = Buffer.alloc(2);
      token.writeUInt16BE((best.offset << 4) | (best.length - 2), 0);
      tokens.push(token);
      flags.push(true);
    } else {
      tokens.push(raw.subarray(i, i + 1));
      flags.push(false);
    }
    for (let k = 0; k < count; k++) {
      dictionary[pos] = raw[i + k] as number;
      pos = (pos + 1) % DICTIONARY;
    }
    i += count;
  }
  const end = Buffer.alloc(2);
  end.writeUInt16BE(pos << 4, 0);
  tokens.push(end);
  flags.push(true);
  const body: Buffer[] = [];
  for (let g = 0; g < tokens.length; g += 8) {
    let control = 0;
    for (let k = 0; k < 8 && g + k < tokens.length; k++) if (flags[g + k]) control |= 1 << k;
    body.push(Buffer.from([control]), ...tokens.slice(g, g + 8));
  }
  const bytes = Buffer.concat(body);
  return header(bytes, 0x75465a4c, crc(bytes));
}

function crc(bytes: Buffer): number {
  let c = 0;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c >>> 0;
}
