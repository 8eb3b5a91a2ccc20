import type { Readable } from 'node:stream';
import type { SplitNode } from '../edit/part-info.js';
import { isTransient } from '../transient.js';
import type { ArchiveKind } from './archive-kind.js';
import type { BodyCollector } from './body-text.js';
import { walkHeld } from './held-walk.js';
import type { MessageLimits } from './limits.js';
import { feedLeaf, finishLeaf, type Leaf, startLeaf } from './part-leaf.js';
import { asLimitError } from './structure.js';
import {
  enterNode,
  messageState,
  nestedPlace,
  type Place,
  readOpaque,
  type SplitEvent,
  splitterFor,
  type Walk,
} from './walk-steps.js';

/**
 * One MIME part as both the attachment policy and the editor see it. `id` comes from one mailsplit walk:
 * the part's ordinal in its message (containers counted), and `/` steps into an attached message, so
 * `4/2` is the second part of the message attached as part 4. The editor removes parts by this id.
 */
export interface MessagePart {
  id: string;
  /** Declared content type, lower-case (`text/plain` when none is declared). */
  contentType: string;
  /**
   * Every name and filename the part carries (all headers, all occurrences), decoded, and the names of the
   * files packed inside it that clients unpack and show (a TNEF `winmail.dat`'s attachments).
   */
  names: string[];
  /**
   * The `Content-Description`s, decoded, of a part without a name: Exchange's MIME reader names an attachment without
   * `filename` or `name` by it (MS-OXCMAIL 2.2.3.4.1.1), so the attachment policy checks their extensions too.
   */
  descriptions?: string[];
  /** Declared disposition, lower-case. */
  disposition?: string;
  /**
   * The Unix file mode an `x-unix-mode` parameter gives (Apple Mail restores it when the file is saved), when
   * one does.
   */
  unixMode?: number;
  /** Type revealed by the content's first bytes, when recognisable. */
  sniffedType?: string;
  /**
   * Types the first bytes of files packed inside the part reveal (a TNEF `winmail.dat`'s attachments, the
   * files of a zip archive).
   */
  innerTypes?: string[];
  /**
   * The declared types of files carried with no name (or none with an extension) inside the part (an iCalendar
   * ATTACH's FMTTYPE), which a client names them by when it saves them (Outlook: `application/hta` as `.hta`).
   */
  unnamedInnerTypes?: string[];
  /**
   * Names of files the part links to by address (a calendar `ATTACH:https://…/invoice.exe`'s last segment), which a
   * browser downloads from the web: the attachment policy checks their extensions only (attacker round 69).
   */
  linkedNames?: string[];
  /**
   * The paths of the files inside a zip archive the part is (nested archives' as `a.zip/b.zip/file`), which a
   * client shows once the archive is opened.
   */
  innerNames?: string[];
  /**
   * For a file a browser opens as a page (HTML, SVG, MHT): what in it runs code, loads other documents or
   * sends what the reader types (`'a <script> element'`, `'an onload attribute'`…), or what the scan could not
   * read; undefined when nothing does.
   */
  activeMarkup?: string;
  /**
   * What in an HTML body (an unnamed inline `text/html` part, one level down in an attached message too) makes
   * Windows sign in to a computer the sender chose as a client shows it: a picture or stylesheet at `\\\\host\\…`,
   * `file://host/…` or `//host/…` (Outlook draws what its conditional comments hold); undefined when nothing does.
   */
  shownHost?: string;
  /**
   * The archive or compressed-file format the part is, as its first bytes show or, when they show none, as its
   * name or declared type claims (`zip`, `rar`, `7z`, `tar`, `gzip`, `cab`, `xz`, `cpio`…).
   */
  archiveKind?: ArchiveKind;
  /** Decoded size in bytes (0 for containers). */
  size: number;
  /** How many attached messages deep the part sits (0: the message itself). */
  depth: number;
  /** A container (multipart) rather than content. */
  container: boolean;
  /** Inside multipart/related with a Content-ID (an embedded image). */
  related: boolean;
  /**
   * The id of the multipart/appledouble the part is in: its AppleDouble header and data part are one file to
   * Apple Mail (the header names the data), so a refused one refuses the other.
   */
  appleDouble?: string;
  /** The signed or encrypted container the part sits in, when it does (its content cannot be changed). */
  protectedBy?: string;
}

/** Structure the walk could not inspect, or that clients may read in more than one way. */
export interface StructureFinding {
  /** The part concerned, when there is one. */
  partId?: string;
  kind: 'limit' | 'malformed' | 'ambiguous';
  reason: string;
  /** S/MIME or OpenPGP content (encrypted, or signed inside its own envelope) that clients open and the walk cannot. */
  smime?: true;
  /** Encrypted files inside an archive: named (their names are checked), their content unread. */
  encrypted?: true;
  /**
   * An archive whose files could not all be named: damaged or truncated, encrypted headers, a format or a
   * compressed header not read, an archive inside that is not read, past a bound.
   */
  unlisted?: true;
  /** The problem is the part's own content (an archive that cannot be listed): removing the part removes it. */
  strippable?: true;
  /**
   * Where the part's text starts and ends, or how it is decoded, can be read two ways (a bare CR in a header
   * block, a type, boundary or encoding given twice, delimiter-like lines outside the parts or inside one): a
   * client may show text a reader of one way did not read.
   */
  framing?: true;
}

/** Every part of a message at every depth, and what could not be inspected. */
export interface PartInventory {
  parts: MessagePart[];
  findings: StructureFinding[];
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
  if (Array.isArray(stream)) {
    // A message held whole in memory: walked without streams when the held walk can (see held-walk.ts).
    const held = await walkHeld(stream as readonly Buffer[], limits, bodies !== undefined);
    if (held) {
      if (bodies) {
        bodies.pieces.push(...(held.bodies?.pieces ?? []));
        bodies.failures.push(...(held.bodies?.failures ?? []));
      }
      return held.out;
    }
  }
  const walk: Walk = { limits, out: { parts: [], findings: [] }, count: 0, bodies };
  await walkMessage(stream, walk, { prefix: '', depth: 0, nesting: 0 });
  return walk.out;
}

async function walkMessage(stream: Readable | readonly Buffer[], walk: Walk, place: Place): Promise<void> {
  const splitter = splitterFor(walk);
  const state = messageState(place);
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
    for await (const chunk of splitter as AsyncIterable<SplitEvent>) {
      if (leaf && chunk.type === 'body' && chunk.node === leaf.node) {
        const draining = feedLeaf(leaf, chunk.value);
        if (draining) await draining;
        continue;
      }
      if (chunk.type === 'data' && chunk.node && state.opaque.has(chunk.node)) {
        readOpaque(state, chunk.node, chunk.value, walk);
        continue;
      }
      if (chunk.type !== 'node') continue;
      if (leaf) await finishLeaf(leaf, walk.out.findings);
      leaf = undefined;
      const node = chunk as SplitNode;
      const part = enterNode(node, state, walk);
      if (!part) return;
      if (part.container) continue;
      const inner = nestedPlace(node, part, walk, place);
      leaf = startLeaf(node, part, inner && ((input) => walkMessage(input, walk, inner)), walk.bodies);
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
