import { Splitter } from '@zone-eu/mailsplit';
import libmime from 'libmime';
import { headersOf, type SplitNode } from '../edit/part-info.js';
import { isAttachedMessageType } from '../mime/attached-message.js';
import { opensAsPageByName } from './active-markup.js';
import { claimedArchiveKind } from './archive-kind.js';
import { type BodyCollector, shownHeaders } from './body-text.js';
import { messageFileKind } from './file-names.js';
import type { MessageLimits } from './limits.js';
import { differentTypes, headerParams, partNaming } from './part-names.js';
import type { MessagePart, PartInventory } from './part-walk.js';
import { unixModeOf } from './unix-mode.js';
import { unwrapProblem } from './unwrapped-content.js';

// The steps of the part walk that do not depend on how the bytes arrive: the streaming walk (part-walk.ts)
// and the walk of a message held in memory (held-walk.ts) take the same steps on the same splitter events,
// so both give the same parts, ids and findings.

const PROTECTED = new Set([
  'multipart/signed',
  'multipart/encrypted',
  'application/pkcs7-mime',
  'application/x-pkcs7-mime',
]);

/**
 * True when a client opens the part as a message: its declared type, or a name of an RFC 822 message file
 * (`.eml`, `.nws`, `.emltpl`): it is walked as one, so the files inside it are checked too.
 */
export function opensAsMessage(part: Pick<MessagePart, 'contentType' | 'names'>): boolean {
  return (
    isAttachedMessageType(part.contentType) || part.names.some((name) => messageFileKind(name) === 'mime')
  );
}

const KNOWN_ENCODINGS = new Set(['7bit', '8bit', 'binary', 'base64', 'quoted-printable']);

/** One walk over a message and its attached messages. */
export interface Walk {
  limits: Pick<MessageLimits, 'maxParts' | 'maxDepth' | 'maxHeaderBytes'>;
  out: PartInventory;
  count: number;
  bodies?: BodyCollector;
}

/** Where a message sits: the id prefix of its parts and its depth. */
export interface Place {
  prefix: string;
  depth: number;
  /** MIME nesting levels above this message (containers and attached messages). */
  nesting: number;
  protectedBy?: string;
}

/** What the walk keeps while it reads one message's splitter events. */
export interface MessageState {
  place: Place;
  ordinal: number;
  nodes: Map<SplitNode, string>;
  // Multiparts without a usable boundary: their content is opaque to the walk, which is a finding once it
  // holds a line a lenient client could take for a delimiter.
  opaque: Map<SplitNode, Opaque>;
}

/** What the splitter emits besides nodes: a part's body bytes, or a multipart's text outside its parts. */
export type SplitEvent = SplitNode | { type: 'body' | 'data'; value: Buffer; node?: SplitNode };

export function messageState(place: Place): MessageState {
  return { place, ordinal: 0, nodes: new Map(), opaque: new Map() };
}

export function splitterFor(walk: Walk): Splitter {
  // ignoreEmbedded: attached messages are leaves here and walked below, so ids match the editor's walk.
  return new Splitter({
    ignoreEmbedded: true,
    maxHeadSize: walk.limits.maxHeaderBytes,
    maxChildNodes: walk.limits.maxParts + 1,
  });
}

/** A multipart's text outside its parts: a finding once a line there looks like a delimiter. */
export function readOpaque(state: MessageState, node: SplitNode, value: Buffer, walk: Walk): void {
  const opaque = state.opaque.get(node) as Opaque;
  const text =
    opaque.encoded === 'base64'
      ? decodedBase64(opaque, value)
      : opaque.encoded === 'quoted-printable'
        ? decodedQuotedPrintable(opaque, value)
        : value.toString('latin1');
  // Bare CR ends a line too: some clients read it so.
  const lines = (opaque.carry + text).split(/\r\n|\r|\n/);
  opaque.carry = (lines.pop() ?? '').slice(0, 1000);
  if (lines.some((line) => delimiterLike(line, opaque))) {
    walk.out.findings.push({
      partId: state.nodes.get(node),
      kind: 'malformed',
      framing: true,
      reason:
        opaque.encoded !== undefined
          ? `${node.contentType} encoded as ${opaque.encoded} (which MIME forbids) holds parts a client that decodes it would show`
          : opaque.boundary === undefined
            ? `${node.contentType} without a usable boundary holds delimiter-like lines`
            : `${node.contentType} holds delimiter-like lines outside its parts (preamble or epilogue)`,
    });
    state.opaque.delete(node);
  }
}

