// Outlook and Apple Calendar show an iCalendar `ATTACH;VALUE=BINARY;ENCODING=BASE64;X-FILENAME=a.exe:…`
// as a file of the invitation: its name counts as a name of the part that carries the calendar, and the
// first bytes of its inline content are sniffed (a binary ATTACH needs no name to be offered as a file).
import { TextDecoder } from 'node:util';
import { archiveKindOf, claimedArchiveKind } from './archive-kind.js';
import { linkedSource, percentDecoded } from './link-names.js';
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
// Characters of an ATTACH's URI value kept (folded lines joined): a path's last segment is its name.
const URI_CHARS = 2048;
// Schemes whose host follows the colon with or without slashes (the URL Standard's special schemes, but `file`).
const SPECIAL_SCHEMES = new Set(['http', 'https', 'ftp', 'ws', 'wss']);
// An address's path after its authority, which follows slashes (or backslashes) after the scheme, or for a special
// scheme none too.
const AUTHORITY_PATH = /^[a-z][a-z0-9+.-]+:[\\/]+(?![\\/])[^\\/?#]*([\\/][^?#]*)/is;
const SPECIAL_PATH = /^[a-z][a-z0-9+.-]+:[\\/]*(?![\\/])[^\\/?#]*([\\/][^?#]*)/is;
// Schemes of addresses of files on a share: opened from outside the message, as a `file:` one is.
const SHARE_SCHEMES = new Set(['smb', 'cifs', 'afp', 'nfs']);
// Schemes Windows hands to a program that reaches out on its own (attacker round 71): `search-ms:` and `search:` open
// Explorer on a remote (WebDAV) folder named as the attacker likes, `ms-appinstaller:` installs an app package from an
// address, `ms-msdt:` runs a troubleshooter (Follina), `ms-officecmd:` starts an Office program, `ms-its:`/`its:`/`mk:`
// open a compiled help file, `hcp:` the Help Center. What they open is not a file the message carries, nor a page the
// browser shows: refused as a share's file is. So are Office's own schemes (below).
const LAUNCHER_SCHEMES = new Set([
  'search-ms',
  'search',
  'ms-search',
  'ms-appinstaller',
  'ms-msdt',
  'ms-officecmd',
  'ms-its',
  'its',
  'mk',
  'hcp',
  'ms-cxh',
  'ms-cxh-full',
  // Office opens the document an address names itself (`ms-word:ofe|u|https://…/invoice.docm`), macros and all,
  // from outside the message and past the browser (attacker round 71).
  'ms-word',
  'ms-excel',
  'ms-powerpoint',
  'ms-visio',
  'ms-access',
  'ms-project',
  'ms-publisher',
  'ms-infopath',
  'ms-spd',
]);
// The last segment of a path that is an address inside it (`https://x/redirect/https://www.example.com`, the
// Wayback Machine's `…/web/2020/https://example.com`): the host the embedded address names, not a file. Taken so only
// when its last label is a top-level domain that is also an extension (two letters, a country's; or one of the
// generic ones below): `…/https://invoice.exe` names no host that resolves, and stays a file's name.
const EMBEDDED_HOST = /(?:^|[\\/])[a-z][a-z0-9+.-]*:[\\/]{1,2}([a-z0-9-]+(?:\.[a-z0-9-]+)+)\.?(?::[0-9]*)?$/i;
const HOST_TLDS = new Set(['com', 'net', 'org', 'app', 'website', 'info', 'biz', 'link', 'site', 'online']);
function hostShaped(path: string): boolean {
  const host = EMBEDDED_HOST.exec(path)?.[1];
  if (host === undefined) return false;
  const tld = host.slice(host.lastIndexOf('.') + 1).toLowerCase();
  return /^[a-z]{2}$/.test(tld) || HOST_TLDS.has(tld);
}
// Last segments of addresses a web server renders as a page (ASP, ASP.NET), which Outlook's list blocks as files.
const SERVER_PAGE = /\.aspx?$/i;
// Linked names kept per calendar (two spellings per address): past the bound, what the rest name is not known.
const MAX_LINKS = 512;

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
  /** An ATTACH's URI value being read (folded lines joined), up to {@link URI_CHARS}. */
  uri?: string;
  /** For a calendar in UTF-16 (a byte order mark first), its decoder; `false` once the first bytes showed none. */
  utf16?: TextDecoder | false;
  /**
   * The FMTTYPEs of inline files with no name (or none with an extension), by which a client names them (Outlook:
   * `.hta` for `application/hta`).
   */
  unnamedTypes?: string[];
  /**
   * The last path segments of ATTACH addresses (`https://…/invoice.exe`): files a browser downloads from the web,
   * not files of the message, so they count by their extensions only (attacker round 69).
   */
  links?: string[];
}

/** Whether a scan found anything a calendar offers: files, their types, links, or a reason it cannot tell. */
export function calendarFound(scan: CalendarScan): boolean {
  return scan.names.length > 0 || Boolean(scan.types || scan.problem || scan.unnamedTypes || scan.links);
}

/** Whether a part is an iCalendar object, by declared type or name. */
export function isCalendar(contentType: string, names: readonly string[]): boolean {
  return CALENDAR_TYPES.has(contentType) || names.some((n) => /\.(?:ics|vcs)\s*$/i.test(n));
}

/**
 * The text of a calendar part's next decoded bytes: one character per byte, or, after a UTF-16 byte order mark, the
 * UTF-16 text (Apple Calendar and Outlook read a calendar so saved by Windows tools; attacker round 65).
 */
export function calendarChunk(scan: CalendarScan, bytes: Buffer): string {
  if (scan.utf16 === undefined) {
    const bom =
      bytes[0] === 0xff && bytes[1] === 0xfe
        ? 'utf-16le'
        : bytes[0] === 0xfe && bytes[1] === 0xff
          ? 'utf-16be'
          : '';
    scan.utf16 = bom ? new TextDecoder(bom) : false;
  }
  return scan.utf16 ? scan.utf16.decode(bytes, { stream: true }) : bytes.toString('latin1');
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
  if (scan.uri !== undefined) endUri(scan, scan.uri);
  scan.uri = undefined;
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
  if (folded && scan.uri !== undefined && scan.uri.length < URI_CHARS)
    scan.uri += line.slice(1, 1 + URI_CHARS - scan.uri.length);
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
      // Inline data: base64 by ENCODING, or by VALUE=BINARY or vCalendar 1.0's bare `;BASE64` (lenient readers).
      const binary = /;(?:ENCODING=("?)(?:BASE64|B)\1|VALUE=("?)BINARY\2|BASE64)(?:;|$)/i.test(params);
      endProperty(scan, params, binary);
      if (binary) scan.value = text.slice(i + 1, i + 1 + VALUE_CHARS);
      else scan.uri = text.slice(i + 1, i + 1 + URI_CHARS);
      return;
    }
  }
  scan.params = (scan.params ?? '') + text;
  if (scan.params.length > MAX_PARAMS) {
    scan.problem = `calendar ATTACH parameters over ${MAX_PARAMS} characters`;
    scan.params = undefined;
  }
}

