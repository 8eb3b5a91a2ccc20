// A file yEnc-encoded in a text (`=ybegin line=128 size=N name=invoice.zip` … `=yend size=N`): Thunderbird's
// untyped-text reader decodes it and offers it as an attachment, so its content counts, as a uuencoded file's
// does. Decoded line by line as the text streams past: each byte is the file's byte plus 42 (mod 256), `=`
// escapes the next byte (which is then the file's byte plus 106), line ends are not data. Linear, and the state
// kept between lines is a few numbers.

/** The `=ybegin` line of a yEnc file: the name is the rest of the line after the first `name=`. */
const YENC_BEGIN = /^=ybegin .*?\bname=(.+)$/;

/** The longest yEnc data line (without its line end) that Thunderbird's 1000-byte line buffer reads whole. */
export const MAX_YENC_LINE = 997;

/** The decoding state of one yEnc file, and what its keyword lines declare. */
export interface YencState {
  /** The last line ended with `=`: the next data byte is escaped (line ends are skipped, as decoders do). */
  escape: boolean;
  /** `part=` on the begin line: a piece of a multi-part file. */
  part?: number;
  total?: number;
  /** Why the decoded bytes may not be the file a client offers; set as lines arrive. */
  problem?: string;
}

/**
 * The name and state of a yEnc file starting at `line`, undefined when the line does not begin one.
 *
 * @example
 * ```ts
 * yencBegin('=ybegin line=128 size=2 name=a.exe')?.name; // 'a.exe'
 * yencBegin('=ybegin part=2 total=3 line=128 size=9 name=a.zip')?.state.part; // 2
 * ```
 */
export function yencBegin(line: string): { name: string; state: YencState } | undefined {
  const m = line.startsWith('=ybegin ') ? YENC_BEGIN.exec(line) : null;
  const name = m?.[1]?.trim();
  if (!m || !name) return undefined;
  // Only the keywords before the name: a name may read `part=1.zip`.
  const keywords = line.slice(0, line.length - (m[1] as string).length);
  const state: YencState = { escape: false };
  const part = /\bpart=(\d+)/.exec(keywords)?.[1];
  const total = /\btotal=(\d+)/.exec(keywords)?.[1];
  if (part !== undefined) state.part = Number(part);
  if (total !== undefined) state.total = Number(total);
  // One part of several cannot be put back together from this text: what the whole file holds is not known.
  if (part !== undefined && !(state.part === 1 && state.total === 1))
    state.problem = `a yEnc file in parts (part=${part}${total === undefined ? '' : ` of ${total}`}), which cannot be put together`;
  return { name, state };
}

/**
 * Takes one line of a yEnc file (line end removed): its decoded bytes, or `'end'` at its `=yend` line.
 * `=ypart` lines are skipped.
 *
 * @example
 * ```ts
 * const { state } = yencBegin('=ybegin line=128 size=2 name=a.exe')!;
 * takeYencLine(state, 'w\x84'); // <Buffer 4d 5a> ('MZ')
 * takeYencLine(state, '=yend size=2'); // 'end'
 * ```
 */
export function takeYencLine(state: YencState, line: string): Buffer | 'end' {
  if (line.startsWith('=y')) {
    if (line.startsWith('=ypart ') || line === '=ypart') return Buffer.alloc(0);
    if (/^=yend(?:[ \t]|$)/.test(line)) {
      // Thunderbird ends the file only at `=yend size=`: at a bare `=yend` it decodes on, other decoders stop.
      if (!line.startsWith('=yend size=')) state.problem ??= 'a yEnc end line clients read differently';
      return 'end';
    }
  }
  // Thunderbird's decoder (mimeenc.cpp mime_decode_yenc_buffer) ends a line at a NUL, and reads lines into a
  // 1000-byte buffer that drops two characters of a longer one; other decoders keep both. Which file a client
  // saves is then not known: not read (attacker round 53). Encoders escape NUL and write lines of 128 or 256.
  if (line.length > MAX_YENC_LINE) state.problem ??= `a yEnc line of more than ${MAX_YENC_LINE} characters`;
  else if (line.includes('\0'))
    state.problem ??= 'a NUL byte in a yEnc line, where clients decode differently';
  return decodeYencLine(state, line);
}

/**
 * One line of yEnc data, decoded; an `=` at the line's end escapes the next line's first byte.
 *
 * @example
 * ```ts
 * decodeYencLine({ escape: false }, 'r=@'); // <Buffer 48 d6> ('r' - 42, then the escaped NUL: '@' - 64 - 42)
 * ```
 */
export function decodeYencLine(state: YencState, line: string): Buffer {
  const out = Buffer.allocUnsafe(line.length);
  let o = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i) & 0xff;
    // Line ends inside the line (a bare CR split by no reader) are not data either.
    if (c === 0x0a || c === 0x0d) continue;
    if (!state.escape && c === 0x3d) {
      state.escape = true;
      continue;
    }
    out[o++] = (c - (state.escape ? 64 + 42 : 42)) & 0xff;
    state.escape = false;
  }
  return out.subarray(0, o);
}
