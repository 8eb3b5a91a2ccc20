import { type CalendarScan, calendarChunk, isCalendar, scanCalendar } from './calendar-names.js';
import { CarriedArchive, type CarriedFiles } from './carried-archive.js';
import { nameVariants } from './file-names.js';
import { SNIFF_BYTES, sniffType } from './sniff.js';
import { TNEF_FIRST_BYTE, TnefReader } from './tnef.js';
import type { TnefFiles } from './tnef-content.js';
import { takeYencLine, type YencState } from './yenc-file.js';

// A file uuencoded (`begin 644 name` … `end`) or base64-encoded (`begin-base64 644 name` … `====`) in the
// text of a part: Outlook and Thunderbird decode it and offer it as an attachment, so its content counts, not
// only its name. Decoded line by line as the text streams past (linear), its first bytes kept for sniffing
// and, when it is a TNEF stream (a uuencoded winmail.dat), read for the files inside. A yEnc file
// (yenc-file.ts) is read the same way.

/** One encoded file being decoded. */
export interface UuFile {
  base64: boolean;
  head: Buffer[];
  headSize: number;
  tnef?: TnefReader;
  /** A zip is listed as an attached one is (Thunderbird and MimeKit decode the file and offer it). */
  archive: CarriedArchive;
  /** The name of its begin line: the one file of a compressed file is named after it. */
  name?: string;
  fresh: boolean;
  /** For a yEnc file (`=ybegin`): its decoding state, in place of uuencode or base64. */
  yenc?: YencState;
  /** For a file named as a calendar (`invite.ics`), which a client opens as an invitation: its ATTACH files. */
  calendar?: CalendarScan;
}

/** What a decoded file gives the part: its sniffed type, and the names, types and problem of files inside. */
export interface UuResult {
  sniffed?: string;
  inner?: TnefFiles;
  /** The files of the archive the decoded file is, and why they are not all known. */
  archive?: CarriedFiles;
  /** Why the decoded bytes may not be the file a client offers (a yEnc file in parts): the part is refused. */
  problem?: string;
  /** The files of the invitation a calendar file is (attacker round 68), as a winmail.dat's are given. */
  calendar?: TnefFiles;
}

/** Starts a file at its `begin` line. */
export function startUuFile(base64: boolean, name?: string): UuFile {
  const file: UuFile = { base64, head: [], headSize: 0, archive: new CarriedArchive(), name, fresh: true };
  if (name !== undefined && isCalendar('', nameVariants(name))) file.calendar = { carry: '', names: [] };
  return file;
}

/** Starts a yEnc file at its `=ybegin` line (see yencBegin). */
export function startYencFile(state: YencState, name: string): UuFile {
  return { ...startUuFile(false, name), yenc: state };
}

/**
 * Takes one line of the encoded file (line end removed); true when it is the file's last line.
 *
 * @example
 * ```ts
 * const file = startUuFile(false);
 * takeUuLine(file, '"35H'); // false: 'MZ' decoded
 * takeUuLine(file, 'end'); // true
 * endUuFile(file).sniffed; // 'application/x-msdownload'
 * ```
 */
export function takeUuLine(file: UuFile, line: string): boolean {
  if (file.yenc) {
    // Not trimmed: a space or tab is data in yEnc.
    const bytes = takeYencLine(file.yenc, line);
    if (bytes === 'end') return true;
    takeBytes(file, bytes);
    return false;
  }
  const text = line.trimEnd();
  if (file.base64 ? text === '====' : text === 'end') return true;
  takeBytes(file, decodeEncodedLine(text, file.base64));
  return false;
}

function takeBytes(file: UuFile, bytes: Buffer): void {
  if (bytes.length === 0) return;
  if (file.fresh) {
    file.fresh = false;
    if (bytes[0] === TNEF_FIRST_BYTE) file.tnef = new TnefReader();
  }
  if (file.tnef && !file.tnef.push(bytes)) file.tnef = undefined;
  file.archive.push(bytes);
  if (file.calendar) scanCalendar(file.calendar, calendarChunk(file.calendar, bytes), false);
  if (file.headSize < SNIFF_BYTES) {
    file.head.push(bytes.subarray(0, SNIFF_BYTES - file.headSize));
    file.headSize += Math.min(bytes.length, SNIFF_BYTES - file.headSize);
  }
}

/** The file is over (its end line, or the end of the part): what its content shows. */
export function endUuFile(file: UuFile): UuResult {
  const sniffed = sniffType(Buffer.concat(file.head));
  const archive = file.archive.end(file.name === undefined ? [] : [file.name]);
  const problem = file.yenc?.problem;
  const calendar = file.calendar;
  if (calendar) scanCalendar(calendar, '', true);
  return {
    sniffed,
    inner: file.tnef?.end(),
    ...(archive ? { archive } : {}),
    ...(problem ? { problem } : {}),
    ...(calendar
      ? {
          calendar: {
            names: calendar.names,
            sniffedTypes: calendar.types ?? [],
            ...(calendar.unnamedTypes ? { unnamedTypes: calendar.unnamedTypes } : {}),
            ...(calendar.links ? { linkedNames: calendar.links } : {}),
            ...(calendar.problem ? { problem: calendar.problem } : {}),
          },
        }
      : {}),
  };
}

/**
 * One line of a uuencoded (or, with `base64`, a `begin-base64`) file, decoded.
 *
 * @example
 * ```ts
 * decodeEncodedLine('"35H', false); // <Buffer 4d 5a> ('MZ')
 * ```
 */
export function decodeEncodedLine(line: string, base64: boolean): Buffer {
  return base64 ? Buffer.from(line, 'base64') : uuDecode(line);
}

// One uuencoded line: its first character gives the byte count, then four characters per three bytes
// (characters past the line's end count as zero, as lenient decoders read a trimmed line).
function uuDecode(line: string): Buffer {
  const count = (line.charCodeAt(0) - 32) & 63;
  const out = Buffer.alloc(count);
  const six = (i: number) => (line.charCodeAt(i) - 32) & 63 || 0;
  for (let i = 1, o = 0; o < count; i += 4) {
    const a = six(i);
    const b = six(i + 1);
    const c = six(i + 2);
    const d = six(i + 3);
    out[o++] = (a << 2) | (b >> 4);
    if (o < count) out[o++] = ((b & 15) << 4) | (c >> 2);
    if (o < count) out[o++] = ((c & 3) << 6) | d;
  }
  return out;
}

/**
 * A begin line's name as Thunderbird reads it: its untyped-text reader pastes the name, unescaped, into
 * `Content-Disposition: inline; filename="<name>"`, whose parser ends the value at the first unescaped `"`
 * (a backslash escapes the next character). Undefined when the name holds no quote, or the cut leaves nothing.
 *
 * @example
 * ```ts
 * quoteCutName('invoice.js" .txt'); // 'invoice.js'
 * quoteCutName('notes.txt'); // undefined
 * ```
 */
export function quoteCutName(name: string): string | undefined {
  if (!name.includes('"')) return undefined;
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i] as string;
    if (c === '"') break;
    if (c === '\\' && i + 1 < name.length) i++;
    out += name[i] as string;
  }
  const cut = out.trim();
  return cut && cut !== name ? cut : undefined;
}
