import type { Readable } from 'node:stream';
import { Splitter } from '@zone-eu/mailsplit';
import libmime from 'libmime';
import { headersOf, type SplitNode } from '../edit/part-info.js';
import { isTransient } from '../transient.js';
import { type BodyCollector, shownHeaders } from './body-text.js';
import type { MessageLimits } from './limits.js';
import { feedLeaf, finishLeaf, type Leaf, type NestedWalk, startLeaf } from './part-leaf.js';
import { headerParams, partNaming } from './part-names.js';
import { asLimitError } from './structure.js';

/**
 * One MIME part as both the attachment policy and the editor see it. `id` comes from one mailsplit walk:
 * the part's ordinal in its message (containers counted), and `/` steps into an attached message, so
 * `4/2` is the second part of the message attached as part 4. The editor removes parts by this id.
 */
export interface MessagePart {
  id: string;
  /** Declared content type, lower-case (`text/plain` when none is declared). */
  contentType: string;
  /** Every name and filename the part carries (all headers, all occurrences), decoded. */
  names: string[];
  /** Declared disposition, lower-case. */
  disposition?: string;
  /** Type revealed by the content's first bytes, when recognisable. */
  sniffedType?: string;
  /** Decoded size in bytes (0 for containers). */
  size: number;
  /** How many attached messages deep the part sits (0: the message itself). */
  depth: number;
  /** A container (multipart) rather than content. */
  container: boolean;
  /** Inside multipart/related with a Content-ID (an embedded image). */
  related: boolean;
  /** The signed or encrypted container the part sits in, when it does (its content cannot be changed). */
  protectedBy?: string;
}

/** Structure the walk could not inspect, or that clients may read in more than one way. */
export interface StructureFinding {
  /** The part concerned, when there is one. */
  partId?: string;
  kind: 'limit' | 'malformed' | 'ambiguous';
  reason: string;
}

/** Every part of a message at every depth, and what could not be inspected. */
export interface PartInventory {
  parts: MessagePart[];
  findings: StructureFinding[];
}

const PROTECTED = new Set([
  'multipart/signed',
  'multipart/encrypted',
  'application/pkcs7-mime',
  'application/x-pkcs7-mime',
]);

// Attached messages clients open as messages (message/global: RFC 6532, UTF-8 headers).
const ATTACHED_MESSAGES = new Set(['message/rfc822', 'message/global']);

const KNOWN_ENCODINGS = new Set(['7bit', '8bit', 'binary', 'base64', 'quoted-printable']);

interface Walk {
  limits: Pick<MessageLimits, 'maxParts' | 'maxDepth' | 'maxHeaderBytes'>;
  out: PartInventory;
  count: number;
  bodies?: BodyCollector;
}

/**
 * Walks a message's MIME tree in one streaming pass, attached messages included (each decoded and walked
 * as it streams past), and lists every part. Limits and malformed structure become findings instead of
 * errors, so a caller always learns what it could not see.
 *
 * @example
 * ```ts
 * const { parts, findings } = await walkParts(createReadStream('mail.eml'), DEFAULT_MESSAGE_LIMITS);
 * ```
 */
export async function walkParts(
  stream: Readable | readonly Buffer[],
  limits: Pick<MessageLimits, 'maxParts' | 'maxDepth' | 'maxHeaderBytes'>,
  bodies?: BodyCollector,
): Promise<PartInventory> {
  const walk: Walk = { limits, out: { parts: [], findings: [] }, count: 0, bodies };
  await walkMessage(stream, walk, { prefix: '', depth: 0, nesting: 0 });
  return walk.out;
}

interface Place {
  prefix: string;
  depth: number;
  /** MIME nesting levels above this message (containers and attached messages). */
  nesting: number;
  protectedBy?: string;
}

