// AppleDouble files as macOS writes them (copyfile's layout), for the false-positive rounds on Mac mail and zips
// (rounds 13 and 14).

/** A macOS AppleDouble file (copyfile's layout): Finder info with an `ATTR` block of extended attributes, then an empty resource fork. */
export function appleDouble(
  attributes: ReadonlyArray<[string, Buffer]>,
  resourceFork = emptyResourceFork(),
): Buffer {
  const finderStart = 50;
  const attrStart = finderStart + 34;
  const entries = attributes.map(([name, value]) => {
    const entry = Buffer.alloc((11 + name.length + 1 + 3) & ~3);
    entry.writeUInt32BE(value.length, 4);
    entry.writeUInt8(name.length + 1, 10);
    entry.write(name, 11, 'latin1');
    return entry;
  });
  let at = attrStart + 36 + entries.reduce((n, e) => n + e.length, 0);
  const dataStart = at;
  entries.forEach((entry, i) => {
    entry.writeUInt32BE(at, 0);
    at += attributes[i]?.[1].length ?? 0;
  });
  const attrHeader = Buffer.alloc(36);
  attrHeader.write('ATTR', 0, 'latin1');
  attrHeader.writeUInt32BE(at, 8);
  attrHeader.writeUInt32BE(dataStart, 12);
  attrHeader.writeUInt32BE(at - dataStart, 16);
  attrHeader.writeUInt16BE(attributes.length, 34);
  const finder = Buffer.concat([Buffer.alloc(34), attrHeader, ...entries, ...attributes.map(([, v]) => v)]);
  const head = Buffer.alloc(50);
  head.writeUInt32BE(0x00051607, 0);
  head.writeUInt32BE(0x00020000, 4);
  head.write('Mac OS X        ', 8, 'latin1');
  head.writeUInt16BE(2, 24);
  head.writeUInt32BE(9, 26);
  head.writeUInt32BE(finderStart, 30);
  head.writeUInt32BE(finder.length, 34);
  head.writeUInt32BE(2, 38);
  head.writeUInt32BE(finderStart + finder.length, 42);
  head.writeUInt32BE(resourceFork.length, 46);
  return Buffer.concat([head, finder, resourceFork]);
}
export function emptyResourceFork(): Buffer {
  const fork = Buffer.alloc(286);
  fork.writeUInt32BE(256, 0);
  fork.writeUInt32BE(256, 4);
  fork.writeUInt32BE(30, 12);
  fork.write('This resource fork intentionally left blank   ', 16 + 256 - 256, 'latin1');
  return fork;
}
export const QUARANTINE: [string, Buffer] = [
  'com.apple.quarantine',
  Buffer.from('0083;6752a1b2;Safari;4E8A6F0C-1D2B-4C3D-9E8F-0A1B2C3D4E5F'),
];
export const WHERE_FROMS: [string, Buffer] = [
  'com.apple.metadata:kMDItemWhereFroms',
  Buffer.concat([
    Buffer.from('bplist00\xa2\x01\x02_\x10\x2bhttps://bank.example/statements/2026-11.pdf', 'latin1'),
    Buffer.from('_\x10\x18https://bank.example/home\x08\x0b\x39', 'latin1'),
    Buffer.alloc(32),
  ]),
];
