/**
 * The values of an iCalendar or vCard object as a calendar or address book shows them: folded lines
 * joined, quoted-printable values (vCard 2.1) decoded as UTF-8, and text escapes (`\n`, `\,`, `\;`,
 * `\\`) undone. Lenient by design (every `=XX` run is decoded): it is read in addition to the text as
 * written. Linear: one pass per replacement.
 *
 * @example
 * ```ts
 * directoryValues('NOTE;ENCODING=QUOTED-PRINTABLE:4111=201111=\r\n=201111\\n1111');
 * // 'NOTE;ENCODING=QUOTED-PRINTABLE:4111 1111 1111\n1111'
 * ```
 */
export function directoryValues(text: string): string {
  return text
    .replace(/\r?\n[ \t]/g, '')
    .replace(/=\r?\n/g, '')
    .replace(/(?:=[0-9A-Fa-f]{2})+/g, (run) => Buffer.from(run.replace(/=/g, ''), 'hex').toString('utf8'))
    .replace(/\\([nN,;:\\])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}
