import { compoundStreams } from '../mime/compound-file.js';
import type { ArchiveEntry } from './archive-entry.js';
import { fieldSources } from './field-codes.js';
import { linkedSource, windowsNames } from './link-names.js';
import { wordBinaryFieldInstructions } from './word-binary-fields.js';

// A package (Windows' Object Packager, MS-OLEDS 2.3.6 `Ole10Native` with the packager's own layout) wraps any
// file: a document shows its icon and label, and a double click writes the file to its temporary path and opens it
// there, by that path's extension. An Office document carrying `invoice.vbs` this way holds an executable as a zip
// does.
// Stream names compare as MS-CFB compares them, upper-cased (`\x01Ole10Natıve`, dotless ı, opens as the package).
const NATIVE = '\u0001OLE10NATIVE';
// An embedded object's own stream (MS-OLEDS 2.3.3): its flags say whether it links to a file (an `OLE2Link`).
const OLE = '\u0001OLE';
const LINKED_OBJECT = 1;
const LINKED_FILE = 1;
const EMBEDDED_FILE = 3;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the name is UTF-16: a NUL after each letter
const OLE_NAME = /\x01\0o\0l\0e\0/i;
// The monikers a link names its source by: a URL (`http://host/run.hta`) and a file (`\\host\share\run.exe`).
const URL_MONIKER = Buffer.from('e0c9ea79f9bace118c8200aa004ba90b', 'hex');
const FILE_MONIKER = Buffer.from('0303000000000000c000000000000046', 'hex');
const COMPOSITE_MONIKER = Buffer.from('0903000000000000c000000000000046', 'hex');

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
  /** A link to an address on a server (`http://host/doc`): what it opens, the server chooses. */
  remote?: string;
  /** A link to a file on another computer (`\\host\share\x`): the host, reached with the user's credentials. */
  host?: string;
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
  // Without an object's stream name among its bytes (names are UTF-16, compared without case), a file whose
  // tables cannot be followed still holds no package: not a reason to call it unread.
  if (!OLE_NAME.test(data.toString('latin1'))) return files;
  for (const stream of compoundStreams(data, maxBytes)) {
    const name = stream.name.toUpperCase();
    if (name === NATIVE) files.push(packagedFileOf(stream.bytes(), true));
    else if (name === OLE) {
      const sources = linkSources(stream.bytes());
      if (sources !== undefined) files.push(linkedFile(sources));
    }
  }
  return files;
}

/**
 * The files or addresses an object's `\x01Ole` stream links to (an `OLE2Link`, which Word binds and opens when the
 * document does): every URL and file moniker in it (a decoy moniker beside the one bound is listed too), or
 * undefined for an embedded object. Throws when its source monikers (MS-OLEDS 2.3.3) do not frame as the stream's
 * sizes say, or one of them, or a member of a composite one, is of a class not read here (a "new", script or SOAP
 * moniker), or none names a source: what it opens is not known.
 */
function linkSources(stream: Buffer): string[] | undefined {
  if (stream.length < 8 || (stream.readUInt32LE(4) & LINKED_OBJECT) === 0) return undefined;
  const sources: string[] = [];
  for (let at = stream.indexOf(URL_MONIKER); at >= 0; at = stream.indexOf(URL_MONIKER, at + 16)) {
    if (at + 20 > stream.length) break;
    const end = Math.min(stream.length, at + 20 + stream.readUInt32LE(at + 16));
    sources.push(cutAtNul(stream.subarray(at + 20, end).toString('utf16le')));
  }
  for (let at = stream.indexOf(FILE_MONIKER); at >= 0; at = stream.indexOf(FILE_MONIKER, at + 16))
    sources.push(...filePaths(stream, at + 16));
  const bound: string[] = [];
  for (const moniker of sourceMonikers(stream)) readMoniker(moniker, 0, bound, 0);
  if (bound.length === 0) throw new Error('an embedded object linking to a source it does not read');
  return [...sources, ...bound];
}

