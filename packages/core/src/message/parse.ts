import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { AttachmentStream, MessageText } from 'mailparser';
import type { MessageLimits } from './limits.js';
import { SNIFF_BYTES, sniffType } from './sniff.js';

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
  /** IMAP-style part number, e.g. `1.2`. */
  partId?: string;
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
  const { MailParser } = await import('mailparser');
  const parser = new MailParser({ maxHtmlLengthToParse: limits.maxHtmlToTextBytes, skipImageLinks: true });
  const result: ParsedMessage = { attachments: [] };
  const pending: Promise<void>[] = [];
  parser.on('data', (data: AttachmentStream | MessageText) => {
    if (data.type === 'text') {
      result.text = data.text;
      result.html = typeof data.html === 'string' ? data.html : undefined;
    } else {
      pending.push(describe(data).then((info) => void result.attachments.push(info)));
    }
  });
  await new Promise<void>((resolve, reject) => {
    parser.once('end', resolve);
    parser.once('error', reject);
    stream.once('error', reject);
    stream.pipe(parser);
  });
  await Promise.all(pending);
  return result;
}

async function describe(attachment: AttachmentStream): Promise<AttachmentInfo> {
  const hash = createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  try {
    for await (const chunk of attachment.content as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      if (head.length < SNIFF_BYTES)
        head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
    }
  } finally {
    attachment.release?.();
  }
  return {
    filename: attachment.filename,
    contentType: attachment.contentType,
    sniffedType: sniffType(head),
    size,
    sha256: hash.digest('hex'),
    disposition: attachment.contentDisposition,
    related: attachment.related === true,
    partId: attachment.partId ?? undefined,
  };
}
