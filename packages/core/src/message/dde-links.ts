import type { ArchiveEntry } from './archive-entry.js';
import { decodeEntities } from './html-text.js';
import { XML_PREFIX } from './xml-document.js';

// Excel's dynamic data exchange starts a program named in a formula (`=cmd|'/c calc'!A0`: the `cmd` server, its
// topic and item) or in a workbook's external link (`<ddeLink ddeService="cmd" ddeTopic="/c calc">`), after prompts
// recipients are trained to accept: the spreadsheet twin of Word's DDEAUTO field (attacker rounds 50 and 51).
// OpenDocument writes the same links in its own words (attacker round 58): a spreadsheet's `table:dde-link` and a
// text's `text:dde-connection-decl` (each an `office:dde-source`: server, topic, item, automatic update), and a
// cell's `of:=DDE("cmd";"/c calc";"A0")`, as a `.csv` cell LibreOffice evaluates (OWASP's `=DDE(…)A0`).

/** Names Excel opens as a spreadsheet written as text (its cells are read for DDE formulas wherever it is). */
export const SPREADSHEET_NAMED = /\.(?:csv|tsv|tab)[\s.]*$/i;

const DDE_LINK = new RegExp(`<${XML_PREFIX}ddeLink(?=[\\s/>])`, 'i');
// A DDE reference in a formula: a server name, then `|` (no other formula operator is `|`); or a call of DDE().
const DDE_REFERENCE = /[\w.]\s*\||(?:^|\W)DDE\s*\(/i;
// OpenDocument's DDE links, whatever the prefix.
const ODF_DDE = new RegExp(`<${XML_PREFIX}dde-(?:source|connection-decl|connection|link)(?=[\\s/>])`, 'i');
// A workbook's formulas: an .xlsx cell's `<f>`, an Excel 2003 XML cell's `ss:Formula`, a web page's `x:fmla`.
const FORMULA_ELEMENT = new RegExp(`<${XML_PREFIX}f(?=[\\s>])[^<>]*>([^<]*)<`, 'gi');
const FORMULA_ATTRIBUTE = /\b(?:formula|fmla)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/gi;

/** Whether an Office part holds a DDE link (a workbook's external link) or a formula with a DDE reference. */
export function hasDdeLink(xml: string): boolean {
  if (!xml.includes('|') && !xml.includes('&') && !/dde/i.test(xml)) return false;
  if (xml.includes('ddeLink') && DDE_LINK.test(xml)) return true;
  if (ODF_DDE.test(xml)) return true;
  for (const m of xml.matchAll(FORMULA_ELEMENT))
    if (DDE_REFERENCE.test(decodeEntities(m[1] as string))) return true;
  for (const m of xml.matchAll(FORMULA_ATTRIBUTE))
    if (DDE_REFERENCE.test(decodeEntities(m[1] ?? m[2] ?? ''))) return true;
  return false;
}

/**
 * Lists nothing from a spreadsheet written as text (a `.csv` Excel opens) and throws when one of its cells is a
 * formula (`=`, `+`, `-`, `@` first, after spaces) with a DDE reference. Cells are read as Excel splits them: by
 * comma, semicolon, tab and the separator a `sep=` first line names, a quoted cell whole. Linear.
 *
 * @example
 * ```ts
 * eachSpreadsheetTextFile(Buffer.from("=cmd|'/c calc'!A0"), 1 << 20, () => {}); // throws
 * ```
 */
export function eachSpreadsheetTextFile(
  data: Buffer,
  _maxBytes: number,
  _visit: (entry: ArchiveEntry) => void,
): void {
  const text = spreadsheetText(data);
  if (isSylk(data)) throw new Error('a SYLK file, which Excel opens as a .slk whatever its name');
  if (!text.includes('|') && !/dde/i.test(text)) return;
  const separator = /^\s*sep=(.)/i.exec(text)?.[1];
  for (const line of text.split(/\r\n|[\r\n]/))
    if (line.includes('|') || /dde/i.test(line))
      for (const cell of cells(line, separator))
        if (/^\s*[=+\-@]/.test(cell) && DDE_REFERENCE.test(cell))
          throw new Error('a cell whose formula starts a program by DDE');
}

// A line's cells: split at separators outside quotes; a quoted cell's `""` is one quote.
function cells(line: string, separator: string | undefined): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let at = 0; at < line.length; at++) {
    const c = line[at] as string;
    if (quoted) {
      if (c !== '"') cell += c;
      else if (line[at + 1] === '"') {
        cell += '"';
        at++;
      } else quoted = false;
    } else if (c === '"' && cell.trim() === '') quoted = true;
    else if (c === ',' || c === ';' || c === '\t' || c === separator) {
      out.push(cell);
      cell = '';
    } else cell += c;
  }
  out.push(cell);
  return out;
}

/** Whether a file starts with a SYLK `ID` record, as Excel detects SYLK whatever the file's name. */
export function startsAsSylk(head: Buffer): boolean {
  return /^ID(?:;|\r|\n)/.test(head.toString('latin1', 0, 3));
}

/**
 * Whether a file is SYLK: an `ID` record first (Excel opens it as SYLK whatever its name, and runs its `EXEC` and
 * DDE formulas), then a cell, format, name or option record (attacker round 58). A CSV whose first column is `ID`
 * has no such records.
 */
export function isSylk(data: Buffer): boolean {
  return startsAsSylk(data) && /^(?:C|F|NN|O);/m.test(data.toString('latin1'));
}

function spreadsheetText(data: Buffer): string {
  if (data[0] === 0xff && data[1] === 0xfe) return data.toString('utf16le', 2);
  if (data[0] === 0xfe && data[1] === 0xff)
    return Buffer.from(data.subarray(2, 2 + ((data.length - 2) & ~1)))
      .swap16()
      .toString('utf16le');
  return data.toString('utf8');
}
