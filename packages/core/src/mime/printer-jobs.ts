/**
 * Why a file is unread because it is a printer job, if it is one: its first bytes (after a byte order mark, white
 * space or a Ctrl-D) are HP's Universal Exit Language (`ESC %-12345X`) or a PJL command (`@PJL`), which a job
 * "printed to file" (a `.prn`) starts with before the language it enters (PostScript, PCL), a PCL reset (`ESC E`),
 * or a PCL XL (PCL 6) stream header (`) HP-PCL XL;`).
 *
 * A printer job is a program for a printer: behind a PJL header a PostScript program draws what its operators
 * compute (attacker round 108 refused one only by its own first line), a PCL job places each character where its
 * cursor escapes move it (a card spelt one digit a move reads as digits broken by escapes), and a PCL XL job's text
 * is glyph indices in a binary stream (attacker round 111: a card in each was sent). A printer, GhostPCL or a
 * print-file viewer shows the page. Goes by the bytes alone, never by a name: a `.prn` is also Excel's and Lotus's
 * space-delimited text. Looks at `head`'s first 64 bytes: constant time.
 *
 * @example
 * ```ts
 * printerJobProblem(Buffer.from('\x1b%-12345X@PJL ENTER LANGUAGE=POSTSCRIPT\r\n', 'latin1')); // 'a printer job …'
 * printerJobProblem(Buffer.from('Region  Q1  Q2\r\n')); // undefined
 * ```
 */
export function printerJobProblem(head: Buffer): string | undefined {
  return PRINTER_JOB_START.test(head.toString('latin1', 0, 64))
    ? 'a printer job (PJL, PCL or PCL XL: what it prints is placed or computed, not spelt), which is not read'
    : undefined;
}
// A byte order mark, white space and the Ctrl-D some drivers put first; then the Universal Exit Language, a PJL
// command, a PCL reset (ESC E) or a PCL XL stream header (its binding, `)` big-endian or `(` little-endian).
// biome-ignore lint/suspicious/noControlCharactersInRegex: a printer job's escapes and Ctrl-D are its magic
const PRINTER_JOB_START = /^(?:\xef\xbb\xbf)?[\x04\s]*(?:\x1b%-12345X|@PJL|\x1bE|[()] HP-PCL XL;)/;
