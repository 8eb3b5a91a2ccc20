import { type ArchiveKind, archiveKindOf, claimedArchiveKind, KIND_HEAD } from '../message/archive-kind.js';
import { nameExtensions } from '../message/file-names.js';
import { printerJobProblem } from './printer-jobs.js';

// The archives and compressed files the visible-text reader opens; the other kinds the walk recognises (7z,
// RAR, CAB, bzip2, xz, zstd…) hold what the reader cannot see, so they are reported unread, not skipped.
const READ = new Set<ArchiveKind>(['zip', 'tar', 'gzip', 'cms']);

/**
 * The kind of archive or compressed file that a part's name, type or first bytes show and that the reader does
 * not open, if any.
 *
 * @example
 * ```ts
 * unreadArchiveKind(undefined, Buffer.from('7z\xbc\xaf\x27\x1c', 'latin1')); // '7z'
 * ```
 */
export function unreadArchiveKind(claimed: ArchiveKind | undefined, head: Buffer): ArchiveKind | undefined {
  const kind = archiveKindOf(head.subarray(0, KIND_HEAD)) ?? claimed;
  return kind !== undefined && !READ.has(kind) ? kind : undefined;
}

/**
 * Why a file read as `binary` by its first bytes cannot be skipped: an archive or compressed file of a kind
 * the reader does not open, by those bytes or by one of its names, a data format it does not decode (a binary
 * property list: {@link unreadDataFormat}), or an executable carrying an archive (a
 * self-extracting archive: given the whole file, not only its head). Every place that reads a file by its first
 * bytes asks (a part, a file in a zip or tar, a gzip's or signed file's content, a winmail.dat's file, a
 * uuencoded file), so a RAR is unread wherever it is carried.
 *
 * @example
 * ```ts
 * unreadFileProblem('binary', rarBytes, ['export.rar']); // 'a rar file, which is not read'
 * ```
 */
export function unreadFileProblem(
  reading: string,
  head: Buffer,
  names: readonly string[] = [],
): string | undefined {
  // A PostScript program is unread whether its bytes look like text or not (attacker round 108).
  const program = postScriptProblem(head, names);
  if (program) return program;
  // So is a printer job (PJL, PCL, PCL XL), by its first bytes (attacker round 111).
  const job = printerJobProblem(head);
  if (job) return job;
  if (reading !== 'binary') return undefined;
  const kind = unreadArchiveKind(claimedArchiveKind(names.filter(Boolean)), head);
  if (kind) return `a ${kind} file, which is not read`;
  const data = unreadDataFormat(head);
  if (data) return data;
  const carried = isExecutable(head) ? carriedArchiveKind(head) : undefined;
  return carried && `an executable carrying a ${carried} archive (self-extracting), which is not read`;
}

/**
 * Why a binary file whose first bytes show a data format the reader does not decode is unread, if they do: a
 * binary property list (`bplist00`: a Safari `.webarchive`, whose pages Safari shows; an Apple settings or data
 * file), whose strings may be objects of an archiver, nested lists or pages in any encoding; a compiled HTML help
 * file (`ITSF`: a `.chm`, its pages LZX-compressed). Never skipped as binary, nor read as strings.
 *
 * @example
 * ```ts
 * unreadDataFormat(Buffer.from('bplist00\xd1\x01\x02', 'latin1')); // 'a binary property list (…), which is not read'
 * ```
 */
export function unreadDataFormat(head: Buffer): string | undefined {
  if (head.toString('latin1', 0, BPLIST.length) === BPLIST)
    return 'a binary property list (such as a Safari web archive), which is not read';
  // A compiled HTML help file (`.chm`, opened by Windows' help viewer): its pages are LZX-compressed (attacker
  // round 108), so its strings do not spell them.
  if (head.toString('latin1', 0, 4) === 'ITSF' && head.length >= 8 && [2, 3].includes(head.readUInt32LE(4)))
    return 'a compiled HTML help file (its pages LZX-compressed), which is not read';
  return undefined;
}
// Every version's magic starts so (`bplist00`, and `bplist15`, `bplist16` of newer systems).
const BPLIST = 'bplist';

