import { WmflowError } from '../errors.js';
import type { Verdict } from '../verdicts.js';

/** What a part transform or attachment predicate is told about a MIME part. */
export interface PartInfo {
  /** Lower-case content type, e.g. `text/plain`. */
  contentType: string;
  /** Decoded file name, when the part names one. */
  filename?: string;
  /** `attachment`, `inline`, or undefined. */
  disposition?: string;
  /** Declared charset of a text part, lower-case. */
  charset?: string;
}

/** A disclaimer or banner added to the text and HTML bodies. */
export interface Disclaimer {
  /** Plain text; used for text/plain and, escaped, for text/html when `html` is not given. */
  text: string;
  /** Trusted HTML for text/html bodies (not escaped). Give only fixed, configured markup. */
  html?: string;
  /** Where it goes. Default `bottom`. */
  position?: 'top' | 'bottom';
  /**
   * `text` (default): not added again when the body already holds it (a retry). `none`: always added;
   * for banners whose idempotency comes from a marker only the deployment can write (text in the body is
   * the sender's, and must not suppress a warning).
   */
  dedupe?: 'text' | 'none';
}

/**
 * The verdict the recipients a rule could decide get when its edit is not committed (the update skipped, refused or
 * cut by the deadline): a removal not made, a warning tag not shown.
 *
 * @example
 * ```ts
 * const fallback: EditFallback = { verdict: { type: 'MOVE_TO_JUNK' }, recipients: ['bob@corp.example'] };
 * ```
 */
export interface EditFallback {
  verdict: Verdict;
  /** Filled in when the edit is queued: the rule's open recipients. */
  recipients: readonly string[];
}

/** One queued edit. */
export type Edit =
  | { kind: 'set-header'; name: string; value: string }
  | { kind: 'add-header'; name: string; value: string }
  | { kind: 'remove-header'; name: string }
  | {
      kind: 'prefix-subject';
      prefix: string;
      /** The verdict its recipients get when the update is not committed (filled in with the rule's open recipients). */
      fallback?: EditFallback;
    }
  | {
      kind: 'disclaimer';
      disclaimer: Disclaimer;
      /** The verdict its recipients get when the update is not committed (filled in with the rule's open recipients). */
      fallback?: EditFallback;
    }
  | { kind: 'remove-attachments'; match: (part: PartInfo) => boolean; note: string }
  | {
      kind: 'remove-parts';
      /** Part ids from `ctx.message.parts()`. */
      ids: readonly string[];
      note: string;
      /** The verdict its recipients get when the removal is not committed (filled in with the rule's open recipients). */
      fallback?: EditFallback;
      /**
       * What the walk saw at each id and at the attached messages around it (filled in before the rewrite): the
       * editor removes a part only when it is that part.
       */
      expected?: readonly PartIdentity[];
    }
  | {
      kind: 'transform-text';
      match: (part: PartInfo) => boolean;
      transform: (text: string, part: PartInfo) => string;
    };

/**
 * A part as `ctx.message.parts()` listed it: what the editor checks before it removes the part at that id
 * (filled in at commit; a rule passes ids only).
 *
 * @example
 * ```ts
 * const expected: PartIdentity = { id: '3', contentType: 'application/octet-stream', names: ['invoice.exe'] };
 * ```
 */
export interface PartIdentity {
  id: string;
  contentType: string;
  names: readonly string[];
}

/**
 * Edits a rule queues on the message. They are applied once, after the chain,
 * in one streaming pass and one PutRawMessageContent, and only when some
 * recipient still receives the message and the rule is synchronous.
 *
 * @example
 * ```ts
 * ctx.edit.prefixSubject('[EXTERNAL]');
 * ctx.edit.addHeader('X-Policy', 'tagged');
 * ctx.edit.addDisclaimer({ text: 'This message came from outside the organization.', position: 'top' });
 * ```
 */
