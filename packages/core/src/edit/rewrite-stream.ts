import { Transform, type TransformCallback } from 'node:stream';
import libmime from 'libmime';
import { paramReadings } from '../message/part-names.js';
import { DISCLAIMED_TYPES, editText } from './body-edits.js';
import { type Disclaimer, type Edit, EditError, type PartInfo } from './edits.js';
import { applyHeaderEdits } from './header-edits.js';
import { headersOf, isAttachment, isProtected, partInfo, type SplitNode, shownType } from './part-info.js';
import { quotedPrintable } from './quoted-printable.js';
import { isExpectedPart, type PartRemoval, removalsInside, rewriteAttachedMessage } from './remove-parts.js';
import { reencode, repairReason } from './repair.js';
import { spliceDisclaimers } from './spliced-disclaimer.js';
import { decodeText, encodeText, transferDecode } from './text-codec.js';
import { type Wrapping, wrapProtectedRoot } from './wrap-protected.js';

/**
 * How the editor treats signed or encrypted content: leave bodies alone (`headers-only`, the default),
 * wrap the original as an attachment after a part carrying the disclaimers (`wrap`), or `edit-anyway`.
 */
export type SignedContentPolicy = 'headers-only' | 'wrap' | 'edit-anyway';

/**
 * A multipart's subtype as clients read its type ({@link shownType}): Thunderbird takes `multipart/alternative foo`
 * or `multipart/related, text/html` for an alternative or a related, which mailsplit names `alternative foo` (attacker
 * round 59: a second HTML alternative, or the root a related's start names, went without the banner).
 */
function subtype(node: SplitNode): string | false {
  if (!node.multipart) return false;
  const type = shownType(node);
  return type.startsWith('multipart/') ? type.slice('multipart/'.length) : node.multipart;
}

/** Whether the node is a branch of, or inside a branch of, a multipart/alternative. */
function inAlternative(node: SplitNode): boolean {
  for (let parent = node.parentNode; parent; parent = parent.parentNode)
    if (subtype(parent) === 'alternative') return true;
  return false;
}

/** Settings of one rewrite. */
export interface RewritePlan {
  edits: readonly Edit[];
  signedContent: SignedContentPolicy;
  /** Largest text part decoded for a body edit, and largest 7bit/8bit part buffered for repair. */
  maxPartBytes: number;
  /**
   * No part of this multipart message can carry a banner (a first pass, {@link findsBannerBody}, read it to the
   * end): the root is wrapped after a part carrying the banners, as a single body with no text is.
   */
  bodyless?: boolean;
  /** Called once it is known the message needs no bodyless wrap: a body part was found, or the root is a single part. */
  onDecided?: () => void;
}

type Chunk = SplitNode | { type: 'body' | 'data'; value: Buffer; node?: SplitNode };
type Mode = 'text' | 'remove' | 'repair' | 'nested';

/**
 * An object-mode stage between mailsplit's Splitter and Joiner. Parts no edit
 * touches pass through as the same bytes; edited text parts are decoded,
 * changed and re-encoded as UTF-8 quoted-printable; removed attachments become
 * a short note; 7bit/8bit parts WorkMail would refuse are re-encoded.
 */
