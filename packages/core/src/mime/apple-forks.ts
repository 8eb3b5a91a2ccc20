import { MAX_APPLE_DATA_FORKS, MAX_APPLE_ENTRIES, MAX_APPLE_NAME_BYTES } from '../message/apple-file.js';
import type { EncodedFile } from './encoded-files.js';

// AppleSingle and AppleDouble (RFC 1740): Apple Mail saves an `application/applefile` part as the file its data fork
// holds, named by the real-name entry (the guard reads it so: message/apple-file.ts). Here the whole decoded part is
// at hand, so each data fork is handed out whole, to be read as an attached file is (attacker round 65).
const APPLE_SINGLE = 0x00051600;
const APPLE_DOUBLE = 0x00051607;
const HEADER_BYTES = 26;
const DESCRIPTOR_BYTES = 12;
const DATA_FORK = 1;
const REAL_NAME = 3;

/** What {@link appleFileForks} found: the data forks, and why what the file holds may not be all known. */
export interface AppleForks {
  files: EncodedFile[];
  problem?: string;
}

/** Whether `bytes` start as an AppleSingle or AppleDouble file. */
export function isAppleFile(bytes: Buffer): boolean {
  if (bytes.length < 4) return false;
  const magic = bytes.readUInt32BE(0);
  return magic === APPLE_SINGLE || magic === APPLE_DOUBLE;
}

/**
 * The data forks of an AppleSingle (or AppleDouble) file, each named by the real-name entry and by `names`, the
 * part's own. Bounded as the guard's reader is; a header cut short, an entry past the end or past the bounds is a
 * `problem`. Undefined when `bytes` are no such file.
 *
 * @example
 * ```ts
 * appleFileForks(appleSingle, ['Invoice'])?.files; // [{ name: 'cards.zip', bytes: <the data fork> }]
 * ```
 */
export function appleFileForks(bytes: Buffer, names: readonly string[] = []): AppleForks | undefined {
  if (!isAppleFile(bytes)) return undefined;
  if (bytes.length < HEADER_BYTES)
    return { files: [], problem: 'an AppleSingle file cut short inside its header' };
  const count = bytes.readUInt16BE(24);
  if (count > MAX_APPLE_ENTRIES)
    return { files: [], problem: `an AppleSingle file with more than ${MAX_APPLE_ENTRIES} entries` };
  if (bytes.length < HEADER_BYTES + count * DESCRIPTOR_BYTES)
    return { files: [], problem: 'an AppleSingle file cut short inside its header' };
  const forks: Buffer[] = [];
  const realNames: string[] = [];
  let problem: string | undefined;
  for (let i = 0; i < count; i++) {
    const at = HEADER_BYTES + i * DESCRIPTOR_BYTES;
    const id = bytes.readUInt32BE(at);
    if (id !== DATA_FORK && id !== REAL_NAME) continue;
    const start = bytes.readUInt32BE(at + 4);
    const end = start + bytes.readUInt32BE(at + 8);
    if (end > bytes.length) problem ??= `an AppleSingle file whose entry ${id} runs past its end`;
    const entry = bytes.subarray(start, end);
    if (id === DATA_FORK) {
      if (forks.length === MAX_APPLE_DATA_FORKS)
        problem ??= `an AppleSingle file with more than ${MAX_APPLE_DATA_FORKS} data forks`;
      else forks.push(entry);
    } else if (entry.length > MAX_APPLE_NAME_BYTES)
      problem ??= `an AppleSingle file whose real name is over ${MAX_APPLE_NAME_BYTES} bytes`;
    else realNames.push(entry.toString('utf8'));
  }
  // Saved under the real name, or the part's (a compressed file named after what it holds): both count.
  const name = realNames.find(Boolean) ?? names[0] ?? '(data fork)';
  const alias = names.find((n) => n !== name);
  const files = forks.map((fork) => ({ name, bytes: fork, ...(alias ? { alias } : {}) }));
  return problem ? { files, problem } : { files };
}

