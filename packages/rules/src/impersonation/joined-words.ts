// Adjacent RFC 2047 encoded words of one charset, as Thunderbird decodes them: their bytes joined before the charset
// is applied, whatever each word's encoding (attacker round 66: `=?utf-8?Q?J=D0?= =?utf-8?B?sG5lIERvZQ==?=` shows
// Jаne Doe with a Cyrillic а split across a Q and a B word; libmime joins only words of one encoding, and decodes
// the halves as U+FFFD).
const WORD = /=\?([^?\s]{1,64})\?([bBqQ])\?([^?\s]*)\?=/g;
const BETWEEN = /^[ \t\r\n]*$/;

/**
 * The value with each run of adjacent encoded words (white space alone between them) of one charset written as one
 * base64 word of their bytes, or undefined when no run has two words. One pass over the words: linear.
 */
export function joinedWords(value: string): string | undefined {
  let out = '';
  let at = 0;
  let joined = false;
  let run: { charset: string; bytes: Buffer[]; start: number; end: number } | undefined;
  const flush = () => {
    if (!run) return;
    out += value.slice(at, run.start);
    if (run.bytes.length > 1) joined = true;
    out += `=?${run.charset}?B?${Buffer.concat(run.bytes).toString('base64')}?=`;
    at = run.end;
    run = undefined;
  };
  for (const m of value.matchAll(WORD)) {
    const start = m.index;
    const charset = (m[1] as string).toLowerCase();
    const bytes = wordBytes(m[2] as string, m[3] as string);
    const end = start + m[0].length;
    if (run && run.charset === charset && BETWEEN.test(value.slice(run.end, start))) {
      run.bytes.push(bytes);
      run.end = end;
    } else {
      flush();
      run = { charset, bytes: [bytes], start, end };
    }
  }
  flush();
  return joined ? out + value.slice(at) : undefined;
}

// An encoded word's bytes: base64, or Q (`_` a space, `=XX` a byte).
function wordBytes(encoding: string, text: string): Buffer {
  if (encoding === 'b' || encoding === 'B') return Buffer.from(text, 'base64');
  const q = text
    .replace(/_/g, ' ')
    .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(q, 'latin1');
}
