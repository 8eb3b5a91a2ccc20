// Text written in base64 inside a text file (attacker round 73): a JSON export's or a REST payload's file field
// (`{"file": "Y2FyZCA0MTEx…"}`, a `data:text/plain;base64,…` URL), a plist's `<data>`, YAML's `!!binary`, a SOAP or
// XML document's base64 element, line-wrapped and indented as those writers wrap it. Whoever opens the file with the
// program it was made for reads the decoded text; the DLP read only the base64 letters. Each run of base64 (at least
// MIN_RUN letters, line breaks and their indentation read over) is decoded, and read when what it holds is text.

const MIN_RUN = 24;
// Runs of the base64 alphabet (standard and URL-safe), padding after; one pass, no backtracking across runs.
const RUN = /[A-Za-z0-9+/_-]{24,}={0,2}/g;
// A line break and the indentation around it, inside a wrapped run (plist, PEM-like and XML writers wrap at 64 or 76).
const WRAP = /[ \t]*\r?\n[ \t]*/g;
const BASE64_LETTER = /[A-Za-z0-9+/_-]/;
const PROBE = 4096;

/**
 * The texts the base64 runs of `text` decode to (those that decode to text: UTF-8 or Latin-1 with no more than one
 * control character in fifty). Linear in the length of `text`: each run is decoded once, after its first
 * characters are tried at each of the four alignments (a run glued to a word before it: `my-file_SGVsbG8…`).
 */
export function base64Texts(text: string): string[] {
  const texts: string[] = [];
  if (text.length < MIN_RUN) return texts;
  // A wrapped run read whole: a line break with the base64 letters on both sides is read over.
  const joined = text.replace(WRAP, (run: string, at: number) =>
    BASE64_LETTER.test(text[at - 1] ?? '') && BASE64_LETTER.test(text[at + run.length] ?? '') ? '' : run,
  );
  for (const m of joined.matchAll(RUN)) {
    const run = m[0];
    // Plain words, numbers and paths are runs of the alphabet too: base64 of text has upper and lower case letters.
    if (!/[A-Z]/.test(run) || !/[a-z]/.test(run)) continue;
    for (let shift = 0; shift < 4; shift++) {
      if (textOf(Buffer.from(run.slice(shift, shift + PROBE), 'base64')) === undefined) continue;
      const decoded = textOf(Buffer.from(run.slice(shift), 'base64'));
      if (decoded !== undefined) texts.push(decoded);
      break;
    }
  }
  return texts;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function textOf(bytes: Buffer): string | undefined {
  if (bytes.length < 12) return undefined;
  let controls = 0;
  for (const b of bytes) if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) controls++;
  if (controls * 50 > bytes.length) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}
