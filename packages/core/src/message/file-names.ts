import { percentDecoded } from './link-names.js';

// Kept apart from part-names.ts (libmime) so the core barrel can export these without loading MIME decoding.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control and format characters hide the real extension
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/**
 * A file name as a file system or client would store it: control and invisible format characters dropped,
 * an NTFS stream suffix (`::$DATA`) cut, trailing dots and spaces removed.
 *
 * @example
 * ```ts
 * normalizeFileName('a.vbs::$DATA'); // 'a.vbs'
 * normalizeFileName('a.v\u007fbs. '); // 'a.vbs'
 * ```
 */
export function normalizeFileName(name: string): string {
  let out = name.replace(INVISIBLE, '');

  // Loops, not `/[. ]+$/`: an anchored run pattern backtracks quadratically on a long run that does not end the name.
  let end = out.length;
  for (;;) {
    while (end > 0 && (out[end - 1] === '.' || out[end - 1] === ' ')) end--;
    if (out.slice(Math.max(0, end - 6), end).toLowerCase() !== ':$data') break;
    end -= 6;
    while (end > 0 && out[end - 1] === ':') end--;
  }
  out = out.slice(0, end);
  return out;
}

// The characters a Windows file name cannot hold, which Exchange's MIME reader removes from an attachment's name.
const WINDOWS_ILLEGAL = /["*/:<>?\\|]/;
const WINDOWS_ILLEGAL_ALL = /["*/:<>?\\|]/g;

// The only characters outside ASCII whose case mapping lands in ASCII: long s, dotless i, dotted capital I, Kelvin.
const ASCII_CASE_TWINS = /[\u017f\u0131\u0130\u212a]/g;
const ASCII_TWIN: Record<string, string> = { '\u017f': 's', '\u0131': 'i', '\u0130': 'i', '\u212a': 'k' };

/**
 * The spellings of a name to check: the normalized name, the name cut at its first NUL (as a C string
 * reads it), the name with its letters that case-map to ASCII taken as those (`ſ` as `s`) and, when it holds
 * colons (an NTFS alternate stream such as `a.vbs:x:$DATA`, or a client replacing the colon), each
 * colon-separated piece too; when it ends in a path separator (`a.vbs/`), its last segment; the name as
 * Thunderbird saves it (`invoice.j s` is `invoice.js`); the name without the characters Windows refuses, as
 * Exchange and Outlook save it (`invoice.j|s` is `invoice.js`); and the name percent-decoded once, as a client that
 * decodes `%XX` in a plain parameter saves it (`invoice%2Eexe` is `invoice.exe`); and a name in single quotes
 * without them, as a parser that takes `'` for a quote reads it (`'invoice.exe'` is `invoice.exe`); and, for a
 * numbered volume of a split file (`invoice.js.001`), the name without its number, as 7-Zip and WinRAR open it.
 *
 * @example
 * ```ts
 * nameVariants('invoice.j|s'); // ['invoice.j|s', 'invoice.js']
 * nameVariants('a.vbs:x:$DATA'); // ['a.vbs:x', 'a.vbsx', 'a.vbs', 'x']
 * ```
 */
export function nameVariants(name: string): string[] {
  const clean = normalizeFileName(name);
  // A client or file system reading the name as a C string stops at the first NUL: `a.vbs\0.txt` is `a.vbs`.
  const nul = name.indexOf('\0');
  const cut = nul > 0 ? [normalizeFileName(name.slice(0, nul))] : [];
  // A case-insensitive comparison by Unicode's case mappings takes `a.vbſ` for `a.vbs`: both spellings count.
  const folded = clean.replace(ASCII_CASE_TWINS, (c) => ASCII_TWIN[c] ?? c);
  const spelt = folded === clean ? [clean] : [clean, folded];
  // Percent-decoded once (attacker round 65).
  const decoded = spelt
    .filter((s) => /%[0-9a-f]{2}/i.test(s))
    .map((s) => normalizeFileName(percentDecoded(s)))
    .filter((d) => d !== '' && !spelt.includes(d));
  // A value in single quotes (`filename='invoice.exe'`) is read without them by parsers that take `'` for a
  // quote, as Chromium's header parser does (attacker round 74): saved so, it is `invoice.exe`.
  const unquoted = [...spelt, ...decoded]
    .filter((s) => s.length > 2 && s.startsWith("'") && s.endsWith("'"))
    .map((s) => normalizeFileName(s.slice(1, -1)))
    .filter((u) => u !== '' && !spelt.includes(u) && !decoded.includes(u));
  const spellings = [...spelt, ...decoded, ...unquoted];
  // A name ending in a path separator is saved under its last segment by clients that take a basename (Node's
  // `path.basename('a.vbs/')` is `a.vbs`): that segment is a spelling too.
  const based = /[/\\]$/.test(clean) ? spellings.map(lastSegment).filter((b) => b !== '') : [];
  // Thunderbird names the file it opens or saves as Gecko's sanitizer spells it (attacker round 62).
  const gecko = spellings.map(geckoSpelling).filter((g) => g !== '' && !spellings.includes(g));
  // Exchange and Outlook name an attachment with the characters Windows refuses removed (MS-OXCMAIL 2.2.3.4.1.1:
  // `invoice.j|s` is `invoice.js`; attacker round 64).
  const removed = spellings
    .filter((s) => WINDOWS_ILLEGAL.test(s))
    .map((s) => normalizeFileName(s.replace(WINDOWS_ILLEGAL_ALL, '')))
    .filter((r) => r !== '' && !spellings.includes(r));
  const all = [...spellings, ...gecko, ...removed, ...based, ...cut];
  const pieces = clean.includes(':')
    ? spellings.flatMap((s) => s.split(':').map(normalizeFileName)).filter((p) => p !== '')
    : [];
  return withVolumeStems([...all, ...pieces]);
}

// A numbered volume of a split file (`invoice.js.001`, `.002`…, `.1000`: 7-Zip, WinRAR, Total Commander and
// HJSplit) opens in 7-Zip and WinRAR as the file its name stems from (attacker round 91): each spelling's stem
// counts too (three digits or more, after a dot; one pass from the end of each spelling).
function withVolumeStems(spellings: string[]): string[] {
  const stems: string[] = [];
  for (const spelling of spellings) {
    let start = spelling.length;
    while (start > 0 && isDigit(spelling.charCodeAt(start - 1))) start--;
    if (spelling.length - start < 3 || start < 2 || spelling[start - 1] !== '.') continue;
    const stem = normalizeFileName(spelling.slice(0, start - 1));
    if (stem !== '' && !spellings.includes(stem) && !stems.includes(stem)) stems.push(stem);
  }
  return stems.length === 0 ? spellings : [...spellings, ...stems];
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

// Gecko's validateFileNameForSaving (`DownloadPaths.sanitize`, which Thunderbird names a temporary or saved
// attachment by) drops controls and line and paragraph separators anywhere, turns every other space but U+3000
// into ' ', trims trailing spaces, U+3000, dots and U+180E, then strips ASCII white space from the extension:
// `invoice.j s`, `invoice.j\u00a0s` and `invoice.j\u2028s` are saved as `invoice.js`, `invoice.js\u180e` too.
// Linear: two global replaces, a loop from the end, one more replace.
function geckoSpelling(name: string): string {
  const spaced = name
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[\p{Zs}\ufeff]/gu, (c) => (c === '\u3000' ? c : ' '));
  let end = spaced.length;
  while (end > 0 && ' \u3000.\u180e'.includes(spaced[end - 1] as string)) end--;
  const trimmed = spaced.slice(0, end);
  const dot = trimmed.lastIndexOf('.');
  return dot < 0 ? trimmed : trimmed.slice(0, dot) + trimmed.slice(dot).replace(/[ \t\n\r\f]/g, '');
}

// The last non-empty segment of a path, its trailing separators, dots and spaces dropped (by index: linear).
function lastSegment(name: string): string {
  let end = name.length;
  while (end > 0 && '/\\. '.includes(name[end - 1] as string)) end--;
  let start = end;
  while (start > 0 && name[start - 1] !== '/' && name[start - 1] !== '\\') start--;
  return normalizeFileName(name.slice(start, end));
}

/**
 * The extensions a name's spellings ({@link nameVariants}) end with, lower case: one to sixteen ASCII letters or
 * digits after the last dot, once trailing dots, spaces, invisible characters and stream suffixes are gone.
 *
 * @example
 * ```ts
 * nameExtensions('statement.OFX. '); // ['ofx']
 * nameExtensions('a.vbs:x.txt'); // ['txt', 'vbs']
 * ```
 */
export function nameExtensions(name: string): string[] {
  const out = new Set<string>();
  for (const variant of nameVariants(name)) {
    const extension = /\.([a-z0-9]{1,16})\s*$/i.exec(variant)?.[1];
    if (extension) out.add(extension.toLowerCase());
  }
  return [...out];
}

/**
 * Whether macOS opens a file by its extension, in an app that claims it out of the box: the name ends with a
 * dot and an extension a stock Mac (or Microsoft Office) opens, nothing after it. Finder runs a file with an
 * execute bit in Terminal otherwise: without an extension, or with one it does not know (`Invoice.pdf ` with a
 * trailing space or an invisible character, `Invoice.2026-11`, `Contract.signed`: attacker round 44).
 *
 * @example
 * ```ts
 * opensByExtensionOnMac('Invoice.pdf'); // true
 * opensByExtensionOnMac('Invoice.pdf\u200b'); // false
 * opensByExtensionOnMac('Statement.nov'); // false: no app claims .nov
 * ```
 */
export function opensByExtensionOnMac(name: string): boolean {
  const match = /\.([A-Za-z0-9]{1,16})$/.exec(name.slice(name.lastIndexOf('/') + 1));
  return match !== null && MAC_KNOWN_EXTENSIONS.has((match[1] as string).toLowerCase());
}

// Extensions the apps of a stock Mac claim (Preview, TextEdit, QuickTime, Music, Photos, Safari, Mail, Calendar,
// Contacts, Pages, Numbers, Keynote, Archive Utility, Script Editor, Finder's own files) and Microsoft Office's.
const MAC_KNOWN_EXTENSIONS: ReadonlySet<string> = new Set(
  (
    'pdf txt text rtf rtfd md csv tsv log json xml plist html htm xhtml webarchive svg css js ' +
    'doc docx dot dotx docm xls xlsx xlsm xlt xltx ppt pptx pptm pps ppsx pot potx odt ods odp ' +
    'pages numbers key ics vcf eml emlx mbox textclipping webloc inetloc fileloc ' +
    'jpg jpeg jpe png gif tif tiff bmp heic heif webp ico icns psd raw cr2 nef dng ' +
    'mp3 m4a m4b aac wav aif aiff caf flac mid midi mp4 m4v mov avi mkv 3gp ' +
    'zip gz tgz bz2 xz tar cpio dmg iso pkg mpkg app scpt applescript command sh tool ' +
    'ttf otf ttc dfont mobileprovision ipa epub ibooks vcard'
  ).split(' '),
);

/** How a message file that clients open as a message is stored: see {@link messageFileKind}. */
export type MessageFileKind = 'mime' | 'emlx' | 'outlook';

// Message files clients open as messages, whatever type they are declared as (they go by the name): RFC 822
// text (`.eml`, Outlook Express's `.nws`, Outlook for Mac's template `.emltpl`), Apple Mail's `.emlx` (a length
// line, then RFC 822 text) and Outlook's compound files (`.msg`, `.oft`).
const MESSAGE_FILE_KINDS: Readonly<Record<string, MessageFileKind>> = {
  eml: 'mime',
  nws: 'mime',
  emltpl: 'mime',
  emlx: 'emlx',
  msg: 'outlook',
  oft: 'outlook',
};

/**
 * The kind of message file a name says, by any spelling of it ({@link nameVariants}); undefined for any other
 * file. `mime` files are walked as attached messages; the others are not opened by the walks.
 *
 * @example
 * ```ts
 * messageFileKind('fw.EML'); // 'mime'
 * messageFileKind('fw.msg'); // 'outlook'
 * messageFileKind('fw.pdf'); // undefined
 * ```
 */
export function messageFileKind(name: string): MessageFileKind | undefined {
  for (const variant of nameVariants(name)) {
    const ext = /\.([a-z0-9]+)$/i.exec(variant)?.[1]?.toLowerCase();
    const kind = ext === undefined ? undefined : MESSAGE_FILE_KINDS[ext];
    if (kind) return kind;
  }
  return undefined;
}
