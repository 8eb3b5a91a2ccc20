import libmime from 'libmime';
import charsets from 'libmime/lib/charset';
import { WmflowError } from '../errors.js';
import { lazyModule } from '../lazy-module.js';
import { isAttachedMessageType } from '../mime/attached-message.js';
import { decodeHeaderWords } from './decode-words.js';
import { MessageLimitError } from './limits.js';
import { MAX_ATTACHED_MESSAGE_DEPTH } from './parse.js';
import type { MessagePart, PartInventory } from './part-walk.js';
import { decodeUtf7, isUtf7 } from './utf7.js';

const loadHtmlReferences = lazyModule(() => import('./html-references.js'));

/**
 * The text and HTML bodies of a message, decoded (transfer encoding, charset, format=flowed), as a
 * mail client shows them: every inline text part at every depth, attached messages included.
 */
export interface TextBodies {
  /** The plain-text parts, joined by a newline; the HTML's text when there is no plain text. */
  text?: string;
  /** The HTML parts (markup), joined. */
  html?: string;
}

/** One body part's decoded bytes, as the part walk collected them. */
export interface BodyPiece {
  kind: 'text' | 'html';
  bytes: Buffer;
  charset?: string;
  flowed?: { delSp: boolean };
}

/** What the part walk collects for {@link textBodiesOf}: the body parts, and why any could not be read. */
export interface BodyCollector {
  pieces: (BodyPiece | { kind: 'meta'; text: string })[];
  /** Structure or content the walk could not read: the bodies are then not known. */
  failures: string[];
}

// The parts a client shows as the body (as mailparser reads them): inline text, HTML and delivery status.
const BODY_TYPES: Record<string, 'text' | 'html'> = {
  'text/plain': 'text',
  'message/delivery-status': 'text',
  'text/html': 'html',
};

/** Whether `part` is body text rather than an attachment, and which kind. */
export function bodyKind(part: MessagePart): 'text' | 'html' | undefined {
  if (part.container || (part.disposition !== undefined && part.disposition !== 'inline')) return undefined;
  return BODY_TYPES[part.contentType];
}

/** The header lines of an attached message a client shows above its body (decoded). */
export function shownHeaders(get: (name: string) => string[]): string {
  const lines: string[] = [];
  for (const name of ['From', 'Subject', 'To', 'Cc', 'Bcc']) {
    for (const value of get(name.toLowerCase())) lines.push(`${name}: ${decodeWords(value)}`);
  }
  return lines.length > 0 ? `\n${lines.join('\n')}\n` : '';
}

/**
 * The bodies from the pieces one part walk collected: each decoded once, whatever number of rules ask.
 *
 * @example
 * ```ts
 * const { text } = await textBodiesOf(collector);
 * ```
 */
export async function textBodiesOf(collector: BodyCollector): Promise<TextBodies> {
  const text: string[] = [];
  const html: string[] = [];
  for (const piece of collector.pieces) {
    if (piece.kind === 'meta') text.push(piece.text);
    else (piece.kind === 'text' ? text : html).push(decodePiece(piece));
  }
  const out: TextBodies = {};
  if (html.length > 0) out.html = html.join('<br/>\n');
  const joined = text.length > 0 ? text.join('\n') : undefined;
  // As the full parse: the HTML's text stands in for a plain-text body that is missing or blank.
  // The HTML5 name table loads only for this fallback (an HTML-only message), not on every walk.
  out.text =
    joined?.trim() || out.html === undefined ? joined : (await loadHtmlReferences()).htmlToFullText(out.html);
  if (out.text === undefined) delete out.text;
  return out;
}

function decodePiece(piece: BodyPiece): string {
  let bytes = piece.bytes;
  if (piece.flowed) {
    // Flowed lines are unwrapped on the bytes (as mailsplit does), before the charset decode.
    bytes = Buffer.from(libmime.decodeFlowed(bytes.toString('binary'), piece.flowed.delSp), 'binary');
  }
  const charset = (piece.charset ?? '').toLowerCase();
  let text: string;
  if (charset === '' || /^(?:us-?ascii|ascii|utf-?8)$/.test(charset)) text = bytes.toString('utf8');
  else if (isUtf7(charset)) {
    // Not decoded by the parse (UTF-7 can smuggle markup), but some clients show it: both count.
    const raw = bytes.toString('latin1');
    text = `${decodeUtf7(raw)}\n${raw}`;
  } else text = charsets.decode(bytes, charset);
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

function decodeWords(value: string): string {
  const unfolded = value.replace(/\r?\n[ \t]/g, ' ').trim();
  return decodeHeaderWords(unfolded);
}

/**
 * Why the bodies are not known, as the error `parsed()` would throw for the same message: a limit the
 * walk hit, an attached message nested deeper than the parse looks, or structure it could not read.
 */
export function unreadBodies(inventory: PartInventory, collector: BodyCollector): Error | undefined {
  const limit = inventory.findings.find((f) => f.kind === 'limit');
  if (limit) {
    const which = /MIME parts/.test(limit.reason)
      ? 'maxParts'
      : /nesting/.test(limit.reason)
        ? 'maxDepth'
        : /header/i.test(limit.reason)
          ? 'maxHeaderBytes'
          : 'maxMessageBytes';
    return new MessageLimitError(which, limit.reason);
  }
  if (
    inventory.parts.some((p) => isAttachedMessageType(p.contentType) && p.depth >= MAX_ATTACHED_MESSAGE_DEPTH)
  ) {
    return new MessageLimitError(
      'maxDepth',
      `attached messages nested deeper than ${MAX_ATTACHED_MESSAGE_DEPTH} are not inspected`,
    );
  }
  const failure = collector.failures[0];
  return failure === undefined ? undefined : new WmflowError(`message bodies unreadable: ${failure}`);
}
