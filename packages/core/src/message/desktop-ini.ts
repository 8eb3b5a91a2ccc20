import { linkedSource } from './link-names.js';

// Explorer reads a folder's `desktop.ini` as it shows the folder (when the folder is marked read-only or system,
// which 7-Zip and tar restore from an archive): its icon (`IconResource=`, `IconFile=`), its localized name
// (`LocalizedResourceName=@<dll>,-<id>`), its logo. A path there on another computer (`\\host\share\i.ico`, a WebDAV
// `\\host@SSL\i.ico`, an `http:` address) makes Explorer fetch it, signing in to the host as the user: the host's
// owner gets the user's NetNTLM response by unpacking the archive and looking at the folder (attacker round 118).
const NAMED = /(?:^|[\\/])desktop\.ini[. ]*$/i;
const LINE = /[^\r\n]+/g;
const PAIR = /^\s*[^=;[\s][^=]*=\s*(.*)$/;
const ADDRESS = /^[a-z][a-z0-9+.-]+:[\\/]{2}/i;

/** Whether an archive file's path names a folder's `desktop.ini` (any case, trailing dots and spaces cut). */
export function isDesktopIni(path: string): boolean {
  return NAMED.test(path);
}

/**
 * The first value of a `desktop.ini` naming a file on another computer or a server (a UNC path, a `file:` URL to a
 * host, an address such as `http://host/i.ico`), or undefined. Values are read as Explorer splits them: quotes, a leading `@` and an
 * icon index after a comma cut. Read in UTF-16 when it starts with a byte order mark or holds NUL bytes, else as
 * bytes. Linear in its size.
 *
 * @example
 * ```ts
 * desktopIniLink(Buffer.from('[.ShellClassInfo]\r\nIconResource=\\\\evil\\s\\i.ico,0\r\n')); // '\\\\evil\\s\\i.ico'
 * ```
 */
export function desktopIniLink(data: Buffer): string | undefined {
  const utf16 = (data[0] === 0xff && data[1] === 0xfe) || data.includes(0);
  const text = utf16
    ? data.subarray(data[0] === 0xff && data[1] === 0xfe ? 2 : 0).toString('utf16le')
    : data.toString('latin1');
  for (const [line] of text.matchAll(LINE)) {
    const value = PAIR.exec(line)?.[1];
    if (value === undefined) continue;
    for (const piece of value.split(',')) {
      const path = piece
        .trim()
        .replace(/^["']|["']$/g, '')
        .replace(/^@/, '')
        .trim();
      if (path === '') continue;
      const source = linkedSource(path);
      // A scheme counts with `//` after it: a tip's text (`InfoTip=Contains: photos`) is no address.
      if (source.host !== undefined || (source.remote !== undefined && ADDRESS.test(path))) return path;
    }
  }
  return undefined;
}
