import { isCmsHead } from './cms-file.js';
import { nameVariants } from './file-names.js';
import { isTarHeader } from './tar-entries.js';

/**
 * The archive and compressed-file formats the walk recognises. `zip`, `rar`, `7z`, `tar`, `gzip` and `cab`
 * are listed; `cms` (a signed file: `.p7m`, `.tsd`) holds the file it signs, read; `bzip2`, `xz`, `lzip`,
 * `zstd`, `compress`, `lzma`, `brotli`, `zlib`, `lz4` and `lzo` hold one file, named after the archive;
 * `ace`, `arj`, `lzh`, `cpio`, `ar` (and `.deb`), `xar`, `wim`, `rpm`, `egg` and `alz` are recognised and not read.
 *
 * @example
 * ```ts
 * const archives = (await ctx.message.parts()).parts.filter((p) => p.archiveKind !== undefined);
 * ```
 */
export type ArchiveKind =
  | 'zip'
  | 'rar'
  | '7z'
  | 'tar'
  | 'gzip'
  | 'cab'
  | 'cms'
  | 'bzip2'
  | 'xz'
  | 'lzip'
  | 'zstd'
  | 'compress'
  | 'lzma'
  | 'brotli'
  | 'zlib'
  | 'lz4'
  | 'lzo'
  | 'ace'
  | 'arj'
  | 'lzh'
  | 'cpio'
  | 'ar'
  | 'xar'
  | 'wim'
  | 'rpm'
  | 'egg'
  | 'alz';

/** Bytes of a file's start {@link archiveKindOf} needs: tar's magic is at 257. */
export const KIND_HEAD = 512;

const SIGNATURES: ReadonlyArray<[kind: ArchiveKind, offset: number, bytes: string]> = [
  ['zip', 0, 'PK\x03\x04'],
  ['zip', 0, 'PK\x05\x06'],
  // The first part of a split zip (.z01) starts with the spanning marker.
  ['zip', 0, 'PK\x07\x08'],
  ['rar', 0, 'Rar!\x1a\x07'],
  ['7z', 0, '7z\xbc\xaf\x27\x1c'],
  ['gzip', 0, '\x1f\x8b'],
  ['cab', 0, 'MSCF\x00\x00\x00\x00'],
  ['bzip2', 0, 'BZh'],
  ['xz', 0, '\xfd7zXZ\x00'],
  ['lzip', 0, 'LZIP'],
  ['zstd', 0, '\x28\xb5\x2f\xfd'],
  ['compress', 0, '\x1f\x9d'],
  ['lz4', 0, '\x04\x22\x4d\x18'],
  ['lzo', 0, '\x89LZO\x00\r\n\x1a\n'],
  ['ace', 7, '**ACE**'],
  ['arj', 0, '\x60\xea'],
  ['tar', 257, 'ustar'],
  // Formats 7-Zip and libarchive open that are not read: refused, not passed as content.
  ['cpio', 0, '07070'],
  ['cpio', 0, '\xc7\x71'],
  ['cpio', 0, '\x71\xc7'],
  ['ar', 0, '!<arch>\n'],
  ['xar', 0, 'xar!'],
  ['wim', 0, 'MSWIM\x00\x00\x00'],
  ['rpm', 0, '\xed\xab\xee\xdb'],
  // ALZip's and Bandizip's own formats, which those archivers (the default ones in Korea) open on a double click
  // (attacker round 64).
  ['egg', 0, 'EGGA'],
  ['alz', 0, 'ALZ\x01'],
];
// A block's magic (pi) or the stream's end (sqrt pi).
const BZIP2_BLOCKS = new Set(['314159265359', '177245385090']);
// Short signatures that text could start with: the bytes after them must fit too.
const WEAK: Partial<Record<ArchiveKind, (head: Buffer) => boolean>> = {
  // A block or the end of the stream after `BZh` and the block size.
  bzip2: (head) =>
    /^BZh[1-9]/.test(head.toString('latin1', 0, 4)) && BZIP2_BLOCKS.has(head.toString('hex', 4, 10)),
  // The basic header's size, at most 2,600 bytes.
  arj: (head) => head.length >= 4 && head.readUInt16LE(2) > 0 && head.readUInt16LE(2) <= 2600,
  // A version field (not text) after the magic.
  egg: (head) => head.length >= 6 && ((head[4] ?? 0) < 0x20 || (head[5] ?? 0) < 0x20),
  // The largest code size, 9 to 16 bits.
  compress: (head) => (head[2] ?? 0) % 32 >= 9 && (head[2] ?? 0) % 32 <= 16,
};
// LHA: `-lh5-`, `-lz4-`, `-lhd-`… at offset 2.
const LZH = /^-l[hz][0-9a-z]-$/;