export interface MessageEditor {
  /** Replaces every occurrence of a header with one value (adds it when absent). */
  setHeader(name: string, value: string): void;
  /**
   * Adds a header occurrence (on top). Not added again when the topmost fields of that name already are the ones
   * this update adds (a retry of an update that landed with its answer lost), unless another edit sets or removes it.
   */
  addHeader(name: string, value: string): void;
  /** Removes every occurrence of a header. */
  removeHeader(name: string): void;
  /**
   * Prefixes the subject, unless it already starts with the prefix (never "[EXT] [EXT]"). With `unlessCommitted`,
   * the recipients the rule could decide get that verdict whenever the update is not committed.
   */
  prefixSubject(prefix: string, options?: { unlessCommitted?: Verdict }): void;
  /**
   * Adds a disclaimer to the text and HTML bodies. With `unlessCommitted`, the recipients the rule could decide get
   * that verdict whenever the update is not committed.
   */
  addDisclaimer(disclaimer: Disclaimer, options?: { unlessCommitted?: Verdict }): void;
  /** Removes attachments the predicate matches, leaving a short text note in their place. */
  removeAttachments(match: (part: PartInfo) => boolean, note?: string): void;
  /**
   * Removes exactly the parts with these ids (from `ctx.message.parts()`, any depth: attached messages are
   * rewritten), leaving a short text note in each place. A part that cannot be removed (inside signed or
   * encrypted content, an attached message too large to rewrite) fails the whole update. With
   * `unlessRemoved`, the recipients the rule could decide get that verdict whenever the update is not
   * committed, so a flagged part is never delivered.
   */
  removeParts(ids: readonly string[], options?: { note?: string; unlessRemoved?: Verdict }): void;
  /** Rewrites the decoded text of matching text/plain or text/html parts. */
  transformText(
    match: (part: PartInfo) => boolean,
    transform: (text: string, part: PartInfo) => string,
  ): void;
}

/**
 * A configured value that would break the message: a header name that is not
 * a token, or a value with CR/LF that would inject headers.
 *
 * @example
 * ```ts
 * ctx.edit.addHeader('X-Tag', 'a\r\nBcc: x@evil.example'); // throws EditError
 * ```
 */
export class EditError extends WmflowError {
  override name = 'EditError';
}

const HEADER_NAME = /^[!-9;-~]+$/; // RFC 5322 ftext: printable ASCII but ':'
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** Checks a header name and value the way every edit does. */
export function checkHeader(name: string, value?: string): void {
  if (!HEADER_NAME.test(name)) throw new EditError(`not a header name: ${JSON.stringify(name)}`);
  if (value !== undefined && CONTROL.test(value)) {
    throw new EditError(`header ${name}: value must not contain CR, LF or control characters`);
  }
}

/** The queue behind `ctx.edit`: validates every edit at the call, so a bad value fails the rule that gave it. */
export class EditQueue implements MessageEditor {
  readonly edits: Edit[] = [];

  constructor(private readonly onQueue: (edit: Edit) => boolean = () => true) {}

  setHeader(name: string, value: string): void {
    checkHeader(name, value);
    this.push({ kind: 'set-header', name, value });
  }
  addHeader(name: string, value: string): void {
    checkHeader(name, value);
    this.push({ kind: 'add-header', name, value });
  }
  removeHeader(name: string): void {
    checkHeader(name);
    this.push({ kind: 'remove-header', name });
  }
  prefixSubject(prefix: string, options: { unlessCommitted?: Verdict } = {}): void {
    checkHeader('Subject', prefix);
    if (prefix.trim() === '') throw new EditError('subject prefix must not be empty');
    this.push({ kind: 'prefix-subject', prefix: prefix.trim(), ...fallbackOf(options.unlessCommitted) });
  }
  addDisclaimer(disclaimer: Disclaimer, options: { unlessCommitted?: Verdict } = {}): void {
    if (typeof disclaimer?.text !== 'string' || disclaimer.text.trim() === '') {
      throw new EditError('a disclaimer needs its text');
    }
    this.push({
      kind: 'disclaimer',
      disclaimer: { position: 'bottom', ...disclaimer },
      ...fallbackOf(options.unlessCommitted),
    });
  }
  removeAttachments(
    match: (part: PartInfo) => boolean,
    note = 'An attachment was removed by mail policy.',
  ): void {
    if (CONTROL.test(note.replace(/\r?\n/g, ' ')))
      throw new EditError('attachment note must not contain control characters');
    this.push({ kind: 'remove-attachments', match, note });
  }
  removeParts(ids: readonly string[], options: { note?: string; unlessRemoved?: Verdict } = {}): void {
    const note = options.note ?? 'An attachment was removed by mail policy.';
    if (CONTROL.test(note.replace(/\r?\n/g, ' ')))
      throw new EditError('attachment note must not contain control characters');
    if (ids.length === 0 || ids.some((id) => !/^\d+(\/\d+)*$/.test(id)))
      throw new EditError(`not part ids: ${JSON.stringify(ids)}`);
    this.push({ kind: 'remove-parts', ids: [...ids], note, ...fallbackOf(options.unlessRemoved) });
  }
  transformText(
    match: (part: PartInfo) => boolean,
    transform: (text: string, part: PartInfo) => string,
  ): void {
    this.push({ kind: 'transform-text', match, transform });
  }

  private push(edit: Edit): void {
    if (this.onQueue(edit)) this.edits.push(edit);
  }
}

// An edit's fallback, its recipients filled in when the rule's view queues it.
function fallbackOf(verdict: Verdict | undefined): { fallback?: EditFallback } {
  return verdict ? { fallback: { verdict, recipients: [] } } : {};
}
