import { asciiLowerCase } from './ascii-case.js';

// Apple Mail sends a file's Unix permissions as an `x-unix-mode` parameter (octal, `0755`) and restores them when
// the file is saved: an executable file without an extension then runs in Terminal when double-clicked.
// Every spelling a lenient parser may accept counts: RFC 2231 (`x-unix-mode*=''0755`, continued `*0`, `*1`),
// quoted, escaped, with comments; a value that is not plain octal digits is not known, so taken as executable.
// Read in one pass by hand: a header is the sender's, and regular expressions with white space on both sides of
// an optional part, or a comment scanned to its end from every `(`, took seconds on 160 KB.
const NAME = 'x-unix-mode';
const UNKNOWN = 0o777;
const MAX_SECTIONS = 64;

/**
 * The Unix file mode the `x-unix-mode` parameters of a part's Content-Type and Content-Disposition headers
 * give, the bits of every occurrence joined (a client may read any of them); `0o777` for a value that is not
 * plain octal; undefined when no header has the parameter.
 *
 * @example
 * ```ts
 * unixModeOf(['application/octet-stream; x-unix-mode=0755; name="Invoice"']); // 0o755
 * ```
 */
export function unixModeOf(headers: readonly string[]): number | undefined {
  let mode: number | undefined;
  for (const header of headers) {
    const pieces: string[] = [];
    for (const param of modeParams(header)) {
      const value = clean(param.value, param.extended);
      if (param.section === undefined) mode = (mode ?? 0) | modeOf(value);
      // A continuation numbered past any real value's is not known: an array that long took seconds to join.
      else if (param.section >= MAX_SECTIONS) mode = (mode ?? 0) | UNKNOWN;
      else pieces[param.section] = value;
    }
    if (pieces.length > 0) mode = (mode ?? 0) | modeOf(pieces.join(''));
  }
  return mode;
}

interface ModeParam {
  section: number | undefined;
  extended: boolean;
  value: string;
}

// Any white space JavaScript's `\s` knows (a vertical tab, a form feed, a no-break space too): a lenient
// parser trims them all.
const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);

// Each `x-unix-mode` parameter: `name [*N] [*] = value`, white space allowed between, the value quoted (to its
// closing quote, or the end) or running to the next `;`. Wherever the name stands (after a `;`, a comment, or
// inside another value): a parser that reads one there makes the file executable, and a false reading of a
// name no client sends costs nothing.
function* modeParams(header: string): Generator<ModeParam> {
  const lower = asciiLowerCase(header);
  let from = 0;
  for (;;) {
    const at = lower.indexOf(NAME, from);
    if (at < 0) return;
    from = at + 1;
    let i = skipSpace(header, at + NAME.length);
    let section: number | undefined;
    let extended = false;
    if (header[i] === '*') {
      const j = skipSpace(header, i + 1);
      let k = j;
      while (k < header.length && header.charCodeAt(k) >= 48 && header.charCodeAt(k) <= 57) k++;
      if (k > j) {
        section = Number(header.slice(j, k));
        i = skipSpace(header, k);
        if (header[i] === '*') {
          extended = true;
          i = skipSpace(header, i + 1);
        }
      } else {
        extended = true;
        i = j;
      }
    }
    if (header[i] !== '=') continue;
    i = skipSpace(header, i + 1);
    const end = header[i] === '"' ? quotedEnd(header, i) : valueEnd(header, i);
    yield { section, extended, value: header.slice(i, end) };
    from = end;
  }
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && isSpace(s[i])) i++;
  return i;
}

function valueEnd(s: string, i: number): number {
  const semi = s.indexOf(';', i);
  return semi < 0 ? s.length : semi;
}

// Past the closing quote (a backslash escapes the next character), or the end of an unclosed one.
function quotedEnd(s: string, open: number): number {
  for (let i = open + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i + 1;
  }
  return s.length;
}

function clean(raw: string, extended: boolean): string {
  let value = raw.trim();
  if (value.startsWith('"')) value = value.replace(/^"|"$/g, '').replace(/\\(.)/g, '$1');
  value = withoutComments(value).trim();
  if (extended) {
    value = value.slice(value.lastIndexOf("'") + 1);
    try {
      value = decodeURIComponent(value);
    } catch {
      return '?';
    }
  }
  return value.trim();
}

// Comments removed, nested ones whole; a comment left open keeps its `(`, so the value is not octal (unknown).
function withoutComments(value: string): string {
  if (!value.includes('(')) return value;
  let out = '';
  let depth = 0;
  let opened = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (depth > 0 && c === '\\') i++;
    else if (c === '(') {
      if (depth++ === 0) opened = i;
    } else if (c === ')' && depth > 0) depth--;
    else if (depth === 0) out += c;
  }
  return depth > 0 ? out + value.slice(opened) : out;
}

function modeOf(value: string): number {
  return /^[0-7]+$/.test(value) ? Number.parseInt(value.replace(/^0+(?=.)/, ''), 8) & 0o7777 : UNKNOWN;
}