function endProperty(scan: CalendarScan, params: string | undefined, binary = false): void {
  const text = params ?? scan.params;
  scan.params = undefined;
  scan.quoted = false;
  if (!text) return;
  let named = false;
  let fmtType: string | undefined;
  for (const m of text.matchAll(/;([A-Za-z0-9-]+)=("[^"]*"|[^;]*)/g)) {
    const key = (m[1] ?? '').toUpperCase();
    const value = (m[2] ?? '').replace(/^"|"$/g, '').trim();
    if (key === 'FMTTYPE') fmtType = value.toLowerCase();
    if (!key.includes('FILENAME') && key !== 'X-LABEL') continue;
    // A name with no extension is saved with the one its type maps to, as an unnamed file is.
    named ||= /\.[a-z0-9]{1,16}\s*$/i.test(value);
    scan.seen ??= new Set(scan.names);
    if (value === '' || scan.seen.has(value)) continue;
    scan.seen.add(value);
    scan.names.push(value);
    // A file saved under an archive's name is opened as one, whatever the start of its value shows.
    const kind = claimedArchiveKind([value]);
    if (kind)
      scan.problem ??= `a ${kind} archive in a calendar ATTACH (${value}), whose files are not listed`;
  }
  if (binary && !named && fmtType && !scan.unnamedTypes?.includes(fmtType))
    scan.unnamedTypes = [...(scan.unnamedTypes ?? []), fmtType];
}

// An ATTACH by reference to a file on a share or the local disk (`ATTACH:file://host/share/x.js`, a UNC or drive
// path): a calendar lists it as a file of the event and opens it with the system handler, from outside the message,
// as a Thunderbird external attachment is (round 62): what it holds is not known (attacker round 65). An address
// (`https:`) is a link, opened in the browser, which downloads what it names: Thunderbird and Apple Calendar list it
// among the event's attachments under its path's last segment, so that segment counts as a name, as a
// `Content-Location`'s does (attacker round 68: `ATTACH:https://evil.example/invoice.exe` was delivered). Only a
// path after an authority names a file (`mailto:a@b.com` and a bare host do not); a bare word is no file (Apple
// Calendar's alarm `ATTACH;VALUE=URI:Basso`).
//
// The address is read as browsers and Thunderbird parse it (the URL Standard): C0 controls and spaces around it are
// dropped, tabs and line breaks anywhere removed, and a special scheme needs no slashes (`https:host/invoice.exe`);
// an `smb:`, `afp:`, `nfs:` or `cifs:` address names a file on a share, which macOS mounts on opening, as `file:`
// does (attacker round 69: each was delivered).
function endUri(scan: CalendarScan, uri: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the URL Standard's C0 controls
  const value = uri.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '').replace(/[\t\n\r]/g, '');
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(value)?.[1]?.toLowerCase();
  if (scheme !== undefined && SHARE_SCHEMES.has(scheme)) {
    addUriNames(scan, linkedSource(value).names);
    scan.problem ??= `a calendar ATTACH of a file on a share, opened from outside the message: ${value.slice(0, 200)}`;
    return;
  }
  if (scheme !== undefined && LAUNCHER_SCHEMES.has(scheme)) {
    scan.problem ??= `a calendar ATTACH of a ${scheme}: address, which Windows opens in a program of its own: ${value.slice(0, 200)}`;
    return;
  }
  if (scheme === 'data') {
    // The file is the address itself, which a browser saves as a download: what it holds is not read here.
    scan.problem ??= 'a calendar ATTACH holding a data: address, a file the scan does not read';
    return;
  }
  if (scheme !== undefined && scheme !== 'file') {
    // Browsers read `\` as `/` and any run of them after the scheme as the start of the host (a special scheme's
    // host follows none as well).
    const path = (SPECIAL_SCHEMES.has(scheme) ? SPECIAL_PATH : AUTHORITY_PATH).exec(value)?.[1] ?? '';
    const segment = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    // What the browser opens comes from the web, as a link in the body does: a page, an archive or a message file
    // there is not one the message carries unread, so these names are kept apart from the files' (attacker round
    // 69: `https://…/agenda.html` was refused as a page the scan did not read).
    scan.links ??= [];
    const decoded = percentDecoded(segment);
    // An address inside the path names a host, not a file (`…/https://www.example.com`, or percent-encoded).
    const site = hostShaped(path) || hostShaped(decoded);
    for (const name of site ? [] : [segment, decoded]) {
      // A server page (`AllItems.aspx`, `Doc.aspx`: how SharePoint and OneDrive share a document) is rendered by the
      // server, not downloaded under that name: it says no more of what the address serves than `/view` does.
      if (!name || SERVER_PAGE.test(name) || scan.links.includes(name)) continue;
      if (scan.links.length >= MAX_LINKS)
        scan.problem ??= `calendar ATTACH addresses naming over ${MAX_LINKS} files`;
      else scan.links.push(name);
    }
    return;
  }
  if (scheme !== 'file' && !/^(?:[\\/]|[a-z]:[\\/])/i.test(value)) return;
  addUriNames(scan, linkedSource(value).names);
  scan.problem ??= `a calendar ATTACH opened from outside the message: ${value.slice(0, 200)}`;
}

function addUriNames(scan: CalendarScan, names: readonly string[]): void {
  scan.seen ??= new Set(scan.names);
  for (const name of names)
    if (name && !scan.seen.has(name)) {
      scan.seen.add(name);
      scan.names.push(name);
    }
}
