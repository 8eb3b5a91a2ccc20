// Outlook and Apple Calendar show an iCalendar `ATTACH;VALUE=BINARY;ENCODING=BASE64;X-FILENAME=a.exe:…`
// as a file of the invitation: its name counts as a name of the part that carries the calendar, and the
// first bytes of its inline content are sniffed (a binary ATTACH needs no name to be offered as a file).
import { archiveKindOf, claimedArchiveKind } from './archive-kind.js';
import { sniffType } from './sniff.js';
import { splitLines } from './text-lines.js';

const CALENDAR_TYPES = new Set([
  'text/calendar',
  'application/ics',
  'text/x-vcalendar',
  'application/x-vcalendar',
]);
const MAX_PARAMS = 4096;
// Base64 characters of an inline value kept for sniffing: 48 bytes show an executable or an archive.
const VALUE_CHARS = 64;

/** The state of one calendar part's scan: the ATTACH property being read (folded lines joined). */
export interface CalendarScan {
  /** The parameters read so far of an ATTACH property, while its value has not started. */
  params?: string;
  /** The rest of the physical line the last chunk ended in. */
  carry: string;
  names: string[];
  /** The names so far, for a lookup per name (a calendar may name thousands of files). */
  seen?: Set<string>;
  /** Inside a quoted parameter value. */
  quoted?: boolean;
  /** Why the names are not known (parameters over the bound). */
  problem?: string;
  /** The start of a base64 ATTACH value being read (folded lines joined), up to {@link VALUE_CHARS}. */
  value?: string;
  /** The types the inline contents' first bytes show, each once. */
  types?: string[];
}

/** Whether a part is an iCalendar object, by declared type or name. */
export function isCalendar(contentType: string, names: readonly string[]): boolean {
  return CALENDAR_TYPES.has(contentType) || names.some((n) => /\.(?:ics|vcs)\s*$/i.test(n));
}

/**
 * Reads a chunk of a calendar part's decoded text; the file names of its ATTACH properties gather in
 * `scan.names`. `last` ends the part. Linear: each line is split once, a property's parameters are kept
 * up to a bound.
 *
 * @example
 * ```ts
 * const scan: CalendarScan = { carry: '', names: [] };
 * scanCalendar(scan, 'ATTACH;VALUE=BINARY;X-FILENAME=a.exe:TVq=\r\n', true);
 * scan.names; // ['a.exe']
 * ```
 */
export function scanCalendar(scan: CalendarScan, chunk: string, last: boolean): void {
  // A bare CR ends a line too (lenient readers); a CR ending the chunk waits for a possible LF.
  const { lines, rest } = splitLines(scan.carry + chunk);
  if (last) lines.push(rest.replace(/\r$/, ''));
  scan.carry = last ? '' : rest;
  if (scan.carry.length > MAX_PARAMS) {
    // A line longer than the bound is kept to the bound: enough for an ATTACH's parameters, unless they
    // run past it (its value, often a long unfolded base64 run, is not needed).
    scan.carry = scan.carry.slice(0, MAX_PARAMS);
    if (/^attach[;:]/i.test(scan.carry) && !scan.carry.includes(':'))
      scan.problem = `calendar ATTACH parameters over ${MAX_PARAMS} characters`;
  }
  for (const line of lines) readLine(scan, line);
  if (last) {
    endValue(scan);
    endProperty(scan, undefined);
  }
}

// An inline binary value's first bytes, sniffed.
function endValue(scan: CalendarScan): void {
  if (scan.value === undefined) return;
  const start = Buffer.from(scan.value.replace(/\s/g, ''), 'base64');
  const type = sniffType(start);
  scan.value = undefined;
  if (type && !scan.types?.includes(type)) scan.types = [...(scan.types ?? []), type];
  // Only the value's start is decoded: the files of an archive there are not listed.
  const kind = archiveKindOf(start);
  if (kind) scan.problem ??= `a ${kind} archive in a calendar ATTACH, whose files are not listed`;
}

function readLine(scan: CalendarScan, line: string): void {
  const folded = line.startsWith(' ') || line.startsWith('\t');
  if (folded && scan.params !== undefined) {
    collect(scan, line.slice(1));
    return;
  }
  if (folded && scan.value !== undefined && scan.value.length < VALUE_CHARS) scan.value += line.slice(1, 200);
  if (folded) return;
  endValue(scan);
  endProperty(scan, undefined);
  if (/^attach[;:]/i.test(line)) {
    scan.params = '';
    collect(scan, line.slice(6));
  }
}

// Adds text to the ATTACH property's parameters, up to the colon (outside quotes) that starts its value.
function collect(scan: CalendarScan, text: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') scan.quoted = !scan.quoted;
    else if (c === ':' && !scan.quoted) {
      const params = (scan.params ?? '') + text.slice(0, i);
      endProperty(scan, params);
      if (/;ENCODING=("?)(?:BASE64|B)\1(?:;|$)/i.test(params))
        scan.value = text.slice(i + 1, i + 1 + VALUE_CHARS);
      return;
    }
  }
  scan.params = (scan.params ?? '') + text;
  if (scan.params.length > MAX_PARAMS) {
    scan.problem = `calendar ATTACH parameters over ${MAX_PARAMS} characters`;
    scan.params = undefined;
  }
}

function endProperty(scan: CalendarScan, params: string | undefined): void {
  const text = params ?? scan.params;
  scan.params = undefined;
  scan.quoted = false;
  if (!text) return;
  for (const m of text.matchAll(/;([A-Za-z0-9-]+)=("[^"]*"|[^;]*)/g)) {
    const key = (m[1] ?? '').toUpperCase();
    if (!key.includes('FILENAME') && key !== 'X-LABEL') continue;
    const value = (m[2] ?? '').replace(/^"|"$/g, '').trim();
    scan.seen ??= new Set(scan.names);
    if (value === '' || scan.seen.has(value)) continue;
    scan.seen.add(value);
    scan.names.push(value);
    // A file saved under an archive's name is opened as one, whatever the start of its value shows.
    const kind = claimedArchiveKind([value]);
    if (kind)
      scan.problem ??= `a ${kind} archive in a calendar ATTACH (${value}), whose files are not listed`;
  }
}
