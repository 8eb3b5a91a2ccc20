import type { EachEntry } from '../message/archive-entry.js';
import { claimedArchiveKind } from '../message/archive-kind.js';
import { isAppleDoubleCompanion } from './apple-forks.js';
import { binaryReading, claimedPdf, HEAD_BYTES } from './binary-text.js';
import { textIfMessage } from './carried-message.js';
import { fileReading } from './file-reading.js';
import { TAG_HEAD } from './media-tags.js';
import { type VisibleKind, visibleKind } from './visible-kind.js';
import { eachZipEntry, type ZipEntry } from './zip-entries.js';

// The files of a zip archive a recipient can read: text-like by name (csv, txt, html, xml, Office…) or by
// their first bytes (text, OLE, TNEF, and zip, gzip, signed or PDF files, which the caller opens in turn), and
// the strings of binary files of no known format. Images, audio, video, fonts and programs are listed as
// skipped, and archives of a kind not opened (RAR, 7z…), binary property lists (a Safari web archive) and Apple
// iWork document data as unopened; an archive or a wanted file that cannot be read (encrypted, zip64, over the
// budget) is an error.

/** One readable file of an archive: how to read it, and its bytes. */
export interface ZipText {
  name: string;
  kind:
    | Exclude<VisibleKind, 'binary' | 'message' | 'fragment'>
    | 'strings'
    /** A picture's or recording's text tags, as media-tags.ts joins them. */
    | 'tags'
    | 'zip'
    | 'gzip'
    | 'cms'
    | 'tar'
    | 'pdf';
  bytes: Buffer;
}

/** What {@link zipTexts} and {@link archiveTexts} found in an archive. */
export interface ArchiveTexts {
  texts: ZipText[];
  /** Binary files (images…): not text, listed for logs. */
  skipped: string[];
  /** Every name, as an archive tool lists it. */
  names: string[];
  /** Archives and compressed files of a kind not opened (a RAR in the zip), each with why: unread. */
  unopened: string[];
}

/**
 * The readable files of a zip archive, inflating at most `maxBytes` in all (binary files cost only their
 * first bytes); throws when the archive or a readable file cannot be read. Given `encrypted`, a
 * password-protected file is named there instead, and the other files are still read; given `read`, only the
 * files it accepts are looked at.
 *
 * @example
 * ```ts
 * const { texts, skipped } = zipTexts(zip, 50 * 1024 * 1024);
 * ```
 */
export function zipTexts(
  zip: Buffer,
  maxBytes: number,
  encrypted?: string[],
  read: (name: string) => boolean = () => true,
): ArchiveTexts {
  return archiveTexts(eachZipEntry, zip, maxBytes, encrypted, read);
}

/**
 * The readable files of an archive another lister walks (a tar's, `eachTarEntry`), as {@link zipTexts} reads a
 * zip's; folders, and links that store no bytes (a tar's: their content is another file's, read under that file),
 * are not read. A zip entry marked as a link is read as a file, as Windows extracts it.
 *
 * @example
 * ```ts
 * const { texts } = archiveTexts(eachTarEntry, tar, 50 * 1024 * 1024);
 * ```
 */
export function archiveTexts(
  each: EachEntry,
  archive: Buffer,
  maxBytes: number,
  encrypted?: string[],
  read: (name: string) => boolean = () => true,
): ArchiveTexts {
  const texts: ZipText[] = [];
  const skipped: string[] = [];
  const unopened: string[] = [];
  // Every name, as an archive tool lists it (folders and links too): a recipient reads them.
  const names: string[] = [];
  const iwork: string[] = [];
  each(archive, maxBytes, (entry) => {
    names.push(entry.name);
    // The names other tools list it under (a Unicode Path field's, a Japanese Windows's): a recipient reads those.
    for (const other of [entry.unicodeName, entry.codePageName]) if (other !== undefined) names.push(other);
    if (entry.name.endsWith('/') || entry.dir || !read(entry.name)) return;
    // Before the link test: an iWork document's data marked as a link is still that data, unread.
    if (IWORK_DATA.test(entry.name)) {
      iwork.push(entry.name);
      return;
    }
    const { head, bytes } = entry;
    if (!head || !bytes) throw new Error(`${entry.name}: content not read`);
    try {
      // A zip entry with a Unix link mode is a link to unzip and macOS, but Windows Explorer and Python's zipfile
      // write its bytes as a regular file: they are read as one. A tar's link stores no bytes (its content is
      // another file's, read under that file's name): nothing to read.
      if (entry.link && head(1).length === 0) return;
      readEntry({ name: entry.name, head, bytes }, texts, skipped, unopened);
    } catch (error) {
      // The message zip-entries.ts gives an encrypted entry (archive-files.ts reads it the same way).
      if (!encrypted || (error as Error).message !== `${entry.name} is encrypted`) throw error;
      encrypted.push(entry.name);
    }
  });
  if (iwork.length > 0) {
    const more = iwork.length > 1 ? ` and ${iwork.length - 1} more` : '';
    unopened.push(
      `${iwork[0]}${more}: Apple iWork document data (Snappy-compressed records), which is not read`,
    );
  }
  return { texts, skipped, names, unopened };
}

