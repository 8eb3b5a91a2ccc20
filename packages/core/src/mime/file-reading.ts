import { type BinaryReading, binaryAsStrings } from './binary-text.js';
import { mediaTags } from './media-tags.js';
import { isExecutable, unreadFileProblem } from './unread-archives.js';

/** How a file is read: why it cannot be ({@link unreadFileProblem}), or the reading to give it. */
export type FileReading =
  | { unread: string }
  | { reading: Exclude<BinaryReading, 'tags'> }
  | { reading: 'tags'; tags: Buffer; xmp: Buffer[] };

/**
 * The steps every reader of a carried file (a gzip's or signed file's content, a winmail.dat's file, a
 * uuencoded file, a zip's entry) takes after sniffing its first bytes, in the one order that is safe: first
 * whether it is unread (an archive of a kind not opened, a data format not decoded, a self-extracting program),
 * then binary of no known format read for its strings ({@link binaryAsStrings}), and a picture or recording
 * for its text tags when it has some ({@link mediaTags}: unread when they cannot be read). `whole` is asked for
 * when the head is a program's, which may carry an archive anywhere in it, and when a picture's or recording's
 * tags run past `tagged` (the whole file unless given: an archive's entry gives its first bytes, not to inflate
 * every photo of a zip); walked whole, a file whose tags still run past its end is truncated, every byte of it
 * walked, and read as it is.
 *
 * @example
 * ```ts
 * fileReading('binary', head, ['export.rar'], () => bytes); // { unread: 'a rar file, which is not read' }
 * fileReading('binary', Buffer.from('CARD 4111…\r\n\x1a'), ['x.dat'], () => bytes); // { reading: 'strings' }
 * ```
 */
export function fileReading(
  sniffed: BinaryReading,
  head: Buffer,
  names: readonly string[],
  whole: () => Buffer,
  tagged: () => Buffer = whole,
): FileReading {
  const unread = unreadFileProblem(sniffed, isExecutable(head) ? whole() : head, names);
  if (unread) return { unread };
  const reading = binaryAsStrings(sniffed, head, names);
  if (reading !== 'tags') return { reading };
  // A picture or recording: read for its text tags when it has some, skipped when it has none.
  let found = mediaTags(tagged());
  if ('tags' in found && !found.complete && tagged !== whole) found = mediaTags(whole());
  if ('unread' in found) return found;
  return found.tags.length > 0 ? { reading, tags: found.tags, xmp: found.xmp } : { reading: 'binary' };
}
