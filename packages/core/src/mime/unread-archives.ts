import { type ArchiveKind, archiveKindOf, claimedArchiveKind, KIND_HEAD } from '../message/archive-kind.js';

// The archives and compressed files the visible-text reader opens; the other kinds the walk recognises (7z,
// RAR, CAB, bzip2, xz, zstd…) hold what the reader cannot see, so they are reported unread, not skipped.
const READ = new Set<ArchiveKind>(['zip', 'tar', 'gzip', 'cms']);

/**
 * The kind of archive or compressed file that a part's name, type or first bytes show and that the reader does
 * not open, if any.
 *
 * @example
 * ```ts
 * unreadArchiveKind(undefined, Buffer.from('7z\xbc\xaf\x27\x1c', 'latin1')); // '7z'
 * ```
 */
export function unreadArchiveKind(claimed: ArchiveKind | undefined, head: Buffer): ArchiveKind | undefined {
  const kind = archiveKindOf(head.subarray(0, KIND_HEAD)) ?? claimed;
  return kind !== undefined && !READ.has(kind) ? kind : undefined;
}

/**
 * Why a file read as `binary` by its first bytes cannot be skipped: an archive or compressed file of a kind
 * the reader does not open, by those bytes or by one of its names. Every place that reads a file by its first
 * bytes asks (a part, a file in a zip or tar, a gzip's or signed file's content, a winmail.dat's file, a
 * uuencoded file), so a RAR is unread wherever it is carried.
 *
 * @example
 * ```ts
 * unreadFileProblem('binary', rarBytes, ['export.rar']); // 'a rar file, which is not read'
 * ```
 */
export function unreadFileProblem(
  reading: string,
  head: Buffer,
  names: readonly string[] = [],
): string | undefined {
  if (reading !== 'binary') return undefined;
  const kind = unreadArchiveKind(claimedArchiveKind(names.filter(Boolean)), head);
  return kind && `a ${kind} file, which is not read`;
}
