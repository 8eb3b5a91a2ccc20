import { compoundStreams } from '../mime/compound-file.js';
import { wordStoredTexts } from '../mime/word-binary.js';

// A legacy Word document (.doc, MS-DOC) keeps its fields in its text: `0x13`, the field's code, `0x14`, its result,
// `0x15`. A `DDEAUTO c:\\…\\cmd.exe "/k calc"` field runs a program as the document opens, a LINK or INCLUDETEXT
// opens a file; the 2017 DDEAUTO campaigns were mostly .doc.

// The stream's name in the compound file's directory (UTF-16, compared without case).
const WORD_NAME = /w\0o\0r\0d\0d\0o\0c\0u\0m\0e\0n\0t\0/i;
// Fields that open a file or run a program, by their type (a field's first word).
const OPENING = /^\s*(LINK|INCLUDETEXT|INCLUDE|IMPORT|DDEAUTO|DDE)\b/i;
// Fields a reading of stream bytes looks at: those, and pictures.
const SCANNED = /^\s*(?:LINK|INCLUDETEXT|INCLUDEPICTURE|INCLUDE|IMPORT|DDEAUTO|DDE)\b/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: field characters
const SCANNED_FIELD = /\x13([^\x13\x14\x15]*)([\x13\x14\x15]?)/g;

/**
 * The field instructions of the Word documents in the compound file `data` (each `WordDocument` stream): the code
 * of each field in its text as its piece table orders it, a nested field's result in place of the nested field
 * (`{ QUOTE … }` in a LINK's code). Where the piece table cannot be followed, the stream's bytes are read as 8-bit
 * and as UTF-16 text, each field's code up to the next field character, those of a field that opens a file or runs
 * a program kept. Throws when the compound file cannot be read, or a field that opens a file or runs a program has
 * its code built by a nested field (what Word computes is not known). Linear: each stream is read once, within
 * `maxBytes`.
 *
 * @example
 * ```ts
 * wordBinaryFieldInstructions(doc, 1 << 20); // ['DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"', 'PAGE']
 * ```
 */
export function wordBinaryFieldInstructions(data: Buffer, maxBytes: number): string[] {
  if (!WORD_NAME.test(data.toString('latin1'))) return [];
  const instructions: string[] = [];
  for (const stored of wordStoredTexts(compoundStreams(data, maxBytes)))
    instructions.push(...('text' in stored ? textFields(stored.text) : scannedFields(stored.unread)));
  return instructions;
}

interface OpenField {
  code: string;
  result: string;
  inCode: boolean;
  nested: boolean;
}

// The fields of a document's text, in the order they end (an unended field at the end of the text too).
function textFields(text: string): string[] {
  const instructions: string[] = [];
  const open: OpenField[] = [];
  const done = (field: OpenField) => {
    if (field.nested && OPENING.test(field.code)) throw new Error(builtByNested(field.code));
    instructions.push(field.code);
  };
  let from = 0;
  const flush = (to: number) => {
    const top = open[open.length - 1];
    if (top && to > from) {
      if (top.inCode) top.code += text.slice(from, to);
      else top.result += text.slice(from, to);
    }
  };
  for (let at = 0; at < text.length; at++) {
    const c = text.charCodeAt(at);
    if (c !== 0x13 && c !== 0x14 && c !== 0x15) continue;
    flush(at);
    from = at + 1;
    const top = open[open.length - 1];
    if (c === 0x13) {
      if (top?.inCode) top.nested = true;
      open.push({ code: '', result: '', inCode: true, nested: false });
    } else if (top && c === 0x14) top.inCode = false;
    else if (top && c === 0x15) {
      open.pop();
      done(top);
      // A nested field's result stands in the code (or result) of the field around it.
      const outer = open[open.length - 1];
      if (outer?.inCode) outer.code += top.result;
      else if (outer) outer.result += top.result;
    }
  }
  flush(text.length);
  for (const field of open.reverse()) done(field);
  return instructions;
}

// The fields found in a stream's bytes read three ways (8-bit, UTF-16 at even and at odd offsets): each code from a
// 0x13 up to the next field character, kept when it opens a file or runs a program (or draws a picture).
function scannedFields(stream: Buffer): string[] {
  if (!stream.includes(0x13)) return [];
  const instructions: string[] = [];
  const texts = [
    stream.toString('latin1'),
    stream.toString('utf16le'),
    stream.subarray(1).toString('utf16le'),
  ];
  for (const text of texts)
    for (const m of text.matchAll(SCANNED_FIELD)) {
      const code = m[1] as string;
      if (!SCANNED.test(code)) continue;
      if (m[2] === '\x13' && OPENING.test(code)) throw new Error(builtByNested(code));
      instructions.push(code);
    }
  return instructions;
}

function builtByNested(code: string): string {
  const type = (OPENING.exec(code)?.[1] ?? 'LINK').toUpperCase();
  return `a ${type} field whose code is built by a nested field`;
}
