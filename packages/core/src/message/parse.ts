import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import type { AttachmentStream, MessageText } from 'mailparser';
import { lazyModule } from '../lazy-module.js';
import { isAttachedMessageType } from '../mime/attached-message.js';
import { MessageLimitError, type MessageLimits } from './limits.js';
import { MessageReadError } from './read-error.js';
import { SNIFF_BYTES, sniffType } from './sniff.js';

const loadMailparser = lazyModule(() => import('mailparser'));
// The HTML5 name table loads with the parse, not with every function's first chunk.
const loadHtmlReferences = lazyModule(() => import('./html-references.js'));

/** An attachment as a rule sees it: described and hashed, its content not kept. */
export interface AttachmentInfo {
  /** File name, RFC 2231 and RFC 2047 decoded; undefined when the part names none. */
  filename?: string;
  /** Declared content type. */
  contentType: string;
  /** Type revealed by the content's first bytes, when recognisable. */
  sniffedType?: string;
  /** Decoded size in bytes. */
  size: number;
  /** SHA-256 of the decoded content, hex. */
  sha256: string;
  /** `attachment`, `inline`, or undefined. */
  disposition?: string;
  /** True for parts inside multipart/related with a Content-ID (embedded images). */
  related: boolean;
  /** IMAP-style part number, e.g. `1.2`, within the message that holds it. */
  partId?: string;
  /** 0 for attachments of the message itself, 1 inside an attached message, and so on. */
  depth: number;
  /** File name of the attached message (message/rfc822) this attachment sits in, when `depth` > 0. */
  container?: string;
}

/** The decoded content of a message. */
export interface ParsedMessage {
  /** Plain-text body (converted from HTML when there is only HTML). */
  text?: string;
  /** HTML body. */
  html?: string;
  attachments: AttachmentInfo[];
}

/**
 * Full parse through mailparser, loaded on first use so header-only rules never
 * pay for it. Attachments are streamed: hashed and sniffed, never held whole.
 */
export async function parseMessage(stream: Readable, limits: MessageLimits): Promise<ParsedMessage> {
  const attachments: AttachmentInfo[] = [];
  const body = await parseInto(stream, limits, { depth: 0, attachments });
  return { ...body, attachments };
}

/** Attached messages are looked into this many levels deep. */
export const MAX_ATTACHED_MESSAGE_DEPTH = 3;

interface Place {
  depth: number;
  attachments: AttachmentInfo[];
  container?: string;
}

async function parseInto(
  stream: Readable,
  limits: MessageLimits,
  place: Place,
): Promise<Omit<ParsedMessage, 'attachments'>> {
  // The stream's errors are heard from the start, for as long as it lives: one that fails while the parser loads
  // (the first parse of a container) is not an uncaught 'error', nor one that fails again later (fault round 64).
  let failure: { error: unknown } | undefined;
  stream.on('error', (error: unknown) => {
    failure ??= { error };
  });
  const [{ MailParser }, { htmlToFullText: htmlToText }] = await Promise.all([
    loadMailparser(),
    loadHtmlReferences(),
  ]);
  // Failed or closed before the parse began (the message closed at the deadline): piped, it would never end.
  if (failure) throw failure.error;
  if (stream.destroyed)
    throw (
      stream.errored ?? new MessageReadError('closed', 'message stream closed before the full parse began')
    );
  const parser = new MailParser({
    maxHtmlLengthToParse: limits.maxHtmlToTextBytes,
    maxHeadSize: limits.maxHeaderBytes,
    maxChildNodes: limits.maxParts,
    skipImageLinks: true,
    // mailparser's HTML-to-text is super-linear on nesting (nested <blockquote>): ours is one pass.
    // Its text-to-HTML (linkify) is not needed at all.
    skipHtmlToText: true,
    skipTextToHtml: true,
  });
  const result: Omit<ParsedMessage, 'attachments'> = {};
  const pending: Promise<void>[] = [];
  parser.on('data', (data: AttachmentStream | MessageText) => {
    if (data.type === 'text') {
      result.html = typeof data.html === 'string' ? data.html : undefined;
      result.text = data.text?.trim() || result.html === undefined ? data.text : htmlToText(result.html);
    } else {
      const described = describe(data, limits, place);
      described.catch(() => {}); // handled by Promise.all below, once the parse ends
      pending.push(described);
    }
  });
  await new Promise<void>((resolve, reject) => {
    parser.once('end', resolve);
    parser.on('error', reject);
    stream.on('error', reject);
    stream.pipe(parser);
  });
  await Promise.all(pending);
  return result;
}

async function describe(attachment: AttachmentStream, limits: MessageLimits, place: Place): Promise<void> {
  const hash = createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  // An attached message is parsed as it streams past, so its own attachments are described too; one deeper
  // than that is content nobody inspected, which a caller must learn (not knowing is not allowing).
  const nested = isAttachedMessageType(attachment.contentType);
  if (nested && place.depth >= MAX_ATTACHED_MESSAGE_DEPTH) {
    (attachment.content as Readable).resume();
    attachment.release?.();
    throw new MessageLimitError(
      'maxDepth',
      `attached messages nested deeper than ${MAX_ATTACHED_MESSAGE_DEPTH} are not inspected`,
    );
  }
  const inner = nested ? new PassThrough() : undefined;
  const innerPlace = {
    depth: place.depth + 1,
    attachments: place.attachments,
    container: attachment.filename,
  };
  // A failure inside an attached message fails the parse: it is never swallowed.
  let innerError: unknown;
  const innerDone = inner
    ? parseInto(inner, limits, innerPlace).catch((error: unknown) => {
        innerError = error;
        inner.unpipe();
        inner.resume(); // keep the outer stream flowing to its end
      })
    : undefined;
  try {
    for await (const chunk of attachment.content as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      if (head.length < SNIFF_BYTES)
        head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
      if (inner && !inner.write(chunk)) await once(inner, 'drain');
    }
  } finally {
    inner?.end();
    attachment.release?.();
  }
  await innerDone;
  if (innerError !== undefined) throw innerError;
  place.attachments.push({
    filename: attachment.filename,
    contentType: attachment.contentType,
    sniffedType: sniffType(head),
    size,
    sha256: hash.digest('hex'),
    disposition: attachment.contentDisposition,
    related: attachment.related === true,
    partId: attachment.partId ?? undefined,
    depth: place.depth,
    container: place.container,
  });
}
