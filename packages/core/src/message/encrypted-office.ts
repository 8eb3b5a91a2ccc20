import { compoundStreams } from '../mime/compound-file.js';
import { fibEncrypted } from '../mime/word-binary.js';

// Office documents encrypted with a password keep their content as ciphertext: macros, DDE fields and embedded
// objects inside are not known, and a default password opens some without a prompt (Excel's `VelvetSweatshop`).
// Each is known by what stays in the clear, nothing is decrypted:
// - an Office Open XML package (any name: .docx, .xlsm…) encrypted per MS-OFFCRYPTO is a compound file holding an
//   `EncryptionInfo` and an `EncryptedPackage` stream;
// - a Word 97-2003 document's FIB sets fEncrypted (RC4, or XOR obfuscation);
// - an Excel 97-2003 workbook's globals (the `Workbook`, or Excel 5/95 `Book`, stream's first substream) hold a
//   FILEPASS record (RC4 or XOR). Record headers stay in the clear when their bodies are encrypted, so the records
//   are walked by their headers from the BOF to the globals' EOF.
// Names in the compound file's directory are UTF-16, compared without case (as MS-CFB compares them); without one
// of them among the file's bytes, the file is none of these and its tables are not followed.
const OFFICE_NAMES = /e\0n\0c\0r\0y\0p\0t\0|w\0o\0r\0d\0d\0o\0c\0u\0m\0e\0n\0t\0|b\0o\0o\0k\0/i;
const PACKAGE_STREAMS = new Set(['ENCRYPTEDPACKAGE', 'ENCRYPTIONINFO']);
const WORD_STREAM = 'WORDDOCUMENT';
const WORKBOOK_STREAMS = new Set(['WORKBOOK', 'BOOK']);
const BOF = 0x0809;
const EOF = 0x000a;
const FILEPASS = 0x002f;

/** The parts of an encrypted Office document a compound file holds, as they are named when refused. */
export type EncryptedOfficePart = 'package' | 'text' | 'workbook';

/**
 * What of the compound file `data` is an encrypted Office document's (each part once): an encrypted OOXML
 * `package`, a Word document's `text`, an Excel `workbook`; none for a file that is no encrypted document. Throws
 * when the compound file of an Office document cannot be read: whether it is encrypted is not known. Linear: each
 * stream is read at most once, within `maxBytes`.
 *
 * @example
 * ```ts
 * encryptedOfficeParts(velvetSweatshopXlsx, 1 << 24); // ['package']
 * ```
 */
export function encryptedOfficeParts(data: Buffer, maxBytes: number): EncryptedOfficePart[] {
  if (!OFFICE_NAMES.test(data.toString('latin1'))) return [];
  const parts = new Set<EncryptedOfficePart>();
  for (const stream of compoundStreams(data, maxBytes)) {
    const name = stream.name.toUpperCase();
    if (PACKAGE_STREAMS.has(name)) parts.add('package');
    else if (name === WORD_STREAM && !parts.has('text') && fibEncrypted(stream.bytes())) parts.add('text');
    else if (WORKBOOK_STREAMS.has(name) && !parts.has('workbook') && globalsHavePassword(stream.bytes()))
      parts.add('workbook');
  }
  return [...parts];
}

/**
 * Whether a BIFF5/8 workbook stream's globals substream (a BOF, records, an EOF) holds a FILEPASS record. Only the
 * 4-byte record headers are read, each once; a stream that does not start with a BOF is no workbook read here.
 */
export function globalsHavePassword(stream: Buffer): boolean {
  if (stream.length < 4 || stream.readUInt16LE(0) !== BOF) return false;
  for (let at = 0; at + 4 <= stream.length; at += 4 + stream.readUInt16LE(at + 2)) {
    const type = stream.readUInt16LE(at);
    if (type === FILEPASS) return true;
    if (type === EOF) return false;
  }
  return false;
}
