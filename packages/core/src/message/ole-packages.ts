import { compoundStreams } from '../mime/compound-file.js';
import type { ArchiveEntry } from './archive-entry.js';

// A package (Windows' Object Packager, MS-OLEDS 2.3.6 `Ole10Native` with the packager's own layout) wraps any
// file: a document shows its icon and label, and a double click writes the file to its temporary path and opens it
// there, by that path's extension. An Office document carrying `invoice.vbs` this way holds an executable as a zip
// does.
const NATIVE = '\u0001ole10native';
const LINKED_FILE = 1;
const EMBEDDED_FILE = 3;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the name is UTF-16: a NUL after each letter
const NATIVE_NAME = /o\0l\0e\x001\x000\0n\0a\0t\0i\0v\0e\0/i;

/** Whether `bytes` start as an OLE compound file (legacy Office, an embedded object's `oleObject1.bin`). */
export function isOleStorage(head: Buffer): boolean {
  return head.length >= 8 && head.toString('hex', 0, 8) === 'd0cf11e0a1b11ae1';
}

/**
 * A file a package holds: the names it is shown or written under (the one it is opened by first), and its content;
 * none for a link package, which opens the file its source path names (on a share: `\\host\share\run.exe`).
 */
export interface PackagedFile {
  names: string[];
  content?: Buffer;
}

/**
 * The files packaged in the compound file `data` (its `\x01Ole10Native` streams). Throws when the compound file or
 * a package cannot be read whole: the caller does not know what it holds. Linear: each stream is read once,
 * within `maxBytes`.
 *
 * @example
 * ```ts
 * olePackages(oleObjectBin, 1 << 20); // [{ names: ['invoice.vbs', 'Invoice.pdf'], content: … }]
 * ```
 */
export function olePackages(data: Buffer, maxBytes: number): PackagedFile[] {
  const files: PackagedFile[] = [];
  // Without a package's stream name among its bytes (names are UTF-16, compared without case), a file whose
  // tables cannot be followed still holds no package: not a reason to call it unread.
  if (!NATIVE_NAME.test(data.toString('latin1'))) return files;
  for (const stream of compoundStreams(data, maxBytes)) {
    if (stream.name.toLowerCase() !== NATIVE) continue;
    files.push(packagedFileOf(stream.bytes(), true));
  }
  return files;
}

/**
 * Calls `visit` for each file packaged in the compound file `data` ({@link olePackages}): once per name the file
 * is shown or written under, each with the package's content.
 */
export function eachOlePackage(data: Buffer, maxBytes: number, visit: (entry: ArchiveEntry) => void): void {
  for (const file of olePackages(data, maxBytes)) visitPackage(file, visit);
}

/**
 * Calls `visit` for each name of the file an OLE 1 `Package` object's native data holds (an RTF `\objdata`: the
 * packager's layout without the stream's size in front). Throws when it cannot be read whole.
 */
export function eachPackagedFile(native: Buffer, visit: (entry: ArchiveEntry) => void): void {
  visitPackage(packagedFileOf(native, false), visit);
}

function visitPackage(file: PackagedFile, visit: (entry: ArchiveEntry) => void): void {
  const content = file.content;
  for (const name of file.names)
    visit(content ? { name, head: (max) => content.subarray(0, max), bytes: () => content } : { name });
}

/**
 * The file a package holds, from the packager's layout: (`sized`: the stream's size, then) flags, label, source
 * path, a type, the temporary path, the content, and optionally the three names again in UTF-16; a link package
 * (type 1) has its source path's name and label only. The temporary path's name comes first: the file is opened by
 * it. Throws when the package is cut short, of another type, or its temporary path reads two ways.
 */
export function packagedFileOf(native: Buffer, sized: boolean): PackagedFile {
  const r = new Reader(native);
  if (sized && r.u32() > native.length - 4) throw new Error('an Ole10Native package longer than its stream');
  r.u16(); // flags
  const label = r.cString();
  const source = r.cString();
  const type = r.u32() >>> 16;
  if (type === LINKED_FILE) return { names: [...new Set([baseName(source), label].filter((n) => n !== ''))] };
  if (type !== EMBEDDED_FILE) throw new Error(`an Ole10Native package of an unknown kind (${type})`);
  // Its length, then the path and its NUL: a reader going by either must find the same path.
  const length = r.u32();
  const temporary = r.cString(length);
  if (length === 0 || native[r.position() - 1] !== 0 || temporary.length !== length - 1)
    throw new Error('an Ole10Native package whose temporary path reads two ways');
  const size = r.u32();
  const content = r.bytes(size);
  const names = [baseName(temporary), label, baseName(source)];
  // The UTF-16 names, present when the package was made by a Unicode packager; absent or cut short otherwise.
  for (let k = 0; k < 3 && r.left() >= 4; k++) {
    const length = r.u32();
    if (length * 2 > r.left()) break;
    names.push(baseName(r.bytes(length * 2).toString('utf16le')));
  }
  return { names: [...new Set(names.filter((n) => n !== ''))], content };
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')) + 1);
}

class Reader {
  private at = 0;
  constructor(private readonly buffer: Buffer) {}
  left(): number {
    return this.buffer.length - this.at;
  }
  position(): number {
    return this.at;
  }
  private need(n: number): void {
    if (n > this.left()) throw new Error('an Ole10Native package cut short');
  }
  u16(): number {
    this.need(2);
    this.at += 2;
    return this.buffer.readUInt16LE(this.at - 2);
  }
  u32(): number {
    this.need(4);
    this.at += 4;
    return this.buffer.readUInt32LE(this.at - 4);
  }
  bytes(n: number): Buffer {
    this.need(n);
    this.at += n;
    return this.buffer.subarray(this.at - n, this.at);
  }
  /** A NUL-terminated ANSI string, or one of `length` bytes (its NUL included) when given. */
  cString(length?: number): string {
    const end = length === undefined ? this.buffer.indexOf(0, this.at) : this.at + length;
    if (end < 0) throw new Error('an Ole10Native package cut short');
    const text = this.bytes(end - this.at).toString('latin1');
    if (length === undefined) this.at++;
    const nul = text.indexOf('\0');
    return nul >= 0 ? text.slice(0, nul) : text;
  }
}