// A file moniker's paths (MS-OSHARED 2.3.7.8): the ANSI one, and the Unicode one Windows opens when present.
function filePaths(stream: Buffer, at: number): string[] {
  if (at + 6 > stream.length) return [];
  const ansiEnd = Math.min(stream.length, at + 6 + stream.readUInt32LE(at + 2));
  const paths = [cutAtNul(stream.subarray(at + 6, ansiEnd).toString('latin1'))];
  const extension = ansiEnd + 2 + 2 + 16 + 4;
  if (extension + 4 > stream.length || stream.readUInt32LE(extension) === 0) return paths;
  if (extension + 10 > stream.length) return paths;
  const bytes = stream.readUInt32LE(extension + 4);
  const start = extension + 10;
  paths.push(cutAtNul(stream.subarray(start, Math.min(stream.length, start + bytes)).toString('utf16le')));
  return paths;
}

// The relative and absolute source monikers, framed by the sizes before them (each the moniker's size plus 4).
function sourceMonikers(stream: Buffer): Buffer[] {
  let at = 16;
  const sized = (): Buffer => {
    if (at + 4 > stream.length) throw new Error(LINK_UNFRAMED);
    const size = stream.readUInt32LE(at);
    at += 4;
    if (size === 0) return Buffer.alloc(0);
    if (size < 4 || at + size - 4 > stream.length) throw new Error(LINK_UNFRAMED);
    at += size - 4;
    return stream.subarray(at - size + 4, at);
  };
  sized(); // the reserved moniker, which Word does not bind
  return [sized(), sized()].filter((moniker) => moniker.length > 0);
}

const LINK_UNFRAMED = 'an embedded object link whose monikers do not frame as its sizes say';
const ITEM_MONIKER = Buffer.from('0403000000000000c000000000000046', 'hex');
const ANTI_MONIKER = Buffer.from('0503000000000000c000000000000046', 'hex');
const MAX_MEMBERS = 64;
const MAX_NESTING = 8;

// Reads the moniker at `at` (its class, then its data as the class lays it out), adding the sources a URL or file
// moniker names; returns where it ends. A composite's members are read in turn: any class not known here throws.
function readMoniker(moniker: Buffer, at: number, sources: string[], depth: number): number {
  const u32 = (offset: number) => {
    if (offset + 4 > moniker.length) throw new Error('an embedded object link whose moniker is cut short');
    return moniker.readUInt32LE(offset);
  };
  const clsid = moniker.subarray(at, at + 16);
  if (clsid.length < 16) throw new Error('an embedded object link whose moniker is cut short');
  const data = at + 16;
  if (clsid.equals(URL_MONIKER)) {
    const end = data + 4 + u32(data);
    sources.push(cutAtNul(moniker.subarray(data + 4, end).toString('utf16le')));
    return end;
  }
  if (clsid.equals(FILE_MONIKER)) {
    sources.push(...filePaths(moniker, data));
    const extension = data + 6 + u32(data + 2) + 24;
    return extension + 4 + u32(extension);
  }
  if (clsid.equals(COMPOSITE_MONIKER)) {
    const count = u32(data);
    if (count > MAX_MEMBERS || depth >= MAX_NESTING)
      throw new Error('an embedded object link whose composite moniker is too deep or too long');
    let end = data + 4;
    for (let k = 0; k < count; k++) end = readMoniker(moniker, end, sources, depth + 1);
    return end;
  }
  if (clsid.equals(ITEM_MONIKER)) {
    const item = data + 4 + u32(data);
    return item + 4 + u32(item);
  }
  if (clsid.equals(ANTI_MONIKER)) return data + 4;
  throw new Error(`an embedded object linking by a moniker it does not read ({${clsid.toString('hex')}})`);
}

/** The file a link opens, by the names of its sources; remote when one of them is on a server. */
export function linkedFile(sources: readonly string[]): PackagedFile {
  const read = sources.map(linkedSource);
  const remote = read.find((source) => source.remote !== undefined)?.remote;
  const host = read.find((source) => source.host !== undefined)?.host;
  const names = [...new Set(read.flatMap((source) => source.names))];
  return { names, ...(remote === undefined ? {} : { remote }), ...(host === undefined ? {} : { host }) };
}

/** A string as a C string reads it: up to its first NUL. */
export function cutAtNul(text: string): string {
  const nul = text.indexOf('\0');
  return nul >= 0 ? text.slice(0, nul) : text;
}

