import { safeDecodeWords } from '../message/decode-words.js';
import { typeAsClientsRead } from '../mime/client-type.js';
import type { PartInfo } from './edits.js';

/** The mailsplit node fields the editor reads. */
export interface SplitNode {
  type: 'node';
  root: boolean;
  parentNode: SplitNode | false;
  /** The part's number in the message (`[2, 1]`: its parent's first child), once its headers are parsed. */
  partNr?: readonly (number | string)[] | false;
  multipart: string | false;
  encoding: string | false;
  contentType: string | false;
  charset: string | false;
  disposition: string | false;
  filename: string | false;
  flowed: boolean;
  delSp: boolean;
  headers: MailsplitHeaders | false;
  getHeaders(): Buffer;
  parseHeaders(): void;
  setCharset(charset?: string | false): void;
  setContentType(contentType?: string | false): void;
  getDecoder(): import('node:stream').Transform;
}

/** mailsplit's Headers, as far as the editor uses it. */
export interface MailsplitHeaders {
  get(key: string): string[];
  getFirst(key: string): string;
  add(key: string, value?: string): void;
  update(key: string, value?: string): void;
  remove(key: string): void;
}

/** The node's headers, parsed on first use. */
export function headersOf(node: SplitNode): MailsplitHeaders {
  if (!node.headers) node.parseHeaders();
  return node.headers as MailsplitHeaders;
}

/** What predicates see of a node. */
export function partInfo(node: SplitNode): PartInfo {
  const filename = node.filename ? safeDecodeWords(node.filename) : undefined;
  return {
    contentType: shownType(node),
    filename,
    disposition: node.disposition ? node.disposition.toLowerCase() : undefined,
    charset: node.charset ? node.charset.toLowerCase() : undefined,
  };
}

/**
 * The part's type as clients read it (attacker round 55): Thunderbird cuts the value at the first `;`, `,` or
 * white space and keeps what follows the last `?`, so `text/html foo`, `text/html, text/plain` and
 * `=?windows-1252?q?text/html` are all shown as text/html. The editor decides on the same reading.
 */
export function shownType(node: SplitNode): string {
  if (isDigestEntry(node)) return 'message/rfc822';
  return typeAsClientsRead(node.contentType || '') || 'text/plain';
}

/**
 * Whether the node is a multipart/digest's part without a Content-Type (or with an empty one): an attached message
 * (RFC 2046 5.1.5), as the walk reads it and clients show it, not body text to put a banner in (false-positive round
 * 3). mailsplit calls such a part text/plain (or a type its file name suggests): its header decides.
 */
export function isDigestEntry(node: SplitNode): boolean {
  const parent = node.parentNode ? (node.parentNode.contentType || '').toLowerCase() : '';
  return parent === 'multipart/digest' && headersOf(node).get('content-type').every(emptyValue);
}

/** Whether a header line (`Content-Type:` and any folded white space) has no value. */
function emptyValue(line: string): boolean {
  return line.slice(line.indexOf(':') + 1).trim() === '';
}

/** True for leaf parts that are attachments rather than body text. */
export function isAttachment(node: SplitNode): boolean {
  return !node.multipart && (node.disposition === 'attachment' || Boolean(node.filename));
}

/** True when the node is, or sits inside, signed or encrypted content. */
export function isProtected(node: SplitNode): boolean {
  for (let n: SplitNode | false = node; n; n = n.parentNode) {
    const type = (n.contentType || '').toLowerCase();
    if (type === 'multipart/signed' || type === 'multipart/encrypted') return true;
    if (type === 'application/pkcs7-mime' || type === 'application/x-pkcs7-mime') return true;
  }
  return false;
}
