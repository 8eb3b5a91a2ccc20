import { type ArchiveKind, archiveKindOf, KIND_HEAD } from '../message/archive-kind.js';

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
