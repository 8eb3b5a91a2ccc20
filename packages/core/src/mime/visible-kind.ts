import type { Transform } from 'node:stream';
import { isAttachedMessageType } from './attached-message.js';
import { isOfficeDocument } from './office-text.js';

/** The mailsplit node fields the visible-text reader uses. */
export interface TextNode {
  type: 'node';
  multipart: string | false;
  contentType: string | false;
  charset: string | false;
  filename: string | false;
  /** The transfer encoding, lower case, as mailsplit reads it. */
  encoding?: string | false;
  getHeaders(): Buffer;
  getDecoder(): Transform;
}

const TEXT_TYPES = new Set([
  'application/json',
  'application/xml',
  'application/csv',
  'application/x-csv',
  'application/javascript',
  'application/x-ndjson',
  'application/yaml',
  'application/x-yaml',
  'application/rtf',
]);
const TEXT_EXTENSIONS = new Set(
  'txt csv tsv text log md json ndjson xml html htm xhtml yaml yml ini cfg conf ics vcf sql eml rtf'.split(
    ' ',
  ),
);

/**
 * How a leaf part is read: as text, as HTML, as an attached message, as markup (XML, SVG, enriched text:
 * read both as written and as shown, tags dropped), as a directory object (iCalendar, vCard: as written
 * and with its escapes and quoted-printable values decoded), as a fragment it cannot read
 * (`message/partial`), as RTF (as written and as shown), as an Office Open XML or OpenDocument file (its XML parts), or not at all (binary).
 */
export type VisibleKind =
  | 'text'
  | 'html'
  | 'message'
  | 'markup'
  | 'directory'
  | 'office'
  | 'rtf'
  | 'fragment'
  | 'binary';

const MARKUP_TYPES = new Set(['application/xml', 'text/xml', 'text/enriched', 'text/richtext']);
const MARKUP_EXTENSIONS = new Set(['xml', 'svg']);
const DIRECTORY_TYPES = new Set([
  'text/calendar',
  'application/ics',
  'text/x-vcalendar',
  'text/vcard',
  'text/x-vcard',
  'text/directory',
]);
const DIRECTORY_EXTENSIONS = new Set(['ics', 'vcs', 'vcf']);

/**
 * Decides how a leaf part is read, from its declared type and its file name (a `.csv` sent as
 * `application/octet-stream` is still text).
 *
 * @example
 * ```ts
 * visibleKind({ contentType: 'application/octet-stream', filename: 'cards.csv' } as TextNode); // 'text'
 * ```
 */
export function visibleKind(node: Pick<TextNode, 'contentType' | 'filename'>): VisibleKind {
  const type = (node.contentType || 'text/plain').toLowerCase();
  const ext = node.filename ? (/\.([a-z0-9]{1,8})\s*$/i.exec(node.filename)?.[1] ?? '').toLowerCase() : '';
  if (isAttachedMessageType(type) || ext === 'eml') return 'message';
  if (type === 'message/partial') return 'fragment';
  if (type === 'text/html' || type === 'application/xhtml+xml' || ext === 'html' || ext === 'htm')
    return 'html';
  if (DIRECTORY_TYPES.has(type) || DIRECTORY_EXTENSIONS.has(ext)) return 'directory';
  if (type === 'application/rtf' || type === 'text/rtf' || ext === 'rtf') return 'rtf';
  if (MARKUP_TYPES.has(type) || /\+xml$/.test(type) || MARKUP_EXTENSIONS.has(ext)) return 'markup';
  if (type.startsWith('text/') || TEXT_TYPES.has(type) || /\+(json|xml)$/.test(type)) return 'text';
  if (TEXT_EXTENSIONS.has(ext)) return 'text';
  if (isOfficeDocument(type, ext)) return 'office';
  return 'binary';
}