// Extensions, last first; `tgz` and the like are a tar compressed.
const EXTENSIONS: Readonly<Record<string, ArchiveKind>> = {
  zip: 'zip',
  // WinZip's extended zip, which WinRAR (by default), WinZip and 7-Zip open as a zip (attacker round 91).
  zipx: 'zip',
  rar: 'rar',
  '7z': '7z',
  tar: 'tar',
  gz: 'gzip',
  tgz: 'gzip',
  taz: 'gzip',
  cab: 'cab',
  // Signed files: the name without `.p7m` is the file's (`fattura.xml.p7m`); `.m7m` is a p7m with its time stamp.
  p7m: 'cms',
  m7m: 'cms',
  tsd: 'cms',
  bz2: 'bzip2',
  tbz: 'bzip2',
  tbz2: 'bzip2',
  xz: 'xz',
  txz: 'xz',
  lz: 'lzip',
  tlz: 'lzip',
  zst: 'zstd',
  tzst: 'zstd',
  z: 'compress',
  lzma: 'lzma',
  // Brotli and zlib streams have no signature to know them by: by name only.
  br: 'brotli',
  zz: 'zlib',
  zlib: 'zlib',
  deflate: 'zlib',
  lz4: 'lz4',
  tlz4: 'lz4',
  lzo: 'lzo',
  ace: 'ace',
  arj: 'arj',
  lzh: 'lzh',
  lha: 'lzh',
  cpio: 'cpio',
  ar: 'ar',
  deb: 'ar',
  xar: 'xar',
  wim: 'wim',
  swm: 'wim',
  esd: 'wim',
  rpm: 'rpm',
  egg: 'egg',
  alz: 'alz',
};
const COMPRESSED_TAR = new Set(['tgz', 'taz', 'tbz', 'tbz2', 'txz', 'tlz', 'tzst', 'tlz4']);

const TYPES: Readonly<Record<string, ArchiveKind>> = {
  'application/zip': 'zip',
  'application/x-zip-compressed': 'zip',
  'application/x-zip': 'zip',
  'application/x-rar-compressed': 'rar',
  'application/vnd.rar': 'rar',
  'application/x-rar': 'rar',
  'application/x-7z-compressed': '7z',
  'application/x-tar': 'tar',
  'application/gzip': 'gzip',
  'application/x-gzip': 'gzip',
  'application/x-gtar': 'tar',
  'application/vnd.ms-cab-compressed': 'cab',
  'application/pkcs7-mime': 'cms',
  'application/x-pkcs7-mime': 'cms',
  'application/timestamped-data': 'cms',
  'application/x-bzip2': 'bzip2',
  'application/x-bzip': 'bzip2',
  'application/x-xz': 'xz',
  'application/x-lzip': 'lzip',
  'application/zstd': 'zstd',
  'application/x-compress': 'compress',
  'application/x-lzma': 'lzma',
  'application/x-brotli': 'brotli',
  'application/x-lz4': 'lz4',
  'application/x-lzop': 'lzo',
  'application/x-ace-compressed': 'ace',
  'application/x-arj': 'arj',
  'application/x-lzh-compressed': 'lzh',
  'application/x-cpio': 'cpio',
  'application/x-archive': 'ar',
  'application/vnd.debian.binary-package': 'ar',
  'application/x-xar': 'xar',
  'application/x-rpm': 'rpm',
};

/** The format a file's first bytes show, if any (at least {@link KIND_HEAD} bytes for tar). */
export function archiveKindOf(head: Buffer): ArchiveKind | undefined {
  for (const [kind, offset, bytes] of SIGNATURES) {
    if (
      head.length >= offset + bytes.length &&
      head.toString('latin1', offset, offset + bytes.length) === bytes
    )
      if (!WEAK[kind] || WEAK[kind](head)) return kind;
  }
  if (head.length >= 7 && LZH.test(head.toString('latin1', 2, 7))) return 'lzh';
  if (isCmsHead(head)) return 'cms';
  return isTarHeader(head) ? 'tar' : undefined;
}

/** The format a file name's last extension (in any spelling a client takes) or a declared type claims. */
export function claimedArchiveKind(names: readonly string[], type = ''): ArchiveKind | undefined {
  for (const name of names)
    for (const variant of nameVariants(name)) {
      const kind = EXTENSIONS[lastExtension(variant)];
      if (kind) return kind;
    }
  return TYPES[type];
}

/**
 * The name of the one file a compressed file holds, as gzip, bzip2 and 7-Zip name it: the name without its
 * compression extension, `.tgz` and the like giving `.tar`. Undefined when the name has no such extension.
 */
export function innerFileName(name: string): string | undefined {
  const clean = nameVariants(name)[0] ?? name;
  const ext = lastExtension(clean);
  if (!EXTENSIONS[ext] || clean.length === ext.length + 1) return undefined;
  const stem = clean.slice(0, clean.length - ext.length - 1);
  return COMPRESSED_TAR.has(ext) ? `${stem}.tar` : stem;
}

function lastExtension(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  const ext = dot < 0 ? '' : base.slice(dot + 1).toLowerCase();
  // Parts of a split zip (.z01…) or an old-style RAR volume set (.r00…).
  return /^[zr]\d\d$/.test(ext) ? (ext[0] === 'z' ? 'zip' : 'rar') : ext;
}
