import libmime from 'libmime';
import type { Edit } from './edits.js';
import type { MailsplitHeaders } from './part-info.js';

// Non-ASCII values become RFC 2047 encoded words, so the header stays 7-bit.
function encodeValue(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: testing for bytes outside 7-bit ASCII
  return /[^\u0000-\u007f]/.test(value) ? libmime.encodeWords(value, 'Q', 52) : value;
}

/** Applies the header edits to the root headers; returns what changed, for the log. */
export function applyHeaderEdits(headers: MailsplitHeaders, edits: readonly Edit[]): string[] {
  const changes: string[] = [];
  for (const edit of edits) {
    switch (edit.kind) {
      case 'set-header':
        headers.update(edit.name, encodeValue(edit.value));
        changes.push(`set ${edit.name}`);
        break;
      case 'add-header':
        headers.add(edit.name, encodeValue(edit.value));
        changes.push(`add ${edit.name}`);
        break;
      case 'remove-header':
        headers.remove(edit.name);
        changes.push(`remove ${edit.name}`);
        break;
      case 'prefix-subject': {
        const subject = libmime.decodeWords(headers.getFirst('subject'));
        // Several Subject fields (RFC 5322 allows one): a client may show any of them, so one is kept, the
        // first (the one rules read), prefixed; a prefixed first one does not stand for the others.
        const several = headers.get('subject').length > 1;
        const prefixed = subject.trimStart().toLowerCase().startsWith(edit.prefix.toLowerCase());
        if (prefixed && !several) break;
        headers.update(
          'Subject',
          encodeValue(prefixed ? subject : subject ? `${edit.prefix} ${subject}` : edit.prefix),
        );
        changes.push(
          several
            ? `one Subject kept of several, prefixed with ${edit.prefix}`
            : `prefix Subject with ${edit.prefix}`,
        );
        break;
      }
      default:
        break;
    }
  }
  return changes;
}
