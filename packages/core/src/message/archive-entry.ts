/**
 * One file of an archive as a lister gives it: its name, and its content when the lister can read it.
 * Listers are bounded and linear: they throw (an `Error` whose message says why) when the archive cannot
 * be listed whole, after the files already visited.
 */
export interface ArchiveEntry {
  name: string;
  /** A second name the file is extracted under by some tools (zip's Info-ZIP Unicode Path). */
  unicodeName?: string;
  /** A third name: how a Japanese Windows lists a zip name not flagged UTF-8 (Shift_JIS). */
  codePageName?: string;
  /** A folder: named, no content. */
  dir?: boolean;
  /** The content is encrypted: named, not read. */
  encrypted?: boolean;
  /** A link to another file (tar hard or symbolic link, RAR 5 redirection): extracted with that file's content. */
  link?: boolean;
  /**
   * Where the link points, as each extractor may read it (a tar's pax `linkpath`, GNU long link name and header
   * field): a symbolic link's target, read from the link's own folder, or with `hardLink` a path in the archive.
   * Absent when not known; a zip's symbolic link has its target as its content.
   */
  linkTargets?: readonly string[];
  /**
   * Why the file is written outside the folder the archive is extracted to, when its lister knows from what the name
   * alone does not show (a RAR file's NTFS stream whose name is a path).
   */
  outside?: string;
  /** A hard link (tar type 1): its target is a path from the archive's root. */
  hardLink?: boolean;
  /**
   * A document's link to an address on a server (`http://host/doc`), fetched and opened as the document opens: what
   * it opens is chosen by the server's answer, not by its name.
   */
  remote?: string;
  /**
   * A document's link to a file on another computer (`\\host\share\x`, `file://host/…`, a WebDAV `\\host@SSL\x`):
   * the host. Windows signs in to it as the user as the document opens (the user's NetNTLM response goes to the host's
   * owner), whatever the file is (attacker round 118).
   */
  host?: string;
  /**
   * A file extracted with an execute bit (a zip made on Unix, a tar): macOS Archive Utility and unzip keep it, and
   * Finder runs such a file that has no extension in Terminal.
   */
  executable?: boolean;
  /**
   * The first bytes (at most `max`); absent when the lister cannot read the content (compressed in a way
   * it does not decode). Throws when it cannot be read (a message ending in " is encrypted" for zip).
   */
  head?: (max: number) => Buffer;
  /** The whole content, within the budget left; absent when `head` is. */
  bytes?: () => Buffer;
}

/** Calls `visit` for each file of an archive in `data`; content read whole counts against `maxBytes`. */
export type EachEntry = (data: Buffer, maxBytes: number, visit: (entry: ArchiveEntry) => void) => void;

/** An entry whose content is the slice `start`..`start + size` of `data`, read in place. */
export function storedEntry(
  data: Buffer,
  start: number,
  size: number,
  entry: Omit<ArchiveEntry, 'head' | 'bytes'>,
): ArchiveEntry {
  if (start + size > data.length) throw new Error(`${entry.name}: truncated`);
  return {
    ...entry,
    head: (max) => data.subarray(start, start + Math.min(max, size)),
    bytes: () => data.subarray(start, start + size),
  };
}
