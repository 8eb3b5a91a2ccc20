// Files encoded inside a text body, as encoders write them, for the tests of rounds 52 and 53.

export { yencChars, yencFile as yenc } from '@wmflow/core/testing';

const BINHEX_ALPHABET = '!"#$%&\'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr';

// BinHex's CRC (CCITT, over the bytes and two zero bytes).
function binhexCrc(bytes: Buffer): number {
  let crc = 0;
  for (const b of [...bytes, 0, 0])
    for (let bit = 7; bit >= 0; bit--) {
      const top = crc & 0x8000;
      crc = ((crc << 1) | ((b >> bit) & 1)) & 0xffff;
      if (top) crc ^= 0x1021;
    }
  return crc;
}

/**
 * A BinHex 4.0 file (RFC 1741): its begin line, a blank line, then `:`, the header (name, type, creator, flags,
 * fork lengths, CRC), the data fork and its CRC, an empty resource fork's CRC, 0x90 escaped, `:`, in lines of 64.
 *
 * @example
 * ```ts
 * binhex('a.exe', Buffer.from('MZ')).split('\r\n')[0]; // '(This file must be converted with BinHex 4.0)'
 * ```
 */
export function binhex(name: string, data: Buffer): string {
  const u16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
  const u32 = (n: number) => Buffer.from([n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
  const header = Buffer.concat([
    Buffer.from([name.length]),
    Buffer.from(name, 'latin1'),
    Buffer.from('\0????????', 'latin1'),
    u16(0),
    u32(data.length),
    u32(0),
  ]);
  const raw = [
    ...Buffer.concat([
      header,
      u16(binhexCrc(header)),
      data,
      u16(binhexCrc(data)),
      u16(binhexCrc(Buffer.alloc(0))),
    ]),
  ];
  const rle = raw.flatMap((b) => (b === 0x90 ? [b, 0] : [b]));
  while (rle.length % 3) rle.push(0);
  let out = ':';
  for (let i = 0; i < rle.length; i += 3) {
    const n = ((rle[i] ?? 0) << 16) | ((rle[i + 1] ?? 0) << 8) | (rle[i + 2] ?? 0);
    for (const shift of [18, 12, 6, 0]) out += BINHEX_ALPHABET[(n >> shift) & 63];
  }
  out += ':';
  return ['(This file must be converted with BinHex 4.0)', '', ...(out.match(/.{1,64}/g) ?? [])].join('\r\n');
}