export class RewriteStream extends Transform {
  readonly changes: string[] = [];
  readonly skipped: string[] = [];
  /** Ids of the parts removed by `remove-parts` edits (same numbering as `walkParts`). */
  readonly removedIds: string[] = [];
  private held?: { node: SplitNode; id: string; mode: Mode; chunks: Buffer[]; size: number };
  private readonly partRemovals: PartRemoval[];
  private ordinal = 0;
  private readonly doneTypes = new Set<string>();
  // The text types edited in each branch of a multipart/alternative, keyed by the branch's node.
  private readonly doneBranches = new WeakMap<SplitNode, Set<string>>();
  private disclaimers: Disclaimer[];
  private readonly transforms: Extract<Edit, { kind: 'transform-text' }>[];
  private readonly removals: Extract<Edit, { kind: 'remove-attachments' }>[];
  private eol = '\r\n';
  private wrapping?: Wrapping;
  private attachmentEdited = false;
  /** The root is a single part with no text to carry the disclaimers: it is wrapped when its node goes out. */
  private wrapPending = false;
  /** The wrapped original is a multipart whose text parts are still edited (not signed content). */
  private textInsideWrap = false;
  /** A body part to carry the disclaimers was found. */
  private bodyFound = false;
  /** Children seen so far of each multipart/related, and its `start` (a Content-ID, normalised) if any. */
  private readonly relatedSeen = new WeakMap<SplitNode, { count: number; starts: Set<string> }>();
  /** Children of a multipart/related a client may show as its root: the one `start` names, and the first. */
  private readonly relatedRoots = new WeakSet<SplitNode>();
  /** The children a reading of `start` names: each is a body even when a decoy of its type came first. */
  private readonly startRoots = new WeakSet<SplitNode>();
  /** The child `start` names when every reading of it agrees: the root every client shows. */
  private readonly sureRoots = new WeakSet<SplitNode>();
  /** The multipart/alternatives the current node is in, outermost first (tracked for a first pass only). */
  private readonly openAlternatives: SplitNode[] = [];
  /** Per alternative: how many branches a client may prefer, and those that carry the banner wherever it looks. */
  private readonly alternatives = new WeakMap<
    SplitNode,
    { branches: number; carried: Set<SplitNode>; calendars: number; rich: boolean }
  >();
  /** Body parts every client shows, held for their edit: each shows the banner once its edit is made. */
  private readonly sureBodies = new WeakSet<SplitNode>();

  constructor(private readonly plan: RewritePlan) {
    // Few objects in flight: each may hold 64 KiB or more of the message.
    super({ objectMode: true, highWaterMark: 2 });
    this.disclaimers = plan.edits.flatMap((e) => (e.kind === 'disclaimer' ? [e.disclaimer] : []));
    this.transforms = plan.edits.filter((e) => e.kind === 'transform-text');
    this.removals = plan.edits.filter((e) => e.kind === 'remove-attachments');
    this.partRemovals = plan.edits.filter((e) => e.kind === 'remove-parts');
  }

  override _transform(chunk: Chunk, _enc: BufferEncoding, done: TransformCallback): void {
    this.handle(chunk).then(() => done(), done);
  }

  override _flush(done: TransformCallback): void {
    this.release().then(() => {
      for (let open = this.openAlternatives.pop(); open; open = this.openAlternatives.pop())
        this.closeAlternative(open);
      if (this.wrapping) this.push({ type: 'data', value: this.wrapping.suffix });
      // Said, not silent: a footer alone, or a multipart no first pass found bodyless, has no place for them.
      if (this.disclaimers.length > 0 && !this.bodyFound && !this.wrapping)
        this.skipped.push('disclaimer not added: the message has no text/plain, text/html or enriched body');
      // Strip means stripped: a part asked for and not removed fails the whole rewrite.
      const removed = new Set(this.removedIds);
      const missed = this.partRemovals.flatMap((r) => r.ids).filter((id) => !removed.has(id));
      if (missed.length > 0)
        done(new EditError(`part(s) ${[...new Set(missed)].join(', ')} could not be removed`));
      else done();
    }, done);
  }

  private async handle(chunk: Chunk): Promise<void> {
    if (chunk.type === 'body' && this.held && chunk.node === this.held.node) {
      this.hold(chunk.value);
      return;
    }
    await this.release();
    if (chunk.type !== 'node') {
      this.push(chunk);
      return;
    }
    if (chunk.root) this.editRoot(chunk);
    this.noteRelatedChild(chunk);
    if (this.plan.onDecided) this.noteAlternatives(chunk);
    // Signed content is wrapped at once; a body with no text when its node goes out (pushNode).
    const wrappedNow = chunk.root && this.wrapping !== undefined;
    const id = String(++this.ordinal);
    const mode = this.removalMode(chunk, id) ?? this.modeFor(chunk);
    if (mode) this.held = { node: chunk, id, mode, chunks: [], size: 0 };
    else this.pushNode(chunk);
    if (wrappedNow && this.wrapping) this.push({ type: 'data', value: this.wrapping.prefix });
  }

