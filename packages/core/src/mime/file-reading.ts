import { type BinaryReading, binaryAsStrings } from './binary-text.js';
import { isExecutable, unreadFileProblem } from './unread-archives.js';

/** How a file is read: why it cannot be ({@link unreadFileProblem}), or the reading to give it. */
export type FileReading = { unread: string } | { reading: BinaryReading };

/**
 * The two steps every reader of a carried file (a gzip's or signed file's content, a winmail.dat's file, a
 * uuencoded file, a zip's entry) takes after sniffing its first bytes, in the one order that is safe: first
 * whether it is unread (an archive of a kind not opened, a data format not decoded, a self-extracting program),
 * then binary of no known format read for its strings ({@link binaryAsStrings}). `whole` is asked for only
 * when the head is a program's, which may carry an archive anywhere in it.
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
): FileReading {
  const unread = unreadFileProblem(sniffed, isExecutable(head) ? whole() : head, names);
  return unread ? { unread } : { reading: binaryAsStrings(sniffed, head) };
}