/** Lists a new part; undefined once the message has more parts than the limit (the walk stops there). */
export function enterNode(node: SplitNode, state: MessageState, walk: Walk): MessagePart | undefined {
  const { place } = state;
  const id = `${place.prefix}${++state.ordinal}`;
  state.nodes.set(node, id);
  if (++walk.count > walk.limits.maxParts) {
    walk.out.findings.push({
      partId: id,
      kind: 'limit',
      reason: `more than ${walk.limits.maxParts} MIME parts`,
    });
    return undefined;
  }
  const part = describe(node, id, place, walk);
  const parent = node.parentNode;
  if (parent && (parent.contentType || '').toLowerCase() === 'multipart/appledouble') {
    const pair = state.nodes.get(parent);
    if (pair !== undefined) part.appleDouble = pair;
  }
  // A multipart's preamble and epilogue are not read either: a part a client finds there (after the
  // closing delimiter, or under a boundary the walk read differently) would go unseen.
  if (part.container) {
    // A multipart transfer-encoded (base64, quoted-printable) is forbidden (RFC 2045 §6.4) yet written by some
    // senders: the walk reads its body as it stands, a client that decodes it may find other parts there. Its
    // decoded lines are read. The encoding's name is read past comments and quotes.
    const encoding = headersOf(node)
      .get('content-transfer-encoding')
      .map(unfold)
      .join(' ')
      .replace(/\([^()]*\)|"/g, ' ')
      .trim()
      .toLowerCase();
    const encoded = /^base64\b/.test(encoding)
      ? ('base64' as const)
      : /^quoted-printable\b/.test(encoding)
        ? ('quoted-printable' as const)
        : undefined;
    state.opaque.set(node, {
      carry: '',
      boundary: boundaryOf(node),
      expected: framing(node),
      encoded,
      pending: '',
    });
  }
  walk.out.parts.push(part);
  // An attached message's own header lines show above its body, as clients show it.
  if (walk.bodies && place.depth > 0 && state.ordinal === 1) {
    const shown = shownHeaders((name) => headersOf(node).get(name).map(unfold));
    if (shown) walk.bodies.pieces.push({ kind: 'meta', text: shown });
  }
  return part;
}

function describe(node: SplitNode, id: string, place: Place, walk: Walk): MessagePart {
  const headers = headersOf(node);
  const types = headers.get('content-type').map(unfold);
  const dispositions = headers.get('content-disposition').map(unfold);
  const legacy = [
    ...headers.get('content-name'),
    ...headers.get('x-sun-data-name'),
    ...headers.get('content-location').map(locationName),
    ...headers.get(EXTERNAL_ATTACHMENT).map(locationName),
  ].map(unfold);
  const naming = partNaming(types, dispositions, legacy);
  // Thunderbird takes a part with this header for an attachment stored elsewhere (a detached file, a feed's
  // enclosure), whoever sent it: opening it opens the file or address the header names (`file://host/share/x.js`,
  // a UNC share), under the part's own name, not the part's content (attacker round 62). Strippable: the removal
  // note drops the header with the part.
  for (const url of headers.get(EXTERNAL_ATTACHMENT).map(unfold))
    walk.out.findings.push({
      partId: id,
      kind: 'malformed',
      strippable: true,
      reason: `a Thunderbird external attachment: opening it opens ${url.slice(0, 200)}, which is not in the message`,
    });
  for (const reason of naming.problems)
    walk.out.findings.push({
      partId: id,
      kind: 'ambiguous',
      reason,
      ...(reason === differentTypes(types.length) ? { framing: true as const } : {}),
    });
  for (const reason of framingProblems(types[0], headers.get('content-transfer-encoding').map(unfold)))
    walk.out.findings.push({ partId: id, kind: 'ambiguous', reason, framing: true });
  if (hasBareCr(node.getHeaders()))
    walk.out.findings.push({
      partId: id,
      kind: 'malformed',
      framing: true,
      reason:
        'a bare CR inside the header block: a client that ends lines there (Thunderbird) reads header fields the walk does not',
    });
  let nesting = place.nesting;
  let protectedBy = place.protectedBy;
  for (let n = node.parentNode; n; n = n.parentNode) {
    nesting++;
    const t = (n.contentType || '').toLowerCase();
    if (PROTECTED.has(t)) protectedBy ??= t;
  }
  const parent = node.parentNode ? (node.parentNode.contentType || '').toLowerCase() : '';
  // In a multipart/digest a part without a Content-Type (or with an empty one) is an attached message
  // (RFC 2046 5.1.5).
  const contentType =
    types.every((t) => t === '') && parent === 'multipart/digest'
      ? 'message/rfc822'
      : (node.contentType || 'text/plain').toLowerCase();
  if (PROTECTED.has(contentType) && !node.multipart) protectedBy ??= contentType;
  if (nesting > walk.limits.maxDepth) {
    walk.out.findings.push({
      partId: id,
      kind: 'limit',
      reason: `MIME nesting deeper than ${walk.limits.maxDepth}`,
    });
  }
  const container = Boolean(node.multipart);
  // A multipart in quoted-printable (which MIME forbids) keeps its delimiter lines, so its parts are read here as
  // written, while a client that decodes it first reads others (`=34111` is 4111 there; attacker round 44). In
  // base64 it has no delimiter line: the whole body is read decoded, as text outside the parts (readOpaque).
  // Its name read past comments, quotes and what follows it (`"quoted-printable";`), as clients take the first word.
  const encoded = container
    ? (headers.get('content-transfer-encoding').map(unfold)[0] ?? '').replace(/\([^()]*\)|"/g, ' ')
    : '';
  if (/^\s*quoted-printable\b/i.test(encoded))
    walk.out.findings.push({
      partId: id,
      kind: 'malformed',
      framing: true,
      reason: `${contentType} in quoted-printable (which MIME forbids): a client that decodes it reads other parts`,
    });
  const disposition = node.disposition ? node.disposition.toLowerCase() : undefined;
  if (!isAttachedMessageType(contentType)) {
    const problem = unwrapProblem({
      contentType,
      rawType: types[0],
      encoding: node.encoding || '',
      root: id === `${place.prefix}1`,
      container,
      disposition,
      names: naming.names,
      parent,
    });
    // A transfer encoding a client decodes and the walk cannot: the text it holds is not what was read.
    const framing = problem?.reason.startsWith('transfer encoding') ? { framing: true as const } : {};
    if (problem) walk.out.findings.push({ partId: id, kind: 'malformed', ...problem, ...framing });
  }
  const unixMode = unixModeOf([...types, ...dispositions]);
  const descriptions = describedNames(headers.get('content-description').map(unfold));
  // Not a text part that may be the body (Exchange takes the body from it, not a file).
  const attachedLike = disposition === 'attachment' || !contentType.startsWith('text/');
  if (!container && attachedLike && naming.names.length === 0)
    for (const reason of describedKinds(descriptions))
      walk.out.findings.push({ partId: id, kind: 'malformed', strippable: true, reason });
  return {
    id,
    contentType,
    names: naming.names,
    // Only an unnamed part is named by its description: a named one is saved under its name.
    ...(descriptions.length > 0 && naming.names.length === 0 ? { descriptions } : {}),
    disposition,
    ...(unixMode === undefined ? {} : { unixMode }),
    size: 0,
    depth: place.depth,
    container,
    related: parent === 'multipart/related' && headers.get('content-id').length > 0,
    protectedBy,
  };
}

// Exchange's MIME reader names an attachment without `filename` or `name` by its `Content-Description` (MS-OXCMAIL
// 2.2.3.4.1.1; attacker round 64): each one decoded (RFC 2047), kept apart from the names (a description does not
// make a part named for the clients that ignore it, which name it by its type).
function describedNames(values: readonly string[]): string[] {
  return values.length === 0 ? [] : partNaming([], [], values).names;
}

// An unnamed part Exchange saves under its description as a page, an archive or a message file is opened as one,
// while the walk read it as its type says: not known, so a finding.
function describedKinds(descriptions: readonly string[]): string[] {
  return descriptions
    .filter((d) => opensAsPageByName(d) || claimedArchiveKind([d]) !== undefined || messageFileKind(d))
    .map(
      (d) =>
        `an unnamed part described as ${d.slice(0, 100)}, which Exchange saves it as and the walk did not read it as`,
    );
}

/** For an attached message: where its own parts sit (ids under the part's); undefined for other parts. */
export function nestedPlace(node: SplitNode, part: MessagePart, walk: Walk, place: Place): Place | undefined {
  if (!opensAsMessage(part)) return undefined;
  // An attached message in an encoding the decoder passes through (x-uuencode…) would be walked as
  // gibberish, while a client that decodes it shows its parts: not inspectable.
  const encoding = (headersOf(node).get('content-transfer-encoding').map(unfold)[0] ?? '7bit').toLowerCase();
  if (!KNOWN_ENCODINGS.has(encoding)) {
    walk.out.findings.push({
      partId: part.id,
      kind: 'malformed',
      reason: `attached message in transfer encoding ${encoding.slice(0, 40)} cannot be walked`,
    });
    return undefined;
  }
  let nesting = place.nesting + 1;
  for (let n = node.parentNode; n; n = n.parentNode) nesting++;
  return { prefix: `${part.id}/`, depth: place.depth + 1, nesting, protectedBy: part.protectedBy };
}

// The splitter ends header lines at LF only; Thunderbird also at a CR not followed by LF (`X-A: 1<CR>Content-Type:
// …` is two fields there, one here), so such a block can name a type, a file or an encoding the walk never reads.
function hasBareCr(block: Buffer): boolean {
  for (let at = block.indexOf(13); at >= 0; at = block.indexOf(13, at + 1))
    if (block[at + 1] !== 10) return true;
  return false;
}

/** How the part is framed and decoded, when clients could read it two ways: two boundaries, two encodings. */
function framingProblems(type: string | undefined, encodings: readonly string[]): string[] {
  const problems: string[] = [];
  // Only a header that spells "boundary" can give it twice (most parts' Content-Type does not).
  const boundaries = /boundary/i.test(type ?? '')
    ? headerParams(type ?? '').filter((p) => p.key === 'boundary' || p.key.startsWith('boundary*'))
    : [];
  if (new Set(boundaries.map((b) => b.value)).size > 1)
    problems.push('Content-Type gives the boundary different values');
  if (new Set(encodings.map((e) => e.toLowerCase())).size > 1)
    problems.push(`${encodings.length} different Content-Transfer-Encoding headers`);
  return problems;
}

/** A multipart's text outside its parts (or all of it, without a boundary): the line being read so far. */
interface Opaque {
  carry: string;
  boundary?: string;
  /** Delimiter lines expected there: its own closing one, and the enclosing multiparts' (which end it). */
  expected: ReadonlySet<string>;
  /** A multipart's own transfer encoding, which MIME forbids: its lines are read decoded. */
  encoded?: 'base64' | 'quoted-printable' | undefined;
  /** Encoded text not yet decoded: base64 characters short of four, or quoted-printable after the last line end. */
  pending: string;
}

/** The text a base64-encoded multipart's next bytes decode to (characters outside the alphabet skipped). */
function decodedBase64(opaque: Opaque, value: Buffer): string {
  const chars = opaque.pending + value.toString('latin1').replace(/[^A-Za-z0-9+/]/g, '');
  const whole = chars.length - (chars.length % 4);
  opaque.pending = chars.slice(whole);
  return Buffer.from(chars.slice(0, whole), 'base64').toString('latin1');
}

/** The text a quoted-printable multipart's next bytes decode to, line by line (a soft break joins two). */
function decodedQuotedPrintable(opaque: Opaque, value: Buffer): string {
  const text = opaque.pending + value.toString('latin1');
  // Up to the last line end (or all of a line grown past 1000 characters, as the carry of lines is bounded).
  const cut = text.lastIndexOf('\n') + 1;
  const end = cut > 0 || text.length < 1000 ? cut : text.length;
  opaque.pending = text.slice(end);
  return text
    .slice(0, end)
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

function framing(node: SplitNode): Set<string> {
  const own = boundaryOf(node);
  const expected = new Set(own === undefined ? [] : [`--${own}--`]);
  for (let n = node.parentNode; n; n = n.parentNode) {
    const b = boundaryOf(n);
    if (b !== undefined) expected.add(`--${b}`).add(`--${b}--`);
  }
  return expected;
}

// A line a lenient client could take for a delimiter; the multipart's own closing delimiter is expected.
function delimiterLike(line: string, state: Opaque): boolean {
  if (!/^--\S/.test(line) || state.boundary === undefined) return /^--\S/.test(line);
  const text = line.trimEnd();
  // A ruler of dashes in a preamble or footer is not a delimiter, unless the boundary is itself dashes.
  if (/^-+$/.test(text) && !/^-+$/.test(state.boundary)) return false;
  return !state.expected.has(text);
}

/** The boundaries of the multiparts around a part (its own message's), innermost first. */
export function enclosingBoundaries(node: SplitNode): string[] {
  const out: string[] = [];
  for (let n = node.parentNode; n; n = n.parentNode) {
    const b = boundaryOf(n);
    if (b !== undefined) out.push(b);
  }
  return out;
}

// A multipart's boundary is read for it and for each part below it: parsed once per node.
const boundaries = new WeakMap<SplitNode, string | undefined>();

function boundaryOf(node: SplitNode): string | undefined {
  if (boundaries.has(node)) return boundaries.get(node);
  let boundary: string | undefined;
  const raw = headersOf(node).get('content-type').map(unfold)[0] ?? '';
  try {
    const value = String(libmime.parseHeaderValue(raw).params.boundary ?? '');
    boundary = value.trim() === '' ? undefined : value;
  } catch {
    boundary = undefined;
  }
  boundaries.set(node, boundary);
  return boundary;
}

// The header Thunderbird reads a detached (or a feed's) attachment's location from.
const EXTERNAL_ATTACHMENT = 'x-mozilla-external-attachment-url';

// Content-Location (RFC 2557) names the part by a URI; a client without another name may save the part
// under its last path segment (`x.vbs`, `https://h/x.vbs?a`): that segment counts as a name. Kept as a header
// line, so unfold() reads it like the others.
function locationName(line: string): string {
  const colon = line.indexOf(':');
  const value = unfold(line)
    .replace(/^<|>$/g, '')
    .replace(/[?#][\s\S]*$/, '');
  const segment = value.slice(Math.max(value.lastIndexOf('/'), value.lastIndexOf('\\')) + 1);
  let name = segment;
  try {
    name = decodeURIComponent(segment);
  } catch {
    // left as written
  }
  return `${line.slice(0, colon + 1)} ${name}`;
}

// Unfolding removes the line break and keeps the white space after it (RFC 5322 2.2.3): a name folded as
// `x.v<CRLF><TAB>bs` is `x.v<TAB>bs`, which a client saves as `x.vbs`, not `x.v bs`.
function unfold(value: string): string {
  const colon = value.indexOf(':');
  return value
    .slice(colon + 1)
    .replace(/\r?\n(?=[ \t])/g, '')
    .trim();
}