  /**
   * Pushes a node; a root waiting to be wrapped is wrapped now, after any repair changed its content headers, so
   * the moved headers are the ones its body is written in.
   */
  private pushNode(node: SplitNode): void {
    if (!(node.root && this.wrapPending)) {
      this.push(node);
      return;
    }
    this.wrapping = wrapProtectedRoot(
      node,
      this.disclaimers,
      this.eol,
      'This message has no text body to carry the notice; its content follows unchanged.',
    );
    this.wrapPending = false;
    // A wrapped multipart's text parts are none a client surely shows: the banner part carries every disclaimer,
    // and text transforms still reach them.
    if (node.multipart) {
      this.disclaimers = [];
      this.textInsideWrap = true;
    }
    this.push(node);
    this.push({ type: 'data', value: this.wrapping.prefix });
  }

  private editRoot(node: SplitNode): void {
    this.eol = node.getHeaders().includes('\r\n') ? '\r\n' : '\n';
    this.changes.push(...applyHeaderEdits(headersOf(node), this.plan.edits));
    const banner = this.disclaimers.some((d) => d.position === 'top');
    if (!banner || !node.multipart || isProtected(node)) this.plan.onDecided?.();
    if (this.plan.signedContent === 'wrap' && isProtected(node) && this.disclaimers.length > 0) {
      this.wrapping = wrapProtectedRoot(node, this.disclaimers, this.eol);
      for (const type of DISCLAIMED_TYPES) this.doneTypes.add(type);
      this.changes.push('wrapped signed or encrypted content after a disclaimer part');
    } else if (banner && node.multipart && this.plan.bodyless && !isProtected(node)) {
      // No part a client shows as the body can carry the banner (an image in a multipart/mixed, a related whose
      // root is an image): the whole multipart goes after a part of its own carrying it, found by a first pass.
      this.wrapPending = true;
      this.bodyFound = true;
      this.changes.push(`wrapped ${shownType(node)} with no text body after a disclaimer part`);
    } else if (banner && !node.multipart && !isProtected(node)) {
      // A body with no text a banner can go into (text/calendar, an image, text/markdown, message/x-foo) is still
      // shown by clients: it goes after a part of its own carrying it (attacker round 55). Only for a banner (top):
      // a footer alone is cosmetic, and wrapping would make some clients show a bare invitation as a file. An
      // attached message alone, which Thunderbird and Apple Mail show inline, is wrapped too (attacker round 59)
      // unless parts inside it are removed: it keeps its own path then. A root the strip removes is replaced by its
      // note, which is not wrapped.
      const type = shownType(node);
      const removed = this.partRemovals.some((r) => r.ids.includes('1'));
      const inside = type === 'message/rfc822' && removalsInside(this.partRemovals, '1').length > 0;
      if (!DISCLAIMED_TYPES.has(type) && !inside && !removed) {
        this.wrapPending = true;
        this.bodyFound = true;
        this.changes.push(`wrapped ${type} body after a disclaimer part`);
      }
    }
  }

  /**
   * A multipart/related shows only its root (RFC 2387; Thunderbird's mimemrel): the part its `start` names, else its
   * first; the others are resources (attacker round 56: a decoy first text/html took the banner). The first child and
   * every child a reading of `start` names count as roots: a `start` naming no part still leaves the first bannered,
   * and one clients read differently (plain, RFC 2231 extended or continued: libmime and Thunderbird disagree,
   * attacker round 58) leaves each part it may name bannered. Only a root no other reading contradicts is sure.
   */
  private noteRelatedChild(node: SplitNode): void {
    const parent = node.parentNode;
    if (parent === false || subtype(parent) !== 'related') return;
    let seen = this.relatedSeen.get(parent);
    if (!seen) {
      const readings = paramReadings(headersOf(parent).getFirst('content-type') ?? '', 'start');
      // An empty `start` names nothing: every client shows the first part.
      seen = { count: 0, starts: new Set(readings.map(contentId).filter((id) => id !== '')) };
      this.relatedSeen.set(parent, seen);
    }
    seen.count++;
    const id = contentId(headersOf(node).getFirst('content-id'));
    const named = id !== '' && seen.starts.has(id);
    if (named) this.startRoots.add(node);
    if (named && seen.starts.size === 1) this.sureRoots.add(node);
    if (!named && seen.count > 1) return;
    this.relatedRoots.add(node);
    // The root a client shows has no text a banner can go into (an image: QR phishing) and no first pass found the
    // message bodyless (it would have been wrapped): said, not silent.
    const shown = named || seen.starts.size === 0;
    const type = shownType(node);
    if (
      shown &&
      !this.wrapping &&
      !node.multipart &&
      !DISCLAIMED_TYPES.has(type) &&
      this.disclaimers.length > 0 &&
      !isProtected(node)
    )
      this.skipped.push(
        `disclaimer not added to multipart/related: its root is ${type}, which has no text to carry it`,
      );
  }

