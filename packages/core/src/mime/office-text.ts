// Office Open XML (.docx, .xlsx, .pptx) and OpenDocument files are zip archives of XML parts: their text is
// in those parts, which packed-text.ts reads.

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
