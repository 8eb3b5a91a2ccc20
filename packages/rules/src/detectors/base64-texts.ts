import { gunzipSync, inflateRawSync } from 'node:zlib';

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
 * control character in fifty), and, for a run that holds a gzip stream or a zip archive, what its files unpack to
 * when that is text (at most 8 MiB unpacked per call). Linear in the length of `text`: each run is decoded once, after its first
 * characters are tried at each of the four alignments (a run glued to a word before it: `my-file_SGVsbG8…`).
 */
export function base64Texts(text: string): string[] {
  const texts: string[] = [];
  const budget = { left: UNPACKED_MAX };
  if (text.length < MIN_RUN) return texts;
  // A wrapped run read whole: a line break with the base64 letters on both sides is read over. Where each was read
  // over is kept (offsets in `joined`, rising).
  const joins: number[] = [];
  let removed = 0;
  const joined = text.replace(WRAP, (run: string, at: number) => {
    if (!BASE64_LETTER.test(text[at - 1] ?? '') || !BASE64_LETTER.test(text[at + run.length] ?? ''))
      return run;
    joins.push(at - removed);
    removed += run.length;
    return '';
  });
  let join = 0;
  for (const m of joined.matchAll(RUN)) {
    const run = m[0];
    const start = m.index;
    // The line breaks read over inside this run.
    const inside: number[] = [];
    for (; join < joins.length && (joins[join] as number) < start + run.length; join++)
      if ((joins[join] as number) > start) inside.push((joins[join] as number) - start);
    // Plain words, numbers and paths are runs of the alphabet too: base64 of text has upper and lower case letters.
    if (!/[A-Z]/.test(run) || !/[a-z]/.test(run)) continue;
    let text = runText(run, texts) !== undefined;
    // Words on the lines under a run (`END:VCARD` after a vCard's `data:` URL, a signature under a pasted run) are
    // glued to it by the joining, and the run then reads as other text or none at all (attacker round 106). A writer
    // wraps at one width: the run is also read up to the first line of another length, and up to the line after it.
    for (const cut of wrapCuts(inside, run.length))
      text = runText(run.slice(0, cut), texts) !== undefined || text;
    // A compressed file carried so (a gzip or zip of a CSV in a JSON export: attacker round 76) is read unpacked,
    // also when the run is glued to a word before it (`begin` on the line above a wrapped run).
    const packed = text || budget.left <= 0 ? -1 : run.slice(0, PACKED_REACH).search(PACKED_START);
    if (packed >= 0)
      for (const unpacked of unpackedTexts(Buffer.from(run.slice(packed), 'base64'), budget))
        texts.push(unpacked);
  }
  return texts;
}

// The base64 of a gzip stream starts `H4sI`, of a zip's local file header `UEsDB`.
const PACKED_START = /H4sI|UEsDB/;
const PACKED_REACH = 64;
const UNPACKED_MAX = 8 * 1024 * 1024;
const ZIP_ENTRIES_MAX = 64;

// The texts a gzip stream or a zip archive's files (stored or deflated, local headers walked in order) unpack to,
// within what is left of `budget` bytes for the whole text (a bomb stops at it and is not read). What cannot be
// unpacked (an encrypted entry, another method, a truncated stream) is left, as other binary is.
function unpackedTexts(bytes: Buffer, budget: { left: number }): string[] {
  const texts: string[] = [];
  const take = (unpacked: Buffer) => {
    budget.left -= unpacked.length;
    const text = textOf(unpacked);
    if (text !== undefined) texts.push(text);
  };
  try {
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      take(gunzipSync(bytes, { maxOutputLength: budget.left }));
      return texts;
    }
    let at = 0;
    for (let n = 0; n < ZIP_ENTRIES_MAX && budget.left > 0 && at + 30 <= bytes.length; n++) {
      if (bytes.readUInt32LE(at) !== 0x04034b50) break;
      const flags = bytes.readUInt16LE(at + 6);
      const method = bytes.readUInt16LE(at + 8);
      const size = bytes.readUInt32LE(at + 18);
      const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
      // Sizes written after the data (bit 3) are not known here: a deflated entry ends where its stream does.
      const known = (flags & 8) === 0 || size > 0;
      if ((flags & 1) !== 0 || (!known && method !== 8)) break;
      const data = bytes.subarray(start, known ? start + size : bytes.length);
      if (method === 0) take(data.subarray(0, budget.left));
      else if (method === 8) take(inflateRawSync(data, { maxOutputLength: budget.left }));
      if (!known) break;
      at = start + size;
    }
  } catch {
    // Not a stream or archive that unpacks within the budget: left unread, as other binary is.
  }
  return texts;
}

// Where a wrapped run may end (offsets in it): before the first line whose length is not the first line's, and after
// it. None when every line has the first one's length (the last may be shorter: that one is the second cut).
function wrapCuts(joins: readonly number[], length: number): number[] {
  const first = joins[0];
  if (first === undefined) return [];
  for (let i = 0; i < joins.length; i++) {
    const end = joins[i + 1] ?? length;
    if (end - (joins[i] as number) !== first)
      return i + 1 < joins.length ? [joins[i] as number, end] : [joins[i] as number];
  }
  return [];
}

// Whether `run` (at one of its four alignments) is base64 of text (`text`: added to `texts`), or starts as text only
// (`start`); undefined when it does not.
function runText(run: string, texts: string[]): 'text' | 'start' | undefined {
  for (let shift = 0; shift < 4; shift++) {
    if (textOf(Buffer.from(run.slice(shift, shift + PROBE), 'base64')) === undefined) continue;
    const decoded = textOf(Buffer.from(run.slice(shift), 'base64'));
    if (decoded === undefined) return 'start';
    texts.push(decoded);
    return 'text';
  }
  return undefined;
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
