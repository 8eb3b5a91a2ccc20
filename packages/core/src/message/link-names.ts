/**
 * What a document's link to a file outside it opens: the names Windows opens the file by, or, for an address on a
 * server (`http://host/doc`), the address itself: what it opens is chosen by the server (a `Content-Type` of
 * `application/hta` runs an HTA whatever the address's last segment says; the CVE-2017-0199 shape).
 */
export interface LinkedSource {
  /** The file's names: its path's last segment as written, percent-decoded and as Windows resolves the path. */
  names: string[];
  /** Set when the source is fetched from a server (any scheme but `file:`): the address. */
  remote?: string;
  /**
   * Set when the source is a file on another computer (a UNC path `\\\\host\\share\\x`, `file://host/share/x`,
   * `file:///\\\\host\\x`, a WebDAV `\\\\host@SSL\\x`, `\\\\?\\UNC\\host\\x`): the host. Windows reaches it over SMB (or
   * WebDAV) as the document opens, signing in as the user: the host's owner gets the user's NetNTLM response,
   * whatever the file is (attacker round 118).
   */
  host?: string;
}

// A scheme of two letters or more: `C:\x` is a drive.
const SCHEME = /^([a-z][a-z0-9+.-]+):/i;

/**
 * The names a link's source (a path, a `file:` URL or an address) opens by, and whether it is fetched from a
 * server. Linear in the source's length.
 *
 * @example
 * ```ts
 * linkedSource('\\\\host\\share\\invoice.hta\\x\\..'); // { names: ['..', 'invoice.hta'] }
 * linkedSource('https://evil.example/doc?x=1'); // { names: ['doc'], remote: 'https://evil.example/doc?x=1' }
 * ```
 */
export function linkedSource(source: string): LinkedSource {
  const text = source.trim();
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  const path = scheme === undefined ? text : text.slice(scheme.length + 1).replace(/[?#].*$/s, '');
  const decoded = scheme === undefined ? path : percentDecoded(path);
  const names = new Set([...windowsNames(path), ...windowsNames(decoded)]);
  names.delete('');
  const found = names.size > 0 ? [...names] : [text];
  if (scheme !== undefined && scheme !== 'file') return { names: found, remote: text };
  const host = hostOf(path) ?? hostOf(decoded);
  return host === undefined ? { names: found } : { names: found, host };
}

// Windows' device namespace prefixes (`\\?\`, `\\.\`), after the leading separators.
const DEVICE = /[?.](?:[\\/]+|$)/y;
const SEPARATORS = /[\\/]*/y;
const SEGMENT = /[^\\/]*/y;

/**
 * The computer a Windows path (or a `file:` URL's path, its scheme cut) reaches, when it is not this one: the first
 * segment after two separators or more (`\\\\host\\share`, `//host/share`, `file://host/…`, `file:///\\\\host\\…`,
 * `file:////host/…`), or after `\\?\UNC\` or `\\.\UNC\`. A drive (`C:`, `C|`, also `\\?\C:`), `localhost` (read on past
 * it) and a path with one separator or none in front are this computer's. Any other device path
 * (`\\?\GLOBALROOT\Device\Mup\host\…` reaches a share too) and a UNC path without a host name (`\\\\`) are not known
 * to be: their first segment is returned. Linear in the path's length.
 *
 * @example
 * ```ts
 * hostOf('///\\\\evil.example@SSL\\s\\t.dotx'); // 'evil.example@SSL' (from `file:///\\\\evil.example@SSL\\s\\t.dotx`)
 * hostOf('C:\\Templates\\Normal.dotm'); // undefined
 * ```
 */
export function hostOf(path: string): string | undefined {
  const text = path.trim();
  let at = 0;
  for (;;) {
    SEPARATORS.lastIndex = at;
    const lead = SEPARATORS.exec(text)?.[0].length ?? 0;
    if (lead < 2) return undefined;
    at += lead;
    DEVICE.lastIndex = at;
    const device = DEVICE.exec(text)?.[0];
    if (device !== undefined) at += device.length;
    SEGMENT.lastIndex = at;
    let segment = SEGMENT.exec(text)?.[0] ?? '';
    if (/^[a-z][:|]$/i.test(segment)) return undefined;
    if (device !== undefined) {
      if (segment.toLowerCase() !== 'unc') return `${text.slice(0, at)}${segment}`;
      at += segment.length;
      SEPARATORS.lastIndex = at;
      at += SEPARATORS.exec(text)?.[0].length ?? 0;
      SEGMENT.lastIndex = at;
      segment = SEGMENT.exec(text)?.[0] ?? '';
    }
    if (segment.toLowerCase() !== 'localhost' || device !== undefined)
      return segment === '' ? '(no name)' : segment;
    // `file://localhost/C:/x` is this computer's drive; `file://localhost//host/x` reads on.
    at += segment.length;
  }
}

/**
 * A Windows path's last segment as written, and as Windows resolves the path: `.` and empty segments dropped, `..`
 * going up, trailing dots and spaces cut (`invoice.hta.` and `invoice.hta\.` are the file `invoice.hta`).
 */
export function windowsNames(path: string): string[] {
  const segments = path.split(/[\\/]/);
  const resolved: string[] = [];
  for (const segment of segments) {
    if (segment === '..') resolved.pop();
    else if (segment !== '.' && segment !== '') resolved.push(segment);
  }
  const written = segments[segments.length - 1] ?? '';
  const last = (resolved[resolved.length - 1] ?? '').replace(/[. ]+$/, '');
  return written === last ? [written] : [written, last];
}

/** `%XX` sequences as the bytes they stand for, read as UTF-8; a `%` not followed by two hex digits stays. */
export function percentDecoded(text: string): string {
  if (!text.includes('%')) return text;
  const bytes: Buffer[] = [];
  let from = 0;
  for (const m of text.matchAll(/(?:%[0-9a-f]{2})+/gi)) {
    bytes.push(Buffer.from(text.slice(from, m.index), 'utf8'), Buffer.from(m[0].replaceAll('%', ''), 'hex'));
    from = m.index + m[0].length;
  }
  bytes.push(Buffer.from(text.slice(from), 'utf8'));
  return Buffer.concat(bytes).toString('utf8');
}
