import type { ArchiveEntry } from './archive-entry.js';
import { XML_PREFIX } from './xml-document.js';

// Excel's dynamic data exchange starts a program named in a formula (`=cmd|'/c calc'!A0`: the `cmd` server, its
// topic and item) or in a workbook's external link (`<ddeLink ddeService="cmd" ddeTopic="/c calc">`), after prompts
// recipients are trained to accept: the spreadsheet twin of Word's DDEAUTO field (attacker round 50).

const DDE_LINK = new RegExp(`<${XML_PREFIX}ddeLink(?=[\\s/>])`, 'i');
// A cell opening a formula (`=`, `+`, `-`, `@`, as Excel reads a text file's cell) that holds a DDE reference: a
// server name, then `|`, before the cell's end.
const DDE_CELL = /(?:^|[,;\t])\s*"?\s*[=+\-@][^,;\t"]*?[\w.]\s*\|/;

/** Whether an Office part (a workbook's external link) holds a DDE link. */
export function hasDdeLink(xml: string): boolean {
  return xml.includes('ddeLink') && DDE_LINK.test(xml);
}

/**
 * Lists nothing from a spreadsheet written as text (a `.csv` Excel opens) and throws when one of its cells is a
 * formula with a DDE reference. Linear: each line is looked at once.
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
  const text = data.toString(data[0] === 0xff && data[1] === 0xfe ? 'utf16le' : 'utf8');
  if (!text.includes('|')) return;
  for (const line of text.split(/\r\n|[\r\n]/))
    if (line.includes('|') && DDE_CELL.test(line))
      throw new Error('a cell whose formula starts a program by DDE');
}
