import { carriedMessage } from '../mime/carried-message.js';
import type { ArchiveEntry } from './archive-entry.js';
import { innerFileName } from './archive-kind.js';
import { cmsFileContent } from './cms-file.js';

/**
 * Visits the file a signed (CMS) file carries, under each name a viewer saves it by (the name without
 * `.p7m`), or unnamed when no name says; an enveloped one as encrypted. Throws when it cannot be read.
 *
 * @example
 * ```ts
 * eachCmsEntry(p7m, ['fattura.xml.p7m'], 1 << 24, (entry) => console.log(entry.name)); // fattura.xml
 * ```
 */
export function eachCmsEntry(
  data: Buffer,
  names: readonly string[],
  maxBytes: number,
  visit: (entry: ArchiveEntry) => void,
): void {
  const file = cmsFileContent(data, maxBytes);
  if (file.kind === 'none') return;
  // Opaque-signed S/MIME: clients (Outlook for a root octet-stream `.p7m` too) open the message it signs, whose
  // attachments the walk of an archive cannot list.
  if (file.kind === 'content' && carriedMessage(file.content.subarray(0, 64 * 1024)))
    throw new Error('signed content that is a message (S/MIME), whose attachments the walk cannot open');
  const inner = [...new Set(names.map(innerFileName).filter((n) => n !== undefined))];
  for (const name of inner.length > 0 ? inner : ['']) {
    if (file.kind === 'encrypted') visit({ name: name || 'encrypted content', encrypted: true });
    else visit({ name, head: (max) => file.content.subarray(0, max), bytes: () => file.content });
  }
}
