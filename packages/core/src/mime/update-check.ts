import { CleanLines } from './clean-lines.js';
import { checkHeaderRules } from './header-rules.js';
import { LineSplitter } from './line-splitter.js';
import { MimeWalker } from './mime-walker.js';
import { ProblemList, type UpdateProblem } from './problems.js';
import { DEFAULT_UPDATE_CHECK_LIMITS, type UpdateCheckLimits } from './update-rules.js';

/**
 * Message bytes in any of the forms wmflow handles: a buffer, a string
 * (taken as latin1, byte for byte), or a stream / async iterable of chunks.
 *
 * @example
 * ```ts
 * const source: MimeSource = createReadStream('samples/eml/plain.eml');
 * ```
 */
export type MimeSource = Uint8Array | string | AsyncIterable<Uint8Array | string>;

/**
 * The verdict of {@link checkUpdate}.
 *
 * @example
 * ```ts
 * const result: UpdateCheckResult = { ok: false, problems: [{ code: 'non-ascii', reason: '…' }] };
 * ```
 */
export type UpdateCheckResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly problems: UpdateProblem[] };

/**
 * Checks an updated message the way WorkMail checks PutRawMessageContent,
 * against the message it replaces: well-formed MIME in every part, required
 * headers present, immutable headers unchanged, unique headers unique, lines
 * of at most 1000 octets with CRLF, 7-bit data only. One linear pass over the
 * update; only the header block of the original is read. Never throws on bad
 * content: every finding is a problem with a code and a readable reason.
 *
 * @example
 * ```ts
 * const result = await checkUpdate(originalBytes, createReadStream('/tmp/updated.eml'));
 * if (!result.ok) console.log(result.problems.map((p) => p.reason).join('; '));
 * ```
 */
export async function checkUpdate(
  original: MimeSource,
  updated: MimeSource,
  limits: Partial<UpdateCheckLimits> = {},
): Promise<UpdateCheckResult> {
  const bounds = { ...DEFAULT_UPDATE_CHECK_LIMITS, ...limits };
  const before = await readRootHeader(original, bounds);
  const problems = new ProblemList(bounds.maxProblems);
  const walker = new MimeWalker(problems, bounds);
  const maxLength = bounds.maxLineOctets - 2;
  // Lines that are short, 7-bit, not a possible boundary (and base64 in a base64 part) would raise nothing:
  // they are counted with byte scans instead of being reported one by one.
  const clean = {
    base64: new CleanLines(BASE64_WALKED, maxLength),
    none: new CleanLines(SEVEN_BIT, maxLength, true),
  };
  const skip = (buffer: Buffer, start: number) => {
    const kind = walker.bodyLines;
    return kind === undefined ? undefined : clean[kind].run(buffer, start);
  };
  const lines = new LineSplitter(
    (line) => {
      if (line.length > maxLength) {
        problems.add({
          code: 'line-too-long',
          reason: `line ${line.number} is ${line.length + 2} octets long with CRLF (at most ${bounds.maxLineOctets})`,
          line: line.number,
        });
      }
      if (line.firstNonAscii !== -1) {
        const byte = line.text[line.firstNonAscii];
        const shown = byte === undefined ? 'a byte' : `byte 0x${byte.toString(16).padStart(2, '0')}`;
        problems.add({
          code: 'non-ascii',
          reason: `line ${line.number} has ${shown} at column ${line.firstNonAscii + 1}: content must be 7-bit (encode it with base64 or quoted-printable, headers with encoded words)`,
          line: line.number,
        });
      }
      walker.line(line);
    },
    2048,
    skip,
  );
  for await (const chunk of chunksOf(updated)) lines.push(chunk);
  lines.end();
  walker.end();
  checkHeaderRules(before.root, walker.root, problems);
  return problems.size === 0 ? { ok: true } : { ok: false, problems: problems.list() };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is not 7-bit data
const SEVEN_BIT = /[\x01-\x7f]/;
/** A byte of a base64 line as the walker checks it (spaces and tabs are let through). */
const BASE64_WALKED = /[A-Za-z0-9+/=\t ]/;

/** Reads only the root header block of `source`, stopping at the blank line. */
async function readRootHeader(source: MimeSource, limits: UpdateCheckLimits): Promise<MimeWalker> {
  const walker = new MimeWalker(new ProblemList(0), limits);
  const splitter = new LineSplitter((line) => {
    if (!walker.rootHeaderDone) walker.line(line);
  });
  for await (const chunk of chunksOf(source)) {
    splitter.push(chunk);
    if (walker.rootHeaderDone) break;
  }
  splitter.end();
  return walker;
}

// A whole message in one buffer is read in slices, so the root header read can stop at its end.
const SLICE = 256 * 1024;

async function* chunksOf(source: MimeSource): AsyncGenerator<Uint8Array> {
  if (typeof source === 'string' || source instanceof Uint8Array) {
    const bytes = typeof source === 'string' ? Buffer.from(source, 'latin1') : source;
    for (let at = 0; at < bytes.length; at += SLICE) yield bytes.subarray(at, at + SLICE);
  } else {
    for await (const chunk of source) yield typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
  }
}
