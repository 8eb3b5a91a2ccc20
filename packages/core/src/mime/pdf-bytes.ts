// The byte classes of PDF's lexical conventions (ISO 32000-1 §7.2.2), shared by the content reader and the
// cross-reference reader.

/** White space: NUL, tab, line feed, form feed, carriage return, space. */
export const isPdfSpace = (b: number | undefined): boolean =>
  b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0;

/** Delimiters: ( ) < > [ ] { } / %. */
export const isPdfDelimiter = (b: number | undefined): boolean =>
  b === 0x28 ||
  b === 0x29 ||
  b === 0x3c ||
  b === 0x3e ||
  b === 0x5b ||
  b === 0x5d ||
  b === 0x7b ||
  b === 0x7d ||
  b === 0x2f ||
  b === 0x25;