  /** Whether every multipart/related around the node has it on the path to its root (so a client shows it). */
  private shownInRelated(node: SplitNode): boolean {
    for (let child = node, parent = node.parentNode; parent; child = parent, parent = parent.parentNode)
      if (subtype(parent) === 'related' && !this.relatedRoots.has(child)) return false;
    return true;
  }

  /**
   * Whether every client shows the node whatever comes after it: around it, no multipart/related has a `start`
   * any reading of which may name another part. A first text part before the root a `start` names is bannered, but it is not proof that the
   * message has a shown body (the named root may be an image).
   */
  private surelyShown(node: SplitNode): boolean {
    for (let child = node, parent = node.parentNode; parent; child = parent, parent = parent.parentNode)
      if (
        subtype(parent) === 'related' &&
        (this.relatedSeen.get(parent)?.starts.size ?? 0) > 0 &&
        !this.sureRoots.has(child)
      )
        return false;
    return true;
  }

  /**
   * A first pass's view of multipart/alternatives (attacker round 59): a client shows one branch, the one it ranks
   * highest (Thunderbird ranks text/plain below a multipart or an attached message, and a picture above nothing), or
   * the last it can render (Apple Mail). A body in a branch proves the message shown with its banner only when every
   * branch carries one; calendar and contact branches, shown beside the body, are not counted. Alternatives close
   * when a node outside them comes (or at the end): a message with one is read to the end of its last alternative.
   */
  private noteAlternatives(node: SplitNode): void {
    const open = this.openAlternatives;
    if (open.length > 0) {
      const ancestors = new Set<SplitNode>();
      for (let n = node.parentNode; n; n = n.parentNode) ancestors.add(n);
      for (let top = open.at(-1); top && !ancestors.has(top); top = open.at(-1))
        this.closeAlternative(open.pop() as SplitNode);
    }
    const parent = node.parentNode;
    const state = parent ? this.alternatives.get(parent) : undefined;
    const type = shownType(node);
    if (state && (node.multipart || !STRUCTURED_TEXT.has(type))) state.branches++;
    else if (state && CALENDAR_TEXT.has(type)) state.calendars++;
    if (subtype(node) === 'alternative') {
      open.push(node);
      this.alternatives.set(node, { branches: 0, carried: new Set(), calendars: 0, rich: false });
    }
  }

  /**
   * An alternative closes: it shows a banner when every branch a client may prefer carries one. An invitation
   * beside them is shown with an HTML or enriched branch, but Thunderbird ranks it above plain text and a multipart
   * branch (the later of equal ranks wins) and shows it alone: with no such branch, the alternative does not count.
   */
  private closeAlternative(node: SplitNode): void {
    const state = this.alternatives.get(node);
    if (!state || state.carried.size === 0 || state.carried.size !== state.branches) return;
    if (state.calendars === 0 || state.rich) this.shows(node);
  }

  /**
   * The node shows the banner wherever a client looks inside it: the message does, unless an alternative is around
   * it, whose branch it is then counted as carrying it (`rich` when the branch itself is an HTML or enriched body,
   * which Thunderbird ranks above an invitation).
   */
  private shows(node: SplitNode): void {
    if (!this.plan.onDecided) return;
    for (let child = node, parent = node.parentNode; parent; child = parent, parent = parent.parentNode)
      if (subtype(parent) === 'alternative') {
        const state = this.alternatives.get(parent);
        state?.carried.add(child);
        if (state && child === node && !node.multipart && RICH_TEXT.has(shownType(node))) state.rich = true;
        return;
      }
    this.plan.onDecided();
  }

