import { decodeEncodedLine } from '../message/uu-file.js';

// A file uuencoded (`begin 644 name` … `end`) or base64-encoded (`begin-base64 644 name` … `====`) in a text:
// Outlook and Thunderbird offer it as an attachment, and MimeKit decodes a part in `x-uuencode` the same way.
const BEGIN = /^begin(-base64)?[ \t]+[0-7]{3,4}[ \t]+(.+)$/;

/** A file decoded from a text. */
export interface EncodedFile {
  name: string;
  bytes: Buffer;
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
    if (file) files.push({ name: file.name, bytes: Buffer.concat(file.chunks) });
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
