import { inflateRawSync } from 'node:zlib';
import { compoundStreams } from './compound-file.js';

// A Hangul word processor (HWP 5) document: an OLE compound file whose `FileHeader` stream says how the others are
// stored. Hangul saves them compressed by default (raw deflate): the paragraphs' text (UTF-16LE records in
// `BodyText/Section0`…), the document information, and the files it embeds (`BinData/BIN0001.OLE`, a workbook
// pasted into the document), so none of it is among the file's strings (attacker round 63: a card in the body of an
// `.hwp` report left unread). A password, a distribution document's key or DRM encrypts them: not read.

const SIGNATURE = 'HWP Document File';
const COMPRESSED = 1;
// A password (bit 1), a distribution document (2), DRM (4), a certificate's encryption or DRM (8, 10).
const ENCRYPTED = (1 << 1) | (1 << 2) | (1 << 4) | (1 << 8) | (1 << 10);
// Streams Hangul stores as they are whatever the header says: the header, the preview's text and picture, and
// property sets (`\x05HwpSummaryInformation`), all read as the file's strings already.
const STORED = /^(?:FileHeader|PrvText|PrvImage)$/;
const PROPERTY_SET = '\x05';
// The streams that hold the document's own text and settings: one that does not inflate is not read.
const TEXT_STREAM = /^(?:Section\d+|DocInfo)$/;

/** One stream of an HWP document, as Hangul reads it (inflated), and whether it holds the document's text. */
export interface HwpStream {
  name: string;
  bytes: Buffer;
  /** A body section or the document information (records), not an embedded file. */
  records: boolean;
}

/**
 * The inflated streams of an HWP 5 document (an OLE compound file whose `FileHeader` starts `HWP Document File`),
 * at most `maxBytes` in all: undefined when `file` is no HWP document (its bytes do not hold the signature, or no
 * `FileHeader` starts with it), none when its streams are stored
 * uncompressed (its strings hold its text). Throws when it is encrypted, when its streams cannot be followed, when a
 * body section or the document information does not inflate, or past `maxBytes`: what it says is then not known.
 * An embedded file that does not inflate is given as stored. Linear in the file's size and `maxBytes`.
 *
 * @example
 * ```ts
 * for (const s of hwpStreams(hwp, 50 << 20) ?? []) read(s.bytes);
 * ```
 */
export function hwpStreams(file: Buffer, maxBytes: number): HwpStream[] | undefined {
  // Only a file holding the signature is followed: another compound file's tables are not this reader's to judge.
  if (!file.includes(SIGNATURE, 0, 'latin1')) return undefined;
  const streams = compoundStreams(file, maxBytes);
  const header = streams.find((s) => s.name === 'FileHeader');
  if (!header) return undefined;
  const head = header.bytes();
  if (head.toString('latin1', 0, SIGNATURE.length) !== SIGNATURE) return undefined;
  if (head.length < 40) throw new Error('an HWP document whose header is cut short');
  const flags = head.readUInt32LE(36);
  if (flags & ENCRYPTED) throw new Error('an HWP document encrypted (a password, distribution or DRM)');
  if (!(flags & COMPRESSED)) return [];
  const out: HwpStream[] = [];
  let left = maxBytes;
  for (const stream of streams) {
    if (STORED.test(stream.name) || stream.name.startsWith(PROPERTY_SET) || stream.size === 0) continue;
    const stored = stream.bytes();
    const records = TEXT_STREAM.test(stream.name);
    let bytes: Buffer;
    try {
      bytes = inflateRawSync(stored, { maxOutputLength: Math.max(1, left) });
    } catch (error) {
      if (records || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        throw new Error(`HWP stream ${stream.name} does not inflate (${(error as Error).message})`);
      bytes = stored;
    }
    left -= bytes.length;
    if (left < 0) throw new Error(`HWP streams of more than ${maxBytes} bytes`);
    out.push({ name: stream.name, bytes, records });
  }
  return out;
}