  /**
   * A single-part root whose banner could not be spliced in (a charset where ASCII bytes may read as other
   * characters holding a byte that does not decode, a body over the edit's size) goes after a part of its own
   * carrying it, as a body with no text does (attacker round 59); its headers are still held, so it can be.
   */
  private wrapUnedited(node: SplitNode): void {
    if (!node.root || node.multipart || this.wrapping || this.wrapPending || isProtected(node)) return;
    if (!this.disclaimers.some((d) => d.position === 'top')) return;
    this.wrapPending = true;
    this.bodyFound = true;
    this.changes.push(`wrapped ${shownType(node)} body it could not edit after a disclaimer part`);
  }

  /** Whether the node is, or sits under, the part a related's `start` names. */
  private underStartRoot(node: SplitNode): boolean {
    for (let n: SplitNode | false = node; n; n = n.parentNode) if (this.startRoots.has(n)) return true;
    return false;
  }

  /** `remove` for a part a `remove-parts` edit names, `nested` for an attached message holding one. */
  private removalMode(node: SplitNode, id: string): Mode | undefined {
    if (this.partRemovals.length === 0) return undefined;
    const direct = this.partRemovals.some((r) => r.ids.includes(id));
    const nested = !direct && removalsInside(this.partRemovals, id).length > 0;
    if (!direct && !nested) return undefined;
    if (node.multipart) throw new EditError(`part ${id} is a container and cannot be removed`);
    if (isProtected(node)) throw new EditError(`part ${id} is inside signed or encrypted content`);
    // Repairs made before the edit (an empty multipart given a part, a header split off) can shift the ids:
    // a part that is not the one listed at that id is never removed in its place.
    const expected = this.partRemovals.flatMap((r) => r.expected ?? []).find((p) => p.id === id);
    if (expected && !isExpectedPart(node, expected))
      throw new EditError(
        `part ${id} is not the ${expected.contentType} part listed at that id (the structure was repaired): not removed`,
      );
    return direct ? 'remove' : 'nested';
  }

  private modeFor(node: SplitNode): Mode | undefined {
    if (node.multipart) return undefined;
    const bodyEditable = this.plan.signedContent === 'edit-anyway' || !isProtected(node);
    const info = partInfo(node);
    if (isAttachment(node) && this.removals.some((r) => r.match(info))) {
      if (bodyEditable) return 'remove';
      this.skipped.push(
        `attachment ${info.filename ?? info.contentType} kept: it is inside signed or encrypted content`,
      );
    }
    // A text part is body text unless it says it is an attachment: clients show a named text/html part with no
    // disposition, or an inline one, as the body (a name alone does not make it a file to them). An alternative
    // is never a file (Thunderbird picks the branch by type and shows it whatever its disposition), and a text
    // "attachment" before any body text is what Thunderbird shows inline as the message (attacker round 55).
    // Any text/* branch of an alternative is edited as plain text: a client showing the last branch it can render
    // shows an unknown text type as plain text (attacker round 56). A related's resources are not the body.
    const asFile = node.disposition === 'attachment' && !inAlternative(node);
    const wantsText =
      (this.disclaimers.length > 0 || this.transforms.length > 0) &&
      (DISCLAIMED_TYPES.has(info.contentType) || (shownAsText(info.contentType) && inAlternative(node))) &&
      this.shownInRelated(node) &&
      (asFile ? this.firstShownAttachment() : this.firstOfItsType(node, info.contentType));
    if (wantsText) {
      this.bodyFound = true;
      // A body every client shows: an edited one (a signed body is not, attacker round 59), not a text file only
      // Thunderbird shows inline (Gmail and Outlook list it and show the picture beside it as the message).
      // It counts once its edit is made (attacker round 59: one byte that does not decode in UTF-7 kept it out).
      if (bodyEditable && !asFile && this.surelyShown(node)) this.sureBodies.add(node);
      if (bodyEditable) return 'text';
      this.skipped.push(`${info.contentType} body not edited: it is signed or encrypted`);
    }
    const encoding = (node.encoding || '7bit').toLowerCase();
    return ['7bit', '8bit', 'binary'].includes(encoding) && bodyEditable ? 'repair' : undefined;
  }