// An iWork document's text and cells are in its `.iwa` files (Snappy-compressed protobuf records; numbers in
// cells are stored as binary doubles): not read, so they count as unread, never as skipped binaries.
const IWORK_DATA = /\.iwa$/i;

function readEntry(
  entry: Pick<ZipEntry, 'name' | 'head' | 'bytes'>,
  texts: ZipText[],
  skipped: string[],
  unopened: string[],
): void {
  // A macOS AppleDouble companion (`__MACOSX/Docs/._plan.pdf`) holds the file's attributes, not the file: read by
  // its bytes (for its strings), not as the PDF or Office file its name claims (false-positive round 13).
  const companion = isAppleDoubleCompanion(entry.name, entry.head(HEAD_BYTES), () => entry.bytes());
  const byName: VisibleKind = companion
    ? 'binary'
    : visibleKind({ contentType: 'application/octet-stream', filename: entry.name });
  let kind: ZipText['kind'];
  const claimed = companion ? undefined : claimedArchiveKind([entry.name]);
  if (claimed === 'cms' || claimed === 'tar') kind = claimed;
  else if (byName === 'message' || byName === 'fragment') kind = 'text';
  else if (byName !== 'binary') kind = byName;
  else {
    // The binary parts of an Office file (`.xlsb`: xl/sharedStrings.bin) hold their text as UTF-16LE strings.
    const head = entry.head(HEAD_BYTES);
    // A message or mailbox file is text whatever bytes its bodies hold (a NUL): clients open it as mail.
    const reading = companion
      ? binaryReading(head)
      : /\.bin$/i.test(entry.name)
        ? 'strings'
        : textIfMessage(claimedPdf(binaryReading(head), [entry.name], '', head), entry.name, head);
    const read = fileReading(
      reading,
      head,
      [entry.name],
      () => entry.bytes(),
      () => entry.head(TAG_HEAD),
    );
    if ('unread' in read) {
      unopened.push(`${entry.name}: ${read.unread}`);
      return;
    }
    // Binary of no known format (a report ending in a DOS end-of-file mark, UTF-16 without a mark) is read for
    // its strings; images, audio and programs are skipped.
    if (read.reading === 'binary') {
      skipped.push(entry.name);
      return;
    }
    // A picture's or recording's tags, from its first bytes (where cameras and taggers write them) or, when they
    // run past those, the whole file; XMP packets read as markup too.
    if (read.reading === 'tags') {
      texts.push({ name: entry.name, kind: 'tags', bytes: read.tags });
      for (const packet of read.xmp)
        texts.push({ name: `${entry.name} (XMP)`, kind: 'markup', bytes: packet });
      return;
    }
    kind = read.reading;
  }
  const bytes = entry.bytes();
  const glyphs = glyphsByIndex(bytes);
  if (glyphs) unopened.push(`${entry.name}: ${glyphs}`);
  texts.push({ name: entry.name, kind, bytes });
}

// An XPS page's `Glyphs` element draws its characters from `UnicodeString`, or, without it, from `Indices`: glyph
// numbers of the page's font, whose characters are not known here (as a PDF font without a ToUnicode map). A page
// drawn so is not read (attacker round 73: a card drawn by glyph index left the organization).
const GLYPHS = /<(?:[\w.-]{1,40}:)?Glyphs\b[^>]{0,65536}/g;
const UNICODE_STRING = /\sUnicodeString\s*=\s*(["'])(?!\1)/;

function glyphsByIndex(bytes: Buffer): string | undefined {
  // XPS parts are UTF-8 or UTF-16 (with its mark); a UTF-16 part without one is read as such when it has NULs.
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[1] === 0 && bytes[0] === 0x3c);
  const text = utf16 ? bytes.toString('utf16le') : bytes.toString('latin1');
  if (!/Glyphs/.test(text)) return undefined;
  for (const m of text.matchAll(GLYPHS))
    if (!UNICODE_STRING.test(m[0]))
      return 'an XPS page draws glyphs by font index without a UnicodeString, which is not read';
  return undefined;
}