/**
 * Calls `visit` for each file packaged in the compound file `data` ({@link olePackages}): once per name the file
 * is shown or written under, each with the package's content; then for each name of a file a Word document's
 * fields in it open (LINK, INCLUDETEXT: {@link wordBinaryFieldInstructions}; a picture's by its name alone).
 * Throws as those do, and for a field that runs a program (DDEAUTO), after the files already visited.
 */
export function eachOlePackage(data: Buffer, maxBytes: number, visit: (entry: ArchiveEntry) => void): void {
  for (const file of olePackages(data, maxBytes)) visitPackage(file, visit);
  eachFieldFile(wordBinaryFieldInstructions(data, maxBytes), visit);
}

/**
 * Calls `visit` for each name of the file an OLE 1 `Package` object's native data holds (an RTF `\objdata`: the
 * packager's layout without the stream's size in front). Throws when it cannot be read whole.
 */
export function eachPackagedFile(native: Buffer, visit: (entry: ArchiveEntry) => void): void {
  visitPackage(packagedFileOf(native, false), visit);
}

/**
 * Calls `visit` for each name of the file a link's sources open ({@link linkedFile}); a `picture`'s (drawn, never
 * run) by its names alone, wherever it is, unless it is on another computer: fetching it from a share signs in as the
 * user there, whatever the file is (attacker round 118).
 */
export function eachLinkedName(
  sources: readonly string[],
  visit: (entry: ArchiveEntry) => void,
  picture = false,
): void {
  visitPackage(
    linkedFile(sources),
    picture
      ? (entry) =>
          visit(entry.host === undefined ? { name: entry.name } : { name: entry.name, host: entry.host })
      : visit,
  );
}

/**
 * Calls `visit` for each name of each file the fields whose instructions are given open ({@link fieldSources}: LINK,
 * INCLUDETEXT, a picture's by its names alone); then throws for a field that runs a program (DDE, DDEAUTO) or whose
 * source another field builds.
 */
export function eachFieldFile(instructions: readonly string[], visit: (entry: ArchiveEntry) => void): void {
  const fields = fieldSources(instructions);
  for (const { path, picture } of fields.files) eachLinkedName([path], visit, picture);
  if (fields.runs) throw new Error(`a ${fields.runs} field, which runs a program`);
  if (fields.built) throw new Error('a field whose source another field builds');
}

function visitPackage(file: PackagedFile, visit: (entry: ArchiveEntry) => void): void {
  const { content, remote, host } = file;
  for (const name of file.names)
    visit(
      content
        ? { name, head: (max) => content.subarray(0, max), bytes: () => content }
        : {
            name,
            ...(remote === undefined ? {} : { remote }),
            ...(host === undefined ? {} : { host }),
          },
    );
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
  if (type === LINKED_FILE) {
    const linked = linkedFile([source]);
    return { ...linked, names: [...new Set([...linked.names, label].filter((n) => n !== ''))] };
  }
  if (type !== EMBEDDED_FILE) throw new Error(`an Ole10Native package of an unknown kind (${type})`);
  // Its length, then the path and its NUL: a reader going by either must find the same path.
  const length = r.u32();
  const temporary = r.cString(length);
  if (length === 0 || native[r.position() - 1] !== 0 || temporary.length !== length - 1)
    throw new Error('an Ole10Native package whose temporary path reads two ways');
  const size = r.u32();
  const content = r.bytes(size);
  const names = [...windowsNames(temporary), label, ...windowsNames(source)];
  // The UTF-16 names, present when the package was made by a Unicode packager; absent or cut short otherwise. The
  // packager takes a name up to its first NUL (`invoice.vbs\0…\report.pdf` is written as invoice.vbs): both listed.
  for (let k = 0; k < 3 && r.left() >= 4; k++) {
    const length = r.u32();
    if (length * 2 > r.left()) break;
    const wide = r.bytes(length * 2).toString('utf16le');
    names.push(...windowsNames(cutAtNul(wide)), ...windowsNames(wide));
  }
  return { names: [...new Set(names.filter((n) => n !== ''))], content };
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
    return cutAtNul(text);
  }
}