  /**
   * Whether a body part is the first of its type where a reader looks: the message's first text/plain or
   * text/html (a later inline text in a multipart/mixed continues the body), and in a multipart/alternative the
   * first of each branch, since a client shows the branch it prefers (the last it can render) and every branch
   * must say what the others say. Marks it done.
   */
  private firstOfItsType(node: SplitNode, type: string): boolean {
    let branch: SplitNode | undefined;
    for (let child = node, parent = node.parentNode; parent; child = parent, parent = parent.parentNode)
      if (subtype(parent) === 'alternative') {
        branch = child;
        break;
      }
    // Wrapped signed content has its disclaimer in a part of its own: no branch inside it is edited.
    if (this.wrapping && !this.textInsideWrap) return false;
    const done = branch ? (this.doneBranches.get(branch) ?? new Set<string>()) : this.doneTypes;
    if (done.has(type) && !this.underStartRoot(node)) return false;
    done.add(type);
    if (branch) this.doneBranches.set(branch, done);
    this.doneTypes.add(type);
    return true;
  }

  /**
   * Whether a text part marked attachment is the first text of a message with no body text before it. It is not
   * counted as the body: a later body part of its type still gets the banner, for clients that list it as a file.
   */
  private firstShownAttachment(): boolean {
    if ((this.wrapping && !this.textInsideWrap) || this.doneTypes.size > 0 || this.attachmentEdited)
      return false;
    this.attachmentEdited = true;
    return true;
  }

  private hold(value: Buffer): void {
    const held = this.held as NonNullable<typeof this.held>;
    held.size += value.length;
    if (held.mode === 'remove') return;
    held.chunks.push(value);
    if (held.mode === 'nested' && held.size > this.plan.maxPartBytes)
      throw new EditError(
        `attached message ${held.id} is over ${this.plan.maxPartBytes} bytes: cannot rewrite it`,
      );
    if (held.size > this.plan.maxPartBytes) {
      if (held.mode === 'text') {
        this.skipped.push(
          `${partInfo(held.node).contentType} body over ${this.plan.maxPartBytes} bytes not edited`,
        );
        this.wrapUnedited(held.node);
      }
      this.pushNode(held.node);
      for (const c of held.chunks) this.push(c);
      this.held = undefined; // later body chunks of this part pass straight through
    }
  }

  private async release(): Promise<void> {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    const body = Buffer.concat(held.chunks);
    const info = partInfo(held.node);
    if (held.mode === 'remove') return this.replaceWithNote(held.node, info, held.id);
    if (held.mode === 'nested') {
      const inner = removalsInside(this.partRemovals, held.id);
      const done = await rewriteAttachedMessage(held.node, body, inner, this.plan.maxPartBytes, this.eol);
      this.removedIds.push(...done.removed.map((r) => `${held.id}/${r}`));
      this.changes.push(`rewrote attached message ${info.filename ?? held.id}`);
      this.pushNode(held.node);
      this.push({ type: 'body', value: done.body });
      return;
    }
    if (held.mode === 'text') {
      // A body left unedited says why (skipped); one that already holds its disclaimers (a retry) is not.
      const skips = this.skipped.length;
      const edited = await this.editBody(held.node, body, info);
      if (this.skipped.length > skips) this.wrapUnedited(held.node);
      else if (this.sureBodies.has(held.node)) this.shows(held.node);
      if (edited) return this.emitPart(held.node, edited, 'quoted-printable');
    }
    const reason = repairReason(body);
    if (reason && ['7bit', '8bit', 'binary'].includes((held.node.encoding || '7bit').toLowerCase())) {
      const fixed = reencode(body, info.contentType.startsWith('text/'), this.eol);
      this.changes.push(`re-encoded ${info.contentType} part as ${fixed.encoding} (${reason})`);
      return this.emitPart(held.node, fixed.body, fixed.encoding);
    }
    this.pushNode(held.node);
    if (body.length > 0) this.push({ type: 'body', value: body });
  }

