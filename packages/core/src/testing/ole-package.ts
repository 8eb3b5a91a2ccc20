import { compoundFile } from './compound.js';

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const cString = (s: string) => Buffer.from(`${s}\0`, 'latin1');

/**
 * A file as Windows' Object Packager wraps it (the packager's layout, without the stream's size in front): shown
 * as `label`, taken from `C:\<name>`, written to a temporary path ending in `name` and opened from there.
 *
 * @example
 * ```ts
 * const native = packagedFile('invoice.vbs', Buffer.from('MsgBox 1'));
 * ```
 */
export function packagedFile(name: string, content: Buffer, label = name): Buffer {
  const temporary = `C:\\Users\\x\\AppData\\Local\\Temp\\{0A1B}\\${name}`;
  return Buffer.concat([
    Buffer.from([2, 0]),
    cString(label),
    cString(`C:\\${name}`),
    u32(0x00030000),
    u32(temporary.length + 1),
    cString(temporary),
    u32(content.length),
    content,
  ]);
}

/**
 * An embedded object's compound file (`oleObject1.bin`) holding `name` as a package (`\x01Ole10Native`).
 *
 * @example
 * ```ts
 * zipFile([{ name: 'word/embeddings/oleObject1.bin', data: olePackageObject('invoice.vbs', vbs) }]);
 * ```
 */
export function olePackageObject(name: string, content: Buffer, label = name): Buffer {
  const native = packagedFile(name, content, label);
  return compoundFile([
    ['\u0001Ole10Native', Buffer.concat([u32(native.length), native])],
    ['\u0001CompObj', Buffer.from('Package\0', 'latin1')],
  ]);
}

/**
 * An RTF document embedding an OLE 1 object of class `className` whose native data is `native` (a `Package`
 * object's {@link packagedFile}, or a compound file), its hex in lines of 128 as Word writes it.
 *
 * @example
 * ```ts
 * rtfWithObject('Package', packagedFile('invoice.vbs', vbs));
 * ```
 */
export function rtfWithObject(className: string, native: Buffer): string {
  const name = cString(className);
  const object = Buffer.concat([
    u32(0x0501),
    u32(2),
    u32(name.length),
    name,
    u32(0),
    u32(0),
    u32(native.length),
    native,
  ]);
  const hex = object.toString('hex').replace(/.{128}/g, '$&\r\n');
  return `{\\rtf1\\ansi{\\fonttbl\\f0 Arial;}\\f0 Invoice attached.\\par{\\object\\objemb{\\*\\objclass ${className}}\\objw1200\\objh800{\\*\\objdata\r\n${hex}}}}`;
}
