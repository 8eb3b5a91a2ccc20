import { decodeEntities } from './html-text.js';
import { XML_PREFIX, xmlCharacterData } from './xml-document.js';

/**
 * What a Word document's fields open as it opens or updates: the files `LINK`, `INCLUDETEXT` and `INCLUDEPICTURE`
 * name (a picture's is drawn, never run), and whether a `DDE` or `DDEAUTO` field runs a program.
 */
export interface FieldSources {
  files: { path: string; picture: boolean }[];
  /** The field that runs a program (`DDEAUTO`), when there is one. */
  runs?: string;
  /**
   * A linking field whose source another field inside it builds (`LINK Package "{ QUOTE 92 … }"`), or a field whose
   * keyword one builds (`{ { QUOTE 68 68 69 65 85 84 79 } cmd.exe … }` is DDEAUTO; attacker round 58): not known.
   */
  built?: string;
}

/** Where a field inside another field's code starts, in the instructions this module gives. */
export const NESTED_FIELD = '\u0013';

// A field's instruction: `LINK Package "C:\\x\\a.exe"`, `INCLUDETEXT "\\\\host\\s\\a.docx"`, `DDEAUTO c:\\…\\cmd.exe "/k calc"`.
// A keyword may touch its arguments where a tab or break between them was read as nothing. RD names a document
// and DATABASE's \d or \c switch a data source, opened from their paths too (attacker round 51).
const LINKING =
  /\b(LINK\s*[^\s"“”]+|INCLUDETEXT|INCLUDEPICTURE|INCLUDE|IMPORT|RD|DATABASE[^"“”]*?\\[dc])\s*(?:["“”]([^"“”]*)["“”]?|(\S+))/gi;
const RUNNING = /\b(DDE(?:AUTO)?)/i;
// A HYPERLINK field to a macro, which LibreOffice (opening the .docx or .rtf) runs when followed (attacker round 58).
const MACRO_HYPERLINK = /\bHYPERLINK\s*["“”]?\s*(?:vnd\.sun\.star\.script|macro):/i;

/**
 * The sources of the fields whose instructions `instructions` holds (a Word part's `w:instrText` runs joined, a
 * `w:fldSimple`'s `w:instr`, an RTF `\fldinst`), paths with a field's doubled backslashes read as one. Linear.
 *
 * @example
 * ```ts
 * fieldSources(['INCLUDETEXT "\\\\\\\\host\\\\s\\\\a.hta"']); // { files: [{ path: '\\\\host\\s\\a.hta', picture: false }] }
 * ```
 */
export function fieldSources(instructions: readonly string[]): FieldSources {
  const sources: FieldSources = { files: [] };
  for (const instruction of instructions) {
    const runs = RUNNING.exec(instruction)?.[1];
    if (runs) sources.runs ??= runs.toUpperCase();
    if (MACRO_HYPERLINK.test(instruction)) sources.runs ??= 'HYPERLINK (to a macro)';
    if (instruction.trimStart().startsWith(NESTED_FIELD)) sources.built ??= instruction.trim();
    for (const m of instruction.matchAll(LINKING)) {
      const picture = /^INCLUDEPICTURE$/i.test(m[1] as string);
      // A source another field builds is known only once Word computes it; a picture is drawn whatever it is.
      if (!picture && instruction.slice(m.index).includes(NESTED_FIELD)) sources.built ??= instruction.trim();
      const path = (m[2] ?? m[3] ?? '').replaceAll('\\\\', '\\').replaceAll(NESTED_FIELD, '').trim();
      if (path !== '') sources.files.push({ path, picture });
    }
  }
  return sources;
}

// The parts of a field's code in a Word part: its delimiters (`fldChar`), code runs (`instrText`), and the tabs and
// breaks Word reads between a keyword and its arguments; a `fldSimple`'s `instr`. Attribute values may hold `>`.
const FIELD_TOKENS = new RegExp(
  `<${XML_PREFIX}(fldChar|instrText|tab|br|cr|fldSimple)(?=[\\s/>])((?:[^<>"']|"[^<"]*"|'[^<']*')*)>`,
  'gi',
);
const CHAR_TYPE = /fldCharType\s*=\s*["']?\s*(begin|separate|end)/i;
const INSTR_ATTRIBUTE = /\binstr\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/i;

/**
 * The field instructions of a WordprocessingML part: each field's code runs joined in document order (a code may be
 * cut across runs: `DDE` `AUTO`), a tab or break between them read as a space, a field inside another's code marked
 * by {@link NESTED_FIELD}; and each `fldSimple`'s `instr`. Code runs read as an XML reader reads them (CDATA,
 * comments, references). Linear.
 *
 * @example
 * ```ts
 * wordFieldInstructions('<w:instrText>DDE</w:instrText><w:instrText>AUTO x</w:instrText>'); // ['DDEAUTO x']
 * ```
 */
export function wordFieldInstructions(xml: string): string[] {
  if (!/instr/i.test(xml)) return [];
  const codes = new FieldCodes();
  const simple: string[] = [];
  let loose = '';
  const append = (text: string) => {
    if (codes.inField()) codes.add(text);
    else loose += text;
  };
  FIELD_TOKENS.lastIndex = 0;
  for (let m = FIELD_TOKENS.exec(xml); m; m = FIELD_TOKENS.exec(xml)) {
    const element = (m[1] as string).toLowerCase();
    const attributes = m[2] as string;
    if (element === 'fldchar') {
      const type = CHAR_TYPE.exec(decodeEntities(attributes))?.[1]?.toLowerCase();
      if (type === 'begin') codes.begin();
      else if (type === 'separate') codes.separate();
      else if (type === 'end') codes.end();
    } else if (element === 'instrtext') {
      if (attributes.trimEnd().endsWith('/')) continue;
      const close = new RegExp(`</${XML_PREFIX}instrText\\s*>`, 'gi');
      close.lastIndex = FIELD_TOKENS.lastIndex;
      const end = close.exec(xml);
      append(xmlCharacterData(xml.slice(FIELD_TOKENS.lastIndex, end ? end.index : xml.length)));
      FIELD_TOKENS.lastIndex = end ? close.lastIndex : xml.length;
    } else if (element === 'fldsimple') {
      const instr = INSTR_ATTRIBUTE.exec(attributes);
      if (instr) simple.push(decodeEntities(instr[1] ?? instr[2] ?? ''));
    } else append(' ');
  }
  return [...codes.done(), ...simple, loose].filter((text) => text.trim() !== '');
}

// The fields open at a point of a document, innermost last: the code each has gathered, and whether its code is
// still being written (before its separator); a field begun inside another's code is marked there.
class FieldCodes {
  private readonly open: { code: string; inCode: boolean }[] = [];
  private readonly finished: string[] = [];
  inField(): boolean {
    return this.open.length > 0;
  }
  add(text: string): void {
    const field = this.open[this.open.length - 1];
    if (field?.inCode) field.code += text;
  }
  begin(): void {
    this.add(NESTED_FIELD);
    this.open.push({ code: '', inCode: true });
  }
  separate(): void {
    const field = this.open[this.open.length - 1];
    if (field) field.inCode = false;
  }
  end(): void {
    const field = this.open.pop();
    if (field) this.finished.push(field.code);
  }
  /** Each field's code, those ended first, then those never ended. */
  done(): string[] {
    return [...this.finished, ...this.open.map((field) => field.code)];
  }
}

// RTF control words Word reads as a space or a character in a field's code; the others (formatting) as nothing.
const RTF_SPACES = new Set([
  'tab',
  'emspace',
  'enspace',
  'qmspace',
  'line',
  'par',
  'sect',
  'page',
  'cell',
  'row',
]);
const RTF_SYMBOLS: Record<string, string> = { '~': ' ', _: '-', '-': '', '\\': '\\', '{': '{', '}': '}' };
const RTF_CONTROL = /\\(?:'([0-9a-f]{2})|([a-z]{1,32})(-?\d{1,10})? ?|([^a-z]))/iy;

/**
 * The field instructions of an RTF document: each `{\*\fldinst …}` group's text as Word reads it: control words
 * left out but those that stand for a character (`\tab` a space, `\u68` a D, its fallback skipped as `\uc` says),
 * `\\` read as `\`, `\'hh` as its byte, a nested `\field` marked by {@link NESTED_FIELD}. Linear: each group is
 * read once.
 *
 * @example
 * ```ts
 * rtfFieldInstructions('{\\field{\\*\\fldinst {\\u68 xDEAUTO c:\\\\\\\\x.exe}}}'); // ['DDEAUTO c:\\\\x.exe']
 * ```
 */
export function rtfFieldInstructions(rtf: string): string[] {
  const instructions: string[] = [];
  let from = 0;
  for (let at = rtf.indexOf('\\fldinst', from); at >= 0; at = rtf.indexOf('\\fldinst', from)) {
    // The characters after a `\uN` that stand in for it where Unicode is not read: `\ucN` of them, per group.
    const fallbacks = [1];
    let skip = 0;
    // The control word's parameter (`\fldinst-1`, which Word ignores) and its delimiting space are no code.
    const word = /^\\fldinst-?\d{0,10} ?/.exec(rtf.slice(at, at + 24))?.[0].length ?? 8;
    let end = at + word;
    let text = '';
    while (end < rtf.length && fallbacks.length > 0) {
      const c = rtf[end] as string;
      if (c === '{' || c === '}') {
        if (c === '{') fallbacks.push(fallbacks[fallbacks.length - 1] as number);
        else fallbacks.pop();
        skip = 0;
        end++;
        continue;
      }
      if (c === '\\') {
        RTF_CONTROL.lastIndex = end;
        const m = RTF_CONTROL.exec(rtf);
        if (!m) {
          end++;
          continue;
        }
        end = RTF_CONTROL.lastIndex;
        const [, hex, word, parameter, symbol] = m;
        if (hex !== undefined) {
          if (skip > 0) skip--;
          else text += String.fromCharCode(Number.parseInt(hex, 16));
        } else if (symbol !== undefined) text += RTF_SYMBOLS[symbol] ?? '';
        else if (word === 'u' && parameter !== undefined) {
          const code = Number(parameter);
          text += String.fromCharCode(code < 0 ? code + 65536 : code);
          skip = fallbacks[fallbacks.length - 1] as number;
        } else if (word === 'uc' && parameter !== undefined)
          fallbacks[fallbacks.length - 1] = Number(parameter);
        else if (word === 'field') text += NESTED_FIELD;
        else if (RTF_SPACES.has(word as string)) text += ' ';
        continue;
      }
      end++;
      if (c === '\r' || c === '\n') continue;
      if (skip > 0) skip--;
      else text += c;
    }
    instructions.push(text);
    from = end;
  }
  return instructions;
}

const HTML_FIELD_MARK = /mso-element\s*:\s*field-(begin|separator|end)/gi;

/**
 * The field instructions of a page Word saved (HTML or MHT opened as a .doc, an altChunk): each field's code, the
 * text between its `mso-element:field-begin` and `field-separator` (or `field-end`) marks, tags left out and
 * references decoded, a field inside another's code marked by {@link NESTED_FIELD}. Linear.
 *
 * @example
 * ```ts
 * htmlFieldInstructions("<span style='mso-element:field-begin'></span>DDEAUTO x<span style='mso-element:field-end'></span>"); // ['DDEAUTO x']
 * ```
 */
export function htmlFieldInstructions(html: string): string[] {
  // Its marks may be written with references (`mso-element&#58;field-begin`): read both ways.
  if (html.includes('&') && /mso-element|&#/i.test(html)) {
    const decoded = decodeEntities(html);
    if (decoded !== html) return [...markedFieldInstructions(html), ...markedFieldInstructions(decoded)];
  }
  return markedFieldInstructions(html);
}

function markedFieldInstructions(html: string): string[] {
  if (!/mso-element/i.test(html)) return [];
  const codes = new FieldCodes();
  let from = 0;
  for (const m of html.matchAll(HTML_FIELD_MARK)) {
    // The text since the last mark, after the tag holding that mark closes and before the tag holding this one.
    const start = html.indexOf('>', from);
    const end = html.lastIndexOf('<', m.index);
    if (start >= 0 && end > start)
      codes.add(decodeEntities(html.slice(start + 1, end).replace(/<[^>]*>/g, '')));
    from = m.index + m[0].length;
    const mark = (m[1] as string).toLowerCase();
    if (mark === 'begin') codes.begin();
    else if (mark === 'separator') codes.separate();
    else codes.end();
  }
  return codes.done().filter((text) => text.trim() !== '');
}