// What a PDF viewer, a zip reader or an archive tool that searches a file for an archive would open in one: a
// companion holding any of these is read as its name says, as before (false-positive round 13).
const OPENED_INSIDE: readonly Buffer[] = [
  ...[
    [
      'PK\x03\x04',
      'PK\x05\x06',
      'PK\x01\x02',
      '%PDF',
      'Rar!',
      '7z\xbc\xaf',
      'MSCF',
      '\xfd7zXZ',
      'BZh',
      'ustar',
    ],
    // ARJ, LHA, ISO 9660, cpio, xar, a disk image's trailer, WIM: formats 7-Zip finds by their bytes.
    ['\x60\xea', '-lh', 'CD001', '070701', '070707', 'xar!', 'koly', 'MSWIM'],
  ]
    .flat()
    .map((s) => Buffer.from(s, 'latin1')),
  ...['1f8b', '28b52ffd', 'd0cf11e0', '789f3e22'].map((h) => Buffer.from(h, 'hex')),
  Buffer.from('{\\rtf', 'latin1'),
  // A PDF's objects (`1 0 obj`), which pdf.js finds in a file without a header: any `obj` counts.
  Buffer.from('obj', 'latin1'),
];
const APPLE_DOUBLE_V2 = 0x00020000;

/**
 * Whether an archive's file named `name` is a macOS AppleDouble companion: a name `._<file>` (the Finder's Compress
 * writes one into `__MACOSX/`, macOS `tar` beside the file, for each file with extended attributes), bytes that are
 * an AppleDouble (version 2) file whose entries lie inside it and hold no data fork, and none of the signatures of
 * what a PDF viewer or an archive tool would open inside it (a zip's, a PDF's header or any `obj`, a gzip's, an
 * OLE file's, RTF…). Such a file holds the attributes and resource fork of `<file>`, not `<file>`: it is read for its
 * strings, not as the PDF or Office file its extension names. `whole` is asked for only when the name and first bytes
 * say so. One pass per signature: linear.
 *
 * @example
 * ```ts
 * isAppleDoubleCompanion('__MACOSX/Docs/._plan.pdf', head, () => bytes); // true for the Finder's companion
 * ```
 */
export function isAppleDoubleCompanion(name: string, head: Buffer, whole: () => Buffer): boolean {
  return isCompanionName(name) && holdsAppleDoubleHeader(head, whole);
}

function isCompanionName(name: string): boolean {
  return name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).startsWith('._');
}

/**
 * Whether a message part is an AppleDouble header as {@link isAppleDoubleCompanion} reads a companion (the same
 * bytes), the part named `._<file>` (a companion attached on its own) or declared `application/applefile` (RFC
 * 1740's header part, which Apple Mail names as the file and sends before the file itself in a
 * `multipart/appledouble`; false-positive round 14). Its strings are read, not the file its name claims. `whole`
 * is asked for only when the names or type and the first bytes say so.
 *
 * @example
 * ```ts
 * isAppleDoublePart(['Report.pdf'], 'application/applefile', head, () => bytes); // true for Apple Mail's header
 * ```
 */
export function isAppleDoublePart(
  names: readonly string[],
  contentType: string,
  head: Buffer,
  whole: () => Buffer,
): boolean {
  const claimed = contentType.trim().toLowerCase() === 'application/applefile' || names.some(isCompanionName);
  return claimed && holdsAppleDoubleHeader(head, whole);
}

function holdsAppleDoubleHeader(head: Buffer, whole: () => Buffer): boolean {
  if (head.length < 8) return false;
  if (head.readUInt32BE(0) !== APPLE_DOUBLE || head.readUInt32BE(4) !== APPLE_DOUBLE_V2) return false;
  const bytes = whole();
  if (bytes.length < HEADER_BYTES) return false;
  const count = bytes.readUInt16BE(24);
  if (count > MAX_APPLE_ENTRIES || bytes.length < HEADER_BYTES + count * DESCRIPTOR_BYTES) return false;
  for (let i = 0; i < count; i++) {
    const at = HEADER_BYTES + i * DESCRIPTOR_BYTES;
    if (bytes.readUInt32BE(at) === DATA_FORK) return false;
    if (bytes.readUInt32BE(at + 4) + bytes.readUInt32BE(at + 8) > bytes.length) return false;
  }
  return !OPENED_INSIDE.some((signature) => bytes.includes(signature));
}
