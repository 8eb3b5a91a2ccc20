import { MAX_PDF_PIECES } from './pdf-layout.js';
import { PdfDocument } from './pdf-pages.js';
import { PdfProblem } from './pdf-problem.js';
import { NO_DEADLINE, type ReadingDeadline, ReadingTimeUp, TIME_RAN_OUT } from './reading-deadline.js';

// The text a reader of a PDF sees: what the text-showing operators of its pages' content streams (and the forms
// they draw) show, each glyph turned into its character by the font's ToUnicode CMap, encoding or glyph names;
// form fields' values and annotations' contents. Objects are found by scanning the file (as viewers recover a
// damaged one), so a broken or cyclic cross-reference chain is never followed. Bounded: bytes decoded, bytes
// interpreted, objects, pages and nesting; past a bound, or for what cannot be decided (a glyph with no known
// character, a filter not read), the reading says why instead of answering with part of the text.

// In layers, each on the one before: pdf-lexer.ts (values), pdf-objects.ts (the file's objects, streams decoded),
// pdf-content.ts (content streams run, with pdf-fonts.ts), pdf-pages.ts (pages, annotations, fields, strings).

/** What {@link pdfText} read. */
export interface PdfReading {
  /** The pages' text (one entry a page), then form fields' values and annotations' contents. */
  texts: string[];
  /** True when the file is encrypted (/Encrypt): its content is not read. */
  encrypted: boolean;
  /** Why the text is not known (a bound, a damaged file, a glyph with no known character); absent when read whole. */
  unread?: string;
  /** Bytes decoded (streams inflated), counted against the caller's budget. */
  bytes: number;
  /**
   * The files embedded in it (its attachments pane, file-attachment notes: any stream a file specification's
   * /EF names, or typed /EmbeddedFile), for the caller to read as attached files are.
   */
  files: { name: string; bytes: Buffer }[];
}

export { MAX_PDF_OBJECTS } from './pdf-objects.js';
export { MAX_PDF_PAGES } from './pdf-pages.js';
export { MAX_PDF_PIECES };

/**
 * Reads a PDF's visible text, decoding at most `maxBytes` (streams inflated, and content interpreted: a form
 * drawn on every page counts each time), and stopping at `deadline` (the reading is synchronous: no timer can
 * stop it). Never throws: what it cannot read is in `unread`.
 *
 * @example
 * ```ts
 * const { texts, encrypted, unread } = pdfText(readFileSync('statement.pdf'), 10 * 1024 * 1024);
 * ```
 */
export function pdfText(pdf: Buffer, maxBytes: number, deadline: ReadingDeadline = NO_DEADLINE): PdfReading {
  const doc = new PdfDocument(pdf, maxBytes, deadline);
  const reading: PdfReading = { texts: [], encrypted: false, bytes: 0, files: [] };
  try {
    doc.scan();
    if (!doc.encrypted) doc.viewChain();
    if (doc.encrypted) reading.encrypted = true;
    else {
      reading.texts = doc.read();
      reading.files = doc.embeddedFiles();
    }
  } catch (error) {
    reading.unread =
      error instanceof PdfProblem || error instanceof ReadingTimeUp
        ? error.message
        : `not read (${(error as Error).message})`;
  }
  // Interpreting content costs more than decoding it (3–4 MB/s against ~100 MB/s inflating, measured on a
  // 2-core EPYC): charged three times to the caller's budget, so a message's PDFs together interpret at most a
  // third of it (real documents are far below: Debian's 60-page libtasn1 manual is charged 1.2 MB).
  reading.bytes = doc.decoded + 3 * doc.interpreted;
  // Whatever caught the deadline's throw on the way, a reading it cut short is not the whole text.
  if (deadline.expired)
    Object.assign(reading, { unread: TIME_RAN_OUT, encrypted: false, texts: [], files: [] });
  if (reading.unread === undefined && doc.unknownGlyphs > 0)
    reading.unread = `${doc.unknownGlyphs} glyphs whose characters the file does not say (no ToUnicode map)`;
  return reading;
}
