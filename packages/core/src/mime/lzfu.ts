// Compressed RTF (MS-OXRTFCP): the body Outlook keeps in PR_RTF_COMPRESSED (MAPI property 0x1009), which a
// winmail.dat carries in its message properties. A 16-byte header (the size of what follows its first field, the
// raw size, the type: `LZFu` compressed or `MELA` stored, a CRC), then, for `LZFu`, groups of a control byte and
// eight tokens: a literal byte (bit 0) or a big-endian reference (bit 1) of a 12-bit offset into a 4096-byte
// circular dictionary and a 4-bit length less 2. The dictionary starts with a fixed RTF prefix.

const LZFU = 0x75465a4c;
const MELA = 0x414c454d;
const HEADER = 16;
const DICTIONARY = 4096;
const PREFIX = Buffer.from(
  '{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx',
  'latin1',
);

/**
 * The RTF a compressed RTF stream holds, at most `maxBytes` of it. Throws when the header cannot be read (too
 * short, a type neither `LZFu` nor `MELA`, a size past the value's end) or the RTF is larger than `maxBytes`: the
 * caller then reports the body unread. The CRC is not checked: a stream read whatever it claims is read at least
 * as far as any client reads it. Reading stops at the end reference (a reference to the write position) or at the
 * end of the data. Linear in the output.
 *
 * @example
 * ```ts
 * rtfText(lzfuDecompress(prRtfCompressed, 1024 * 1024).toString('latin1')); // the body as Outlook shows it
 * ```
 */
export function lzfuDecompress(value: Buffer, maxBytes: number): Buffer {
  if (value.length < HEADER) throw new Error('a compressed RTF body shorter than its header');
  const compressed = value.readUInt32LE(0);
  const raw = value.readUInt32LE(4);
  const type = value.readUInt32LE(8);
  if (type !== LZFU && type !== MELA) throw new Error(`a compressed RTF body of type 0x${type.toString(16)}`);
  if (compressed + 4 > value.length || compressed < HEADER - 4)
    throw new Error('a compressed RTF body that claims more bytes than it holds');
  if (raw > maxBytes) throw new Error(`a compressed RTF body of ${raw} bytes is over ${maxBytes}`);
  const data = value.subarray(HEADER, compressed + 4);
  if (type === MELA) return Buffer.from(data.subarray(0, raw));
  const dictionary = Buffer.alloc(DICTIONARY);
  PREFIX.copy(dictionary);
  let write = PREFIX.length;
  // At most 17 bytes for each 2 read (8.5 a byte): the output is not sized by the raw size it claims.
  const out = Buffer.alloc(Math.min(maxBytes, Math.ceil(data.length * 8.5)));
  let length = 0;
  const put = (byte: number) => {
    if (length >= out.length) throw new Error(`a compressed RTF body of more than ${maxBytes} bytes`);
    out[length++] = byte;
    dictionary[write] = byte;
    write = (write + 1) % DICTIONARY;
  };
  let at = 0;
  while (at < data.length) {
    const control = data[at++] as number;
    for (let bit = 0; bit < 8 && at < data.length; bit++) {
      if (!(control & (1 << bit))) {
        put(data[at++] as number);
        continue;
      }
      if (at + 2 > data.length) throw new Error('a compressed RTF body ends inside a reference');
      const reference = data.readUInt16BE(at);
      at += 2;
      const offset = reference >> 4;
      if (offset === write) return out.subarray(0, length);
      const count = (reference & 0xf) + 2;
      for (let k = 0; k < count; k++) put(dictionary[(offset + k) % DICTIONARY] as number);
    }
  }
  return out.subarray(0, length);
}
