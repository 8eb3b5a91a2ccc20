import type { ArchiveEntry } from './archive-entry.js';
import { linkedSource } from './link-names.js';

// A playlist's entries are opened by the player as the list opens: Windows Media Player (`.m3u`, `.wpl`, and the
// `.asx` family the block list names), Groove and VLC (`.m3u8`, `.pls`, `.xspf`), Zune (`.zpl`). An entry on another
// computer (`\\host\share\a.mp3`, `file://host/…`, a WebDAV `\\host@SSL\…`) makes Windows sign in to the host as the
// user: the host's owner gets the user's NetNTLM response (ntlm_theft's `.m3u`; attacker round 119). An entry on a web
// server is internet radio: streamed, not a share.
const NAMED = /\.(?:m3u8?|pls|wpl|zpl|xspf)[\s.]*$/i;
const LINE = /[^\r\n]+/g;
/** An XML playlist's sources: `<media src>` (WPL, ZPL), `<ref href>`, and XSPF's `<location>` text. */
const XML_SOURCE = /\b(?:src|href)\s*=\s*(?:"([^"]*)"|'([^']*)')|<location\s*>([^<]*)/gi;
const REFERENCE = /&(#x[0-9a-f]{1,8}|#[0-9]{1,10}|quot|apos|amp|lt|gt);/gi;
const NAMED_REFERENCES: Readonly<Record<string, string>> = {
  quot: '"',
  apos: "'",
  amp: '&',
  lt: '<',
  gt: '>',
};

/** Whether a file's name is a playlist's (any case, trailing dots and spaces cut). */
export function isPlaylistNamed(name: string): boolean {
  return NAMED.test(name);
}

/**
 * The entries of a playlist as a player reads them: an XML playlist's sources (references decoded), an `.m3u`'s
 * lines that are no `#` comment, a `.pls`'s values (`File1=…`); every file is read both ways. Read in UTF-16 when it starts with a byte order mark or
 * holds NUL bytes, else as bytes. Linear in its size.
 *
 * @example
 * ```ts
 * playlistSources(Buffer.from('#EXTM3U\n\\\\evil\\s\\a.mp3\n')); // ['\\\\evil\\s\\a.mp3']
 * ```
 */
export function playlistSources(data: Buffer): string[] {
  const utf16 = (data[0] === 0xff && data[1] === 0xfe) || data.includes(0);
  const text = utf16
    ? data.subarray(data[0] === 0xff && data[1] === 0xfe ? 2 : 0).toString('utf16le')
    : data.toString('latin1');
  const out: string[] = [];
  // Read both ways, whatever the name says: a `<` in an `.m3u` title does not make its lines markup.
  for (const m of text.matchAll(XML_SOURCE)) out.push(decoded(m[1] ?? m[2] ?? m[3] ?? ''));
  for (const [line] of text.matchAll(LINE)) {
    const entry = line.trim().replace(/^\ufeff/, '');
    if (entry === '' || entry.startsWith('#') || entry.startsWith('[')) continue;
    out.push(entry);
    const equals = entry.indexOf('=');
    if (equals > 0) out.push(entry.slice(equals + 1).trim());
  }
  return out;
}

/**
 * Calls `visit` for each entry of a playlist on another computer ({@link playlistSources}): named by its last segment,
 * with its host, which the archive walk refuses.
 */
export function eachPlaylistFile(
  data: Buffer,
  _maxBytes: number,
  visit: (entry: ArchiveEntry) => void,
): void {
  eachShareLink(playlistSources(data), visit);
}

/** Calls `visit` for each of `sources` (quotes cut) on another computer, named by its last segment, with its host. */
export function eachShareLink(sources: readonly string[], visit: (entry: ArchiveEntry) => void): void {
  for (const source of sources) {
    const { names, host } = linkedSource(source.trim().replace(/^["']|["']$/g, ''));
    if (host !== undefined) visit({ name: names[0] ?? source, host });
  }
}

/** An Excel data connection's sources: an `.odc` file, a text file, a web query's address, a connection string. */
const CONNECTION_SOURCE = /\b(odcFile|sourceFile|url|connection)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
/** The parts of an Excel workbook that hold its data connections (`xl/connections.xml`). */
const CONNECTIONS_PART = /(?:^|\/)connections[^/]*\.xml$/i;

/** Whether an archive file's path is an Excel workbook's connections part. */
export function isConnectionsPart(path: string): boolean {
  return CONNECTIONS_PART.test(path);
}

/**
 * The files and addresses an Excel workbook's data connections read as Excel refreshes them (`xl/connections.xml`):
 * `odcFile`, a text import's `sourceFile`, a web query's `url`, and each value of a database's connection string
 * (`Data Source=\\\\host\\s\\db.accdb`, `DBQ=…`), references decoded. Linear in the markup's length.
 *
 * @example
 * ```ts
 * connectionSources('<dbPr connection="Provider=x;Data Source=\\\\evil\\s\\db.accdb"/>'); // ['x', '\\\\evil\\s\\db.accdb']
 * ```
 */
export function connectionSources(markup: string): string[] {
  const out: string[] = [];
  for (const m of markup.matchAll(CONNECTION_SOURCE)) {
    const value = decoded(m[2] ?? m[3] ?? '');
    if ((m[1] ?? '').toLowerCase() !== 'connection') out.push(value);
    else
      for (const setting of value.split(';')) {
        const equals = setting.indexOf('=');
        if (equals >= 0) out.push(setting.slice(equals + 1));
      }
  }
  return out;
}

function decoded(value: string): string {
  return value.replace(REFERENCE, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (!lower.startsWith('#')) return NAMED_REFERENCES[lower] ?? whole;
    const code = lower[1] === 'x' ? Number.parseInt(lower.slice(2), 16) : Number(lower.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
  });
}