  private async editBody(node: SplitNode, body: Buffer, info: PartInfo): Promise<Buffer | undefined> {
    let text = await decodeText(node, body);
    if (text === undefined && !this.transforms.some((t) => t.match(info))) {
      const charset = node.charset || 'us-ascii';
      const decoded = await transferDecode(node, body);
      const spliced = spliceDisclaimers(decoded, charset, info.contentType, this.disclaimers, this.eol);
      if (spliced && !spliced.equals(decoded)) {
        this.changes.push(`edited ${info.contentType} body beside bytes that do not decode in ${charset}`);
        return quotedPrintable(spliced, this.eol === '\r\n' ? '\r\n' : '\n');
      }
    }
    if (text === undefined) {
      this.skipped.push(
        `${info.contentType} body not edited: charset ${info.charset} unknown, or bytes that do not decode in it`,
      );
      return undefined;
    }
    if (node.flowed) text = libmime.decodeFlowed(text, node.delSp);
    const edited = editText(text, info, this.disclaimers, this.transforms);
    if (edited === text) return undefined;
    node.flowed = false;
    node.delSp = false;
    // The type as clients read it, so the edited part says what it is (`text/html foo` becomes `text/html`).
    node.setContentType(info.contentType);
    node.setCharset('utf-8');
    this.changes.push(`edited ${info.contentType} body`);
    return encodeText(edited, this.eol);
  }

  private replaceWithNote(node: SplitNode, info: PartInfo, id?: string): void {
    const headers = headersOf(node);
    for (const h of [
      'Content-Type',
      'Content-Disposition',
      'Content-Transfer-Encoding',
      'Content-ID',
      'Content-Description',
      'Content-Name',
      'X-Sun-Data-Name',
      'Content-Location',
      // Thunderbird opens what this names in the part's place (attacker round 62): the note must not keep it.
      'X-Mozilla-External-Attachment-URL',
    ]) {
      headers.remove(h);
    }
    headers.add('Content-Type', 'text/plain; charset=utf-8');
    headers.add('Content-Disposition', 'inline');
    const byId = id === undefined ? undefined : this.partRemovals.find((r) => r.ids.includes(id));
    if (byId && id !== undefined) this.removedIds.push(id);
    const removal = byId ?? this.removals.find((r) => r.match(info));
    this.changes.push(`removed attachment ${info.filename ?? info.contentType}`);
    this.emitPart(
      node,
      encodeText(removal?.note ?? 'An attachment was removed.', this.eol),
      'quoted-printable',
    );
  }

  private emitPart(node: SplitNode, body: Buffer, encoding: string): void {
    const headers = headersOf(node);
    headers.update('Content-Transfer-Encoding', encoding);
    this.pushNode(node);
    this.push({ type: 'body', value: body });
  }
}

// Text types clients read as data (an invitation, a contact card), not as text: a banner would corrupt them.
const STRUCTURED_TEXT = new Set([
  'text/calendar',
  'text/x-vcalendar',
  'text/vcalendar',
  'text/vcard',
  'text/x-vcard',
  'text/directory',
]);

// Invitations: Thunderbird ranks them above plain text in an alternative, and shows them beside an HTML body.
const CALENDAR_TEXT = new Set(['text/calendar', 'text/x-vcalendar', 'text/vcalendar']);
// Bodies Thunderbird ranks above an invitation in an alternative (mimemalt.cpp).
const RICH_TEXT = new Set(['text/html', 'text/enriched', 'text/richtext', 'text/rtf']);

/** A text type a client shows as text (plain text when it does not know it). */
function shownAsText(type: string): boolean {
  return type.startsWith('text/') && !STRUCTURED_TEXT.has(type);
}

/** A Content-ID or `start` value as compared: no angle brackets or white space, any case. */
function contentId(value: string | undefined): string {
  return (value ?? '').replace(/[<>\s]/g, '').toLowerCase();
}
