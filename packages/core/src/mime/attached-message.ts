// Types clients open as an attached message and show with its own parts. message/rfc822 and its RFC 6532
// form message/global; message/news, message/rfc2822 and message/x-rfc822, which Thunderbird (MimeMessage)
// and MimeKit (MessagePart) open alike; and message/external-body, which MimeKit parses as a message when
// it holds one. A type left out here would be a leaf nobody walked, its attachments and text unread.
const ATTACHED_MESSAGE_TYPES: ReadonlySet<string> = new Set([
  'message/rfc822',
  'message/global',
  'message/news',
  'message/rfc2822',
  'message/x-rfc822',
  'message/external-body',
]);

/**
 * True when clients open a part of this content type (lower case, no parameters) as an attached message.
 *
 * @example
 * ```ts
 * isAttachedMessageType('message/news'); // true
 * isAttachedMessageType('message/partial'); // false: a fragment, not a message
 * ```
 */
export function isAttachedMessageType(contentType: string): boolean {
  return ATTACHED_MESSAGE_TYPES.has(contentType);
}
