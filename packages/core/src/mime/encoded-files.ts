import { decodeEncodedLine, quoteCutName } from '../message/uu-file.js';
import { takeYencLine, yencBegin } from '../message/yenc-file.js';

// A file uuencoded (`begin 644 name` … `end`) or base64-encoded (`begin-base64 644 name` … `====`) in a text:
// Outlook and Thunderbird offer it as an attachment, and MimeKit decodes a part in `x-uuencode` the same way.
const BEGIN = /^begin(-base64)?[ \t]+[0-7]{3,4}[ \t]+(.+)$/;

// A begin line's name, and the reading Thunderbird's untyped-text reader gives it (cut at a quote).
function named(name: string): Pick<EncodedFile, 'name' | 'alias'> {
  const alias = quoteCutName(name);
  return alias ? { name, alias } : { name };
}

/** A file decoded from a text. */
export interface EncodedFile {
  name: string;
  /** The name as Thunderbird also reads it (cut at a quote: quoteCutName); both count. */
  alias?: string;
  bytes: Buffer;
  /** Why the bytes may not be the file a client offers (a yEnc file in parts): the caller reports it unread. */
  problem?: string;
}

/**
 * The files encoded in `text`, decoded, line by line (linear). Throws once they hold more than `maxBytes`:
 * the caller then reports them unread.
 *
 * @example
 * ```ts
 * encodedFiles('begin 644 a.txt\n#86)C\n`\nend\n', 1024); // [{ name: 'a.txt', bytes: <'abc'> }]
 * ```
 */
export function encodedFiles(text: string, maxBytes: number): EncodedFile[] {
  const files: EncodedFile[] = [];
  let file: { name: string; base64: boolean; chunks: Buffer[] } | undefined;
  let total = 0;
  const close = () => {
    if (file) files.push({ ...named(file.name), bytes: Buffer.concat(file.chunks) });
    file = undefined;
  };
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (!file) {
      const m = line.startsWith('begin') ? BEGIN.exec(line) : null;
      if (m) file = { name: (m[2] as string).trim(), base64: m[1] !== undefined, chunks: [] };
      continue;
    }
    if (file.base64 ? line === '====' : line === 'end') {
      close();
      continue;
    }
    const bytes = decodeEncodedLine(line, file.base64);
    total += bytes.length;
    if (total > maxBytes) throw new Error(`encoded files of more than ${maxBytes} bytes`);
    file.chunks.push(bytes);
  }
  // A file whose end line never came is shown by lenient clients as far as it goes.
  close();
  return files;
}

/**
 * The files yEnc-encoded in `raw` (the text's bytes as latin1: yEnc data is 8-bit), decoded line by line
 * (linear), as the guard decodes them (yenc-file.ts): each up to its `=yend` line, or the next begin line
 * (yEnc, uuencode or base64), or the text's end. Throws once they hold more than `maxBytes`.
 *
 * @example
 * ```ts
 * yencFiles('=ybegin line=128 size=2 name=a.txt\n\x8b\x8c\n=yend size=2\n', 1024); // [{ name: 'a.txt', bytes: <'ab'> }]
 * ```
 */
export function yencFiles(raw: string, maxBytes: number): EncodedFile[] {
  const files: EncodedFile[] = [];
  let file: { begun: NonNullable<ReturnType<typeof yencBegin>>; chunks: Buffer[] } | undefined;
  let total = 0;
  const close = () => {
    if (!file) return;
    const { name, state } = file.begun;
    files.push({
      ...named(name),
      bytes: Buffer.concat(file.chunks),
      ...(state.problem ? { problem: state.problem } : {}),
    });
    file = undefined;
  };
  // CRLF, LF and a bare CR end a line, as the guard's reader splits them.
  for (const line of raw.split(/\r\n|\r|\n/)) {
    const begun = line.startsWith('=ybegin ') ? yencBegin(line) : undefined;
    if (begun || (file && BEGIN.test(line))) close();
    if (begun) file = { begun, chunks: [] };
    if (begun || !file) continue;
    const bytes = takeYencLine(file.begun.state, line);
    if (bytes === 'end') {
      close();
      continue;
    }
    total += bytes.length;
    if (total > maxBytes) throw new Error(`encoded files of more than ${maxBytes} bytes`);
    file.chunks.push(bytes);
  }
  close();
  return files;
}

/**
 * Why a file named as uuencoded (`.uue`) may hold a file not read from `text`: WinRAR and WinZip open it as an
 * archive of what it encodes, and may read a begin line {@link encodedFiles} does not (`BEGIN 644`, no mode), as
 * the guard refuses it (part-leaf.ts). Undefined when every begin line is read and there is one. One pass.
 *
 * @example
 * ```ts
 * uueFileProblem('BEGIN 644 cards.gz\n…'); // 'a begin line in a file named as uuencoded (.uue) that is not read'
 * ```
 */
export function uueFileProblem(text: string): string | undefined {
  let found = false;
  for (const raw of text.split('\n')) {
    if (!/^\s*begin/i.test(raw)) continue;
    if (!BEGIN.exec(raw.trimEnd()))
      return 'a begin line in a file named as uuencoded (.uue) that is not read';
    found = true;
  }
  return found
    ? undefined
    : 'a file named as uuencoded (.uue), which archivers open, with no file read in it';
}
