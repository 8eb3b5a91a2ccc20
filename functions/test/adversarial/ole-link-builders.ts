// Builders for an embedded object's `\x01Ole` stream (MS-OLEDS 2.3.3) linking to a source by its monikers.

export const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};

const clsid = (hex: string) => Buffer.from(hex, 'hex');
export const MONIKER_CLASSES = {
  url: clsid('e0c9ea79f9bace118c8200aa004ba90b'),
  file: clsid('0303000000000000c000000000000046'),
  composite: clsid('0903000000000000c000000000000046'),
  item: clsid('0403000000000000c000000000000046'),
  // {ECABAFC6-7F19-11D2-978E-0000F8757E2A}, the "new" moniker, and {06290BD3-48AA-11D2-8432-006008C3FBFC}, the
  // script moniker: CVE-2017-8570's composite binds a scriptlet with them.
  new: clsid('c6afabec197fd211978e0000f8757e2a'),
  script: clsid('d30b2906aa48d2118432006008c3fbfc'),
};

/** A URL moniker: its class, the URL's size in bytes, the URL in UTF-16 with its NUL. */
export function urlMoniker(url: string): Buffer {
  const text = Buffer.from(`${url}\0`, 'utf16le');
  return Buffer.concat([MONIKER_CLASSES.url, u32(text.length), text]);
}

/** A file moniker (MS-OSHARED 2.3.7.8) with an ANSI path and a Unicode one. */
export function fileMoniker(ansi: string, wide: string): Buffer {
  const path = Buffer.from(`${ansi}\0`, 'latin1');
  const unicode = Buffer.from(wide, 'utf16le');
  return Buffer.concat([
    MONIKER_CLASSES.file,
    Buffer.from([0, 0]),
    u32(path.length),
    path,
    Buffer.from([0xff, 0xff, 0xad, 0xde]),
    Buffer.alloc(20),
    u32(unicode.length + 6),
    u32(unicode.length),
    Buffer.from([3, 0]),
    unicode,
  ]);
}

/** A composite moniker of `members`. */
export function compositeMoniker(...members: Buffer[]): Buffer {
  return Buffer.concat([MONIKER_CLASSES.composite, u32(members.length), ...members]);
}

const sized = (moniker: Buffer) => Buffer.concat([u32(moniker.length + 4), moniker]);

/** A linked object's `\x01Ole` stream: version, flags 1 (a link), its reserved, relative and absolute monikers. */
export function oleLinkStream(reserved: Buffer, relative: Buffer, absolute: Buffer): Buffer {
  return Buffer.concat([
    u32(0x02000001),
    u32(1),
    u32(1),
    u32(0),
    sized(reserved),
    sized(relative),
    sized(absolute),
  ]);
}