async function walkMessage(stream: Readable | readonly Buffer[], walk: Walk, place: Place): Promise<void> {
  // ignoreEmbedded: attached messages are leaves here and walked below, so ids match the editor's walk.
  const splitter = new Splitter({
    ignoreEmbedded: true,
    maxHeadSize: walk.limits.maxHeaderBytes,
    maxChildNodes: walk.limits.maxParts + 1,
  });
  const nodes = new Map<SplitNode, string>();
  // Multiparts without a usable boundary: their content is opaque to the walk, which is a finding once it
  // holds a line a lenient client could take for a delimiter.
  const opaque = new Map<SplitNode, Opaque>();
  let ordinal = 0;
  let leaf: Leaf | undefined;
  if (Array.isArray(stream)) {
    // A message held in memory is handed over whole: no stream in between.
    for (const chunk of stream) splitter.write(chunk);
    splitter.end();
  } else {
    const source = stream as Readable;
    source.once('error', (e) => splitter.destroy(e));
    source.pipe(splitter);
  }
  try {
    for await (const chunk of splitter as AsyncIterable<
      SplitNode | { type: string; value: Buffer; node?: SplitNode }
    >) {
      if (leaf && chunk.type === 'body' && 'value' in chunk && chunk.node === leaf.node) {
        const draining = feedLeaf(leaf, chunk.value);
        if (draining) await draining;
        continue;
      }
      if (chunk.type === 'data' && 'value' in chunk && chunk.node && opaque.has(chunk.node)) {
        const state = opaque.get(chunk.node) as Opaque;
        // Bare CR ends a line too: some clients read it so.
        const lines = (state.carry + chunk.value.toString('latin1')).split(/\r\n|\r|\n/);
        state.carry = (lines.pop() ?? '').slice(0, 1000);
        if (lines.some((line) => delimiterLike(line, state))) {
          walk.out.findings.push({
            partId: nodes.get(chunk.node),
            kind: 'malformed',
            reason:
              state.boundary === undefined
                ? `${chunk.node.contentType} without a usable boundary holds delimiter-like lines`
                : `${chunk.node.contentType} holds delimiter-like lines outside its parts (preamble or epilogue)`,
          });
          opaque.delete(chunk.node);
        }
        continue;
      }
      if (chunk.type !== 'node') continue;
      if (leaf) await finishLeaf(leaf, walk.out.findings);
      leaf = undefined;
      const node = chunk as SplitNode;
      const id = `${place.prefix}${++ordinal}`;
      nodes.set(node, id);
      if (++walk.count > walk.limits.maxParts) {
        walk.out.findings.push({
          partId: id,
          kind: 'limit',
          reason: `more than ${walk.limits.maxParts} MIME parts`,
        });
        return;
      }
      const part = describe(node, id, place, walk);
      // A multipart's preamble and epilogue are not read either: a part a client finds there (after the
      // closing delimiter, or under a boundary the walk read differently) would go unseen.
      if (part.container)
        opaque.set(node, { carry: '', boundary: boundaryOf(node), expected: framing(node) });
      walk.out.parts.push(part);
      // An attached message's own header lines show above its body, as clients show it.
      if (walk.bodies && place.depth > 0 && ordinal === 1) {
        const shown = shownHeaders((name) => headersOf(node).get(name).map(unfold));
        if (shown) walk.bodies.pieces.push({ kind: 'meta', text: shown });
      }
      if (!part.container) leaf = startLeaf(node, part, nestedWalk(node, part, walk, place), walk.bodies);
    }
    if (leaf) await finishLeaf(leaf, walk.out.findings);
  } catch (error) {
    // A source that failed (reset, throttled, cut short) is not a finding: fail the invocation so it is retried.
    if (isTransient(error)) throw error;
    const e = asLimitError(error);
    const kind = e instanceof Error && e.name === 'MessageLimitError' ? 'limit' : 'malformed';
    const reason = e instanceof Error ? e.message : String(e);
    walk.out.findings.push({ partId: place.prefix ? place.prefix.slice(0, -1) : undefined, kind, reason });
    walk.bodies?.failures.push(reason);
  } finally {
    if (!Array.isArray(stream)) {
      (stream as Readable).unpipe(splitter);
      (stream as Readable).destroy();
    } else splitter.destroy();
    if (leaf) leaf.inner?.destroy();
  }
}

function describe(node: SplitNode, id: string, place: Place, walk: Walk): MessagePart {
  const headers = headersOf(node);
  const types = headers.get('content-type').map(unfold);
  const dispositions = headers.get('content-disposition').map(unfold);
  const legacy = [...headers.get('content-name'), ...headers.get('x-sun-data-name')].map(unfold);
  const naming = partNaming(types, dispositions, legacy);
  for (const reason of naming.problems) walk.out.findings.push({ partId: id, kind: 'ambiguous', reason });
  for (const reason of framingProblems(types[0], headers.get('content-transfer-encoding').map(unfold)))
    walk.out.findings.push({ partId: id, kind: 'ambiguous', reason });
  let nesting = place.nesting;
  let protectedBy = place.protectedBy;
  for (let n = node.parentNode; n; n = n.parentNode) {
    nesting++;
    const t = (n.contentType || '').toLowerCase();
    if (PROTECTED.has(t)) protectedBy ??= t;
  }
  const contentType = (node.contentType || 'text/plain').toLowerCase();
  if (PROTECTED.has(contentType) && !node.multipart) protectedBy ??= contentType;
  if (nesting > walk.limits.maxDepth) {
    walk.out.findings.push({
      partId: id,
      kind: 'limit',
      reason: `MIME nesting deeper than ${walk.limits.maxDepth}`,
    });
  }
  const container = Boolean(node.multipart);
  const parent = node.parentNode ? (node.parentNode.contentType || '').toLowerCase() : '';
  return {
    id,
    contentType,
    names: naming.names,
    disposition: node.disposition ? node.disposition.toLowerCase() : undefined,
    size: 0,
    depth: place.depth,
    container,
    related: parent === 'multipart/related' && headers.get('content-id').length > 0,
    protectedBy,
  };
}

/** For an attached message: walks its decoded bytes as a message of its own, ids under the part's. */
function nestedWalk(node: SplitNode, part: MessagePart, walk: Walk, place: Place): NestedWalk | undefined {
  if (!ATTACHED_MESSAGES.has(part.contentType)) return undefined;
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
  return (inner) =>
    walkMessage(inner, walk, {
      prefix: `${part.id}/`,
      depth: place.depth + 1,
      nesting,
      protectedBy: part.protectedBy,
    });
}

/** How the part is framed and decoded, when clients could read it two ways: two boundaries, two encodings. */
function framingProblems(type: string | undefined, encodings: readonly string[]): string[] {
  const problems: string[] = [];
  const boundaries = headerParams(type ?? '').filter(
    (p) => p.key === 'boundary' || p.key.startsWith('boundary*'),
  );
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

function boundaryOf(node: SplitNode): string | undefined {
  const raw = headersOf(node).get('content-type').map(unfold)[0] ?? '';
  try {
    const boundary = String(libmime.parseHeaderValue(raw).params.boundary ?? '');
    return boundary.trim() === '' ? undefined : boundary;
  } catch {
    return undefined;
  }
}

function unfold(value: string): string {
  const colon = value.indexOf(':');
  return value
    .slice(colon + 1)
    .replace(/\r?\n[ \t]/g, ' ')
    .trim();
}
