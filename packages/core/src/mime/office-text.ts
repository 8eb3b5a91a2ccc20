import { eachZipEntry } from './zip-entries.js';

// Office Open XML (.docx, .xlsx, .pptx) and OpenDocument files are zip archives of XML parts: their text
// is in those parts (read with zip-entries.ts); what cannot be read is an error, so the caller can report
// the document as unread.

const OFFICE_EXTENSIONS = new Set('docx docm dotx xlsx xlsm xltx pptx pptm potx ppsx odt ods odp'.split(' '));

/** Whether a part is an Office Open XML or OpenDocument file, by declared type or file extension. */
export function isOfficeDocument(contentType: string, ext: string): boolean {
  return (
    OFFICE_EXTENSIONS.has(ext) ||
    contentType.startsWith('application/vnd.openxmlformats-officedocument.') ||
    contentType.startsWith('application/vnd.oasis.opendocument.') ||
    // A binary workbook (.xlsb) holds .bin parts, read as a zip archive's files (zip-text.ts).
    (/^application\/vnd\.ms-(?:word|excel|powerpoint)\.[a-z.]*macroenabled/.test(contentType) &&
      !contentType.includes('.binary.'))
  );
}

/**
 * The XML parts of an Office Open XML or OpenDocument file (markup, for a text reader that drops tags),
 * inflating at most `maxBytes` in all. Throws when it cannot read them all: not a zip, zip64, an
 * encrypted or unknown-method entry, a truncated archive, or more than `maxBytes`.
 *
 * @example
 * ```ts
 * for (const xml of officeXml(docx, 50 * 1024 * 1024)) console.log(htmlToText(xml));
 * ```
 */
export function officeXml(zip: Buffer, maxBytes: number): string[] {
  const out: string[] = [];
  eachZipEntry(zip, maxBytes, (entry) => {
    if (/\.xml$/i.test(entry.name)) out.push(entry.bytes().toString('utf8'));
  });
  return out;
}
