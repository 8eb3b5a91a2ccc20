import type { Transform } from 'node:stream';
import { messageFileKind, nameExtensions } from '../message/file-names.js';
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
  /** A text/plain part in `format=flowed` (RFC 3676), and whether its `delsp` is `yes`. */
  flowed?: boolean;
  delSp?: boolean;
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
// Files Notepad, Quick Look or an editor opens as text whatever their first bytes: documents and data, and
// scripts, sources, patches, settings and subtitles (attacker round 37: a `.ps1` starting like a JPEG).
const TEXT_EXTENSIONS = new Set(
  (
    'txt csv tsv text log md json ndjson xml html htm xhtml yaml yml ini cfg conf ics vcf sql eml rtf ' +
    'ps1 psm1 psd1 inf reg bat cmd vbs js mjs cjs ts c h cc cpp hpp cs java py rb pl php sh bash zsh go rs ' +
    'swift kt m patch diff properties toml env tex srt vtt nfo asc pem'
  ).split(' '),
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
const HTML_EXTENSIONS = new Set(['html', 'htm']);

/**
 * Decides how a leaf part is read, from its declared type and its file names (a `.csv` sent as
 * `application/octet-stream` is still text). Every name a client may show counts: a part named `.eml` in its
 * Content-Type and `.dat` in its Content-Disposition opens as a message in a client that goes by the first.
 *
 * @example
 * ```ts
 * visibleKind({ contentType: 'application/octet-stream', filename: 'cards.csv' } as TextNode); // 'text'
 * visibleKind({ contentType: 'application/octet-stream', filename: 'a.dat' } as TextNode, ['a.dat', 'a.eml']); // 'message'
 * ```
 */
export function visibleKind(
  node: Pick<TextNode, 'contentType' | 'filename'>,
  names: readonly string[] = node.filename ? [node.filename] : [],
): VisibleKind {
  const type = (node.contentType || 'text/plain').toLowerCase();
  const exts = new Set(names.flatMap(nameExtensions));
  const named = (set: ReadonlySet<string>) => [...exts].some((e) => set.has(e));
  if (isAttachedMessageType(type) || names.some((n) => messageFileKind(n) === 'mime')) return 'message';
  if (type === 'message/partial') return 'fragment';
  if (type === 'text/html' || type === 'application/xhtml+xml' || named(HTML_EXTENSIONS)) return 'html';
  if (DIRECTORY_TYPES.has(type) || named(DIRECTORY_EXTENSIONS)) return 'directory';
  if (type === 'application/rtf' || type === 'text/rtf' || exts.has('rtf')) return 'rtf';
  if (MARKUP_TYPES.has(type) || /\+xml$/.test(type) || named(MARKUP_EXTENSIONS)) return 'markup';
  if (type.startsWith('text/') || TEXT_TYPES.has(type) || /\+(json|xml)$/.test(type)) return 'text';
  if (named(TEXT_EXTENSIONS)) return 'text';
  if (isOfficeDocument(type, '') || [...exts].some((e) => isOfficeDocument(type, e))) return 'office';
  return 'binary';
}
