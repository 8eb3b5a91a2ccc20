import { decodeEntities } from './html-text.js';

/**
 * What a Word document's fields open as it opens or updates: the files `LINK`, `INCLUDETEXT` and `INCLUDEPICTURE`
 * name (a picture's is drawn, never run), and whether a `DDE` or `DDEAUTO` field runs a program.
 */
export interface FieldSources {
  files: { path: string; picture: boolean }[];
  /** The field that runs a program (`DDEAUTO`), when there is one. */
  runs?: string;
}

// A field's instruction: `LINK Package "C:\\x\\a.exe"`, `INCLUDETEXT "\\\\host\\s\\a.docx"`, `DDEAUTO c:\\…\\cmd.exe "/k calc"`.
const LINKING = /\b(LINK\s+\S+|INCLUDETEXT|INCLUDEPICTURE|INCLUDE|IMPORT)\s+(?:["“”]([^"“”]*)["“”]?|(\S+))/gi;
const RUNNING = /\b(DDEAUTO|DDE)\b/i;

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
    for (const m of instruction.matchAll(LINKING)) {
      const path = (m[2] ?? m[3] ?? '').replaceAll('\\\\', '\\').trim();
      if (path !== '') sources.files.push({ path, picture: /^INCLUDEPICTURE$/i.test(m[1] as string) });
    }
  }
  return sources;
}

const INSTR_TEXT = /<(?:[\w.-]{1,64}:)?instrText\b[^<>]*>([^<]*)</gi;
const INSTR_ATTRIBUTE = /\binstr\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/gi;

/**
 * The field instructions of a WordprocessingML part: its `instrText` runs joined in document order (a field's
 * code may be cut across runs: `DDE` `AUTO`), and each `fldSimple`'s `instr`; references decoded.
 *
 * @example
 * ```ts
 * wordFieldInstructions('<w:instrText>DDE</w:instrText><w:instrText>AUTO x</w:instrText>'); // ['DDEAUTO x']
 * ```
 */
export function wordFieldInstructions(xml: string): string[] {
  if (!/instr/i.test(xml)) return [];
  const runs = [...xml.matchAll(INSTR_TEXT)].map((m) => m[1] as string).join('');
  const simple = [...xml.matchAll(INSTR_ATTRIBUTE)].map((m) => decodeEntities(m[1] ?? m[2] ?? ''));
  return [decodeEntities(runs), ...simple].filter((text) => text.trim() !== '');
}

/**
 * The field instructions of an RTF document: each `{\*\fldinst …}` group's text, control words and braces left
 * out, `\\` read as `\`, `\'hh` as its byte. Linear: each group is read once.
 *
 * @example
 * ```ts
 * rtfFieldInstructions('{\\field{\\*\\fldinst {DDEAUTO c:\\\\\\\\x.exe}}}'); // ['DDEAUTO c:\\\\x.exe']
 * ```
 */
export function rtfFieldInstructions(rtf: string): string[] {
  const instructions: string[] = [];
  let from = 0;
  for (let at = rtf.indexOf('\\fldinst', from); at >= 0; at = rtf.indexOf('\\fldinst', from)) {
    let depth = 1;
    let end = at + 8;
    let text = '';
    while (end < rtf.length && depth > 0) {
      const c = rtf[end] as string;
      if (c === '{') depth++;
      else if (c === '}') depth--;
      else if (c === '\\') {
        const control = /^\\(?:([\\{}])|'([0-9a-f]{2})|[a-z]{1,32}-?\d{0,10} ?|.)/is.exec(
          rtf.slice(end, end + 48),
        );
        const step = control?.[0].length ?? 1;
        if (control?.[1]) text += control[1];
        else if (control?.[2]) text += String.fromCharCode(Number.parseInt(control[2], 16));
        end += step;
        continue;
      } else if (c !== '\r' && c !== '\n') text += c;
      end++;
    }
    instructions.push(text);
    from = end;
  }
  return instructions;
}
