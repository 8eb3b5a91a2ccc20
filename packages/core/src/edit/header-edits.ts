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
  const landed = addsAlreadyOnTop(headers, edits);
  for (const edit of edits) {
    switch (edit.kind) {
      case 'set-header':
        headers.update(edit.name, encodeValue(edit.value));
        changes.push(`set ${edit.name}`);
        break;
      case 'add-header':
        if (landed.has(edit.name.toLowerCase())) break;
        headers.add(edit.name, encodeValue(edit.value));
        changes.push(`add ${edit.name}`);
        break;
      case 'remove-header':
        headers.remove(edit.name);
        changes.push(`remove ${edit.name}`);
        break;
      case 'prefix-subject': {
        const raw = headers.getFirst('subject');
        const subject = libmime.decodeWords(raw);
        // Several Subject fields (RFC 5322 allows one): a client may show any of them, so one is kept, the
        // first (the one rules read), prefixed; a prefixed first one does not stand for the others.
        const several = headers.get('subject').length > 1;
        // Already tagged only as a reader sees it: an encoded word in a charset clients leave undecoded (HZ,
        // ISO-2022-KR, an unknown label) shows raw, though libmime reads it as the tag (attacker round 55).
        const prefixed = startsWithTag(
          libmime.decodeWords(
            raw.replace(ENCODED_WORD, (word, charset: string) => (shownDecoded(charset) ? word : '\u0000')),
          ),
          edit.prefix,
        );
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

/**
 * Names whose added fields are already the topmost fields of that name, exactly as this pass would add them (each add
 * goes on top, so the last added first): a retry of an invocation whose update WorkMail applied with its answer lost
 * reads the edited message, and adding them again would put each field in twice (fault round 62). Only the top counts:
 * the same value lower down (a sender's copy under another value) does not stand for the field a filter reads first.
 * A name another edit sets or removes is left to the edits in order.
 */
function addsAlreadyOnTop(headers: MailsplitHeaders, edits: readonly Edit[]): Set<string> {
  const added = new Map<string, string[]>();
  const touched = new Set<string>(['subject']);
  for (const edit of edits) {
    if (edit.kind === 'set-header' || edit.kind === 'remove-header') touched.add(edit.name.toLowerCase());
    if (edit.kind !== 'add-header') continue;
    const name = edit.name.toLowerCase();
    added.set(name, [encodeValue(edit.value), ...(added.get(name) ?? [])]);
  }
  const landed = new Set<string>();
  for (const [name, values] of added) {
    if (touched.has(name)) continue;
    const present = headers.get(name).map(fieldValue);
    if (values.every((value, i) => present[i] !== undefined && present[i] === spaced(value)))
      landed.add(name);
  }
  return landed;
}

/** A field's value unfolded, its runs of white space one space, trimmed. */
function fieldValue(line: string): string {
  return spaced(line.slice(line.indexOf(':') + 1));
}

function spaced(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

// Reply and forward prefixes mail clients write (English, German, Nordic, Dutch, French, Spanish, Italian, Polish,
// Turkish, Chinese), with Outlook's counted form `RE[2]:` and a full-width colon.
const REPLY_PREFIX =
  /^(?:re|fwd?|aw|wg|sv|vs|antw|doorst|tr|ref|réf|rv|r|i|odp|pd|ynt|ilt|vb|回复|答复|转发|回覆|轉寄)(?:\[\d{1,3}\])?[:：]/i;
const MAX_REPLY_PREFIXES = 3;

/**
 * Whether the Subject, as shown, starts with the tag, or with at most {@link MAX_REPLY_PREFIXES} reply or forward
 * prefixes and then the tag, each apart by at most two spaces (`RE: [EXTERNAL] lunch`, a partner's reply to a tagged
 * message: the tag is seen near the start already; false-positive round 14). A tag further on (`RE: RE: RE: RE:
 * [EXTERNAL]`, one after many spaces or after a word) is not. Bounded: a few short prefixes are looked at.
 */
function startsWithTag(subject: string, tag: string): boolean {
  let rest = subject.trimStart();
  const wanted = tag.toLowerCase();
  for (let prefixes = 0; ; prefixes++) {
    if (rest.toLowerCase().startsWith(wanted)) return true;
    const prefix = prefixes < MAX_REPLY_PREFIXES ? REPLY_PREFIX.exec(rest.slice(0, 16)) : null;
    if (!prefix) return false;
    const after = rest.slice(prefix[0].length);
    const spaces = /^[ \t]{0,2}/.exec(after)?.[0].length ?? 0;
    rest = after.slice(spaces);
  }
}

const ENCODED_WORD = /=\?([^?*\s]+)(?:\*[^?\s]*)?\?[bq]\?[^?\s]*\?=/gi;

// Whether clients decode an encoded word in this charset: what the WHATWG Encoding Standard decodes (Thunderbird's
// decoder, browsers' mail clients), its replacement labels (HZ, ISO-2022-KR/CN) excepted, which Node's TextDecoder
// refuses as they do.
function shownDecoded(charset: string): boolean {
  try {
    new TextDecoder(charset);
    return true;
  } catch {
    return /^utf-?7$/i.test(charset);
  }
}
