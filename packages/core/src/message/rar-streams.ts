import type { ArchiveEntry } from './archive-entry.js';

// NTFS alternate data streams in RAR archives (attacker round 96). `rar -os` stores a file's streams as service
// headers named `STM` after the file's own header, the stream's name (with its leading colon) in the header: RAR 5
// in a service data record, UTF-8; RAR 4 after the header's name, UTF-16LE. WinRAR, rar, UnRAR and UnRAR.dll on
// Windows write each stream as `<the file extracted before it><stream name>`. Before 7.13 they did not check the
// name (CVE-2025-8088, exploited by mail since July 2025): `CV.pdf:..\..\..\AppData\Roaming\Microsoft\Windows\
// Start Menu\Programs\Startup\update.bat` resolves past `CV.pdf` and writes the stream outside the folder the
// archive is extracted to, where it runs at the next logon (or replaces Word's Normal template, a `.dotm`).

/** The service header name RAR gives a file's NTFS stream. */
export const STREAM_SERVICE = 'STM';

/**
 * Visits a RAR `STM` service header's stream as a file of the archive, named `<file>:<stream>` (its pieces are read
 * as a file system reads a stream name: `CV.pdf:payload.exe` counts as `payload.exe` too), then throws when the
 * stream's name holds a path separator, it is visited with `outside` said: such a stream leaves its file, and WinRAR
 * before 7.13 writes it wherever the name points, so the archive is not what its listing shows (not knowing is not
 * allowing); the files after it are still listed. `entry` is the stream's entry with its content when the lister can
 * read it; its own name is replaced.
 *
 * @example
 * ```ts
 * visitStream('CV.pdf', ':Zone.Identifier', { name: '' }, visit); // visits `CV.pdf:Zone.Identifier`
 * visitStream('CV.pdf', ':..\\Startup\\x.bat', { name: '' }, visit); // visits it, `outside` said
 * ```
 */
export function visitStream(
  file: string | undefined,
  stream: string,
  entry: ArchiveEntry,
  visit: (entry: ArchiveEntry) => void,
): void {
  // unrar refuses (and skips) a stream name that does not start with its colon; read as written all the same.
  const bare = stream.startsWith(':') ? stream.slice(1) : stream;
  const name = `${file ?? ''}:${bare}`;
  const outside = /[\\/]/.test(bare)
    ? `${name}: an NTFS stream whose name is a path, which WinRAR before 7.13 writes outside the folder it extracts to (CVE-2025-8088)`
    : undefined;
  visit({ ...entry, name, ...(outside === undefined ? {} : { outside }) });
}