/**
 * Why a PostScript file is unread, if it is one: its first bytes are a PostScript program's (`%!PS`, `%!Adobe`, after
 * a byte order mark, a Ctrl-D or white space) or a DOS EPS binary's header, or it holds anything and a name (`.ps`,
 * `.eps`, `.epsf`, `.epsi`) or the declared type says a viewer opens it as one (and no PDF header shows it is a PDF).
 * A PostScript file is a program: a page shows what its operators draw, from strings written in hex
 * (`<3431…> show`), with octal escapes, in ASCII85, decoded by a filter from the file itself (`currentfile
 * /FlateDecode filter`) or computed, none of which its text spells (attacker round 108: a card so drawn was sent).
 * Looks at `head` alone: constant time.
 *
 * @example
 * ```ts
 * postScriptProblem(Buffer.from('%!PS-Adobe-3.0\n<3431> show'), ['x.ps']); // 'a PostScript program (…), which is not read'
 * postScriptProblem(Buffer.from('%!TEX program = xelatex'), ['paper.tex']); // undefined
 * ```
 */
export function postScriptProblem(head: Buffer, names: readonly string[], type = ''): string | undefined {
  // A name or type is not taken for PostScript over a PDF's header: an Illustrator `.ai` is a PDF, sent as
  // application/postscript (its registered type), and read as the PDF it is.
  const claimed =
    (POSTSCRIPT_TYPES.has(type.trim().toLowerCase()) ||
      names.some((name) => nameExtensions(name).some((e) => POSTSCRIPT_EXTENSIONS.has(e)))) &&
    !head.subarray(0, 1024).includes('%PDF-');
  const start = head.toString('latin1', 0, 64);
  const program = (head.length >= 4 && head.readUInt32BE(0) === 0xc5d0d3c6) || POSTSCRIPT_START.test(start);
  return program || (claimed && head.length > 0)
    ? 'a PostScript program (what it draws is computed, not spelt), which is not read'
    : undefined;
}
const POSTSCRIPT_EXTENSIONS = new Set(['ps', 'eps', 'epsf', 'epsi']);
const POSTSCRIPT_TYPES = new Set([
  'application/postscript',
  'application/eps',
  'application/x-eps',
  'image/eps',
  'image/x-eps',
]);
// A byte order mark, the Ctrl-D some drivers put first, white space; then `%!PS` or `%!Adobe` (not `%!TEX`, the
// magic comment of a TeX source).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the Ctrl-D (0x04) a print driver writes before `%!`
const POSTSCRIPT_START = /^(?:\xef\xbb\xbf)?[\x04\s]*%!(?:PS|Adobe)/;

/** Whether a file is a Windows executable (`MZ`): a self-extracting archive is one, its archive appended. */
export function isExecutable(head: Buffer): boolean {
  return head[0] === 0x4d && head[1] === 0x5a;
}

// The archive a self-extracting executable carries after its program (7-Zip and WinRAR open it there): one of the
// kinds not read, or a zip (a zip SFX), which the reader does not look for inside a program either.
function carriedArchiveKind(bytes: Buffer): ArchiveKind | undefined {
  return embeddedUnreadKind(bytes) ?? (bytes.indexOf(ZIP_LOCAL, 2) > 0 ? 'zip' : undefined);
}
const ZIP_LOCAL = Buffer.from('PK\x03\x04', 'latin1');

// Signatures long enough to be found anywhere in a file without matching by chance: RAR, 7z, xz, CAB, and bzip2's
// header with its first block's magic (BZh, a level, then the digits of pi).
const EMBEDDED: ReadonlyArray<[ArchiveKind, Buffer]> = [
  ['rar', Buffer.from('Rar!\x1a\x07', 'latin1')],
  ['7z', Buffer.from('7z\xbc\xaf\x27\x1c', 'latin1')],
  ['xz', Buffer.from('\xfd7zXZ\x00', 'latin1')],
  ['cab', Buffer.from('MSCF\x00\x00\x00\x00', 'latin1')],
  ['bzip2', Buffer.from('314159265359', 'hex')],
];

/**
 * The kind of an archive or compressed file of a kind the reader does not open that sits anywhere inside
 * `bytes`, if any: what an OLE file (a legacy Office document, an embedded object's `Ole10Native` package)
 * carries as an embedded file, which its strings do not show. One search for each signature: linear.
 *
 * @example
 * ```ts
 * embeddedUnreadKind(oleObjectBin); // 'xz' when the package holds cards.csv.xz
 * ```
 */
export function embeddedUnreadKind(bytes: Buffer): ArchiveKind | undefined {
  for (const [kind, signature] of EMBEDDED) {
    const at = bytes.indexOf(signature);
    if (at < 0) continue;
    // bzip2's magic follows its 4-byte header (BZh1–BZh9).
    if (kind !== 'bzip2' || (at >= 4 && /^BZh[1-9]$/.test(bytes.toString('latin1', at - 4, at)))) return kind;
  }
  return undefined;
}
