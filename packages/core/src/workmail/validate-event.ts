import { parseMailbox } from '../address-syntax.js';
import { EventValidationError } from '../errors.js';
import type { FlowAddress, FlowEvent } from './event.js';
import { MIN_SUMMARY_VERSION } from './event.js';

const DATE_VERSION = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Checks that `input` is a WorkMail email-flow event and returns it typed.
 * Unknown extra fields are kept; missing or mistyped ones throw one
 * {@link EventValidationError} naming the path and what was expected.
 *
 * @example
 * ```ts
 * const event = parseFlowEvent(JSON.parse(body));
 * if (event.truncated) console.warn('recipient list is incomplete');
 * ```
 */
export function parseFlowEvent(input: unknown): FlowEvent {
  const event = record(input, '$');
  const version = string(event.summaryVersion, 'summaryVersion');
  if (!DATE_VERSION.test(version) || version < MIN_SUMMARY_VERSION) {
    throw new EventValidationError(
      'summaryVersion',
      `a date version ${MIN_SUMMARY_VERSION} or later`,
      version,
    );
  }
  const direction = event.flowDirection;
  if (direction !== 'INBOUND' && direction !== 'OUTBOUND') {
    throw new EventValidationError('flowDirection', '"INBOUND" or "OUTBOUND"', direction);
  }
  const envelope = record(event.envelope, 'envelope');
  address(envelope.mailFrom, 'envelope.mailFrom', true);
  const recipients = envelope.recipients;
  if (!Array.isArray(recipients)) {
    throw new EventValidationError('envelope.recipients', 'an array', recipients);
  }
  recipients.forEach((r, i) => {
    address(r, `envelope.recipients[${i}]`, false);
  });
  // The send-on-behalf sender is what WorkMail read from the Sender header, which the sender writes: it is kept
  // as WorkMail gives it (it never grants a pass; a deny list still matches its domain) rather than held to
  // SMTP's syntax, since failing the invocation hands the message to the rule's fallback action (attacker round 61).
  if (event.sender !== undefined && event.sender !== null)
    string(record(event.sender, 'sender').address, 'sender.address', true);
  string(event.subject, 'subject', true);
  const messageId = string(event.messageId, 'messageId');
  if (!/^[a-z0-9-]{1,120}$/.test(messageId)) {
    throw new EventValidationError('messageId', 'a message id matching [a-z0-9-]{1,120}', messageId);
  }
  string(event.invocationId, 'invocationId');
  if (event.truncated !== undefined && typeof event.truncated !== 'boolean') {
    throw new EventValidationError('truncated', 'a boolean', event.truncated);
  }
  if (recipients.length === 0 && event.truncated !== true) {
    throw new EventValidationError('envelope.recipients', 'at least one recipient', recipients);
  }
  return { ...event, truncated: event.truncated === true } as unknown as FlowEvent;
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EventValidationError(path, 'an object', value);
  }
  return value as Record<string, unknown>;
}

function string(value: unknown, path: string, allowEmpty = false): string {
  if (typeof value !== 'string' || (!allowEmpty && value.length === 0)) {
    throw new EventValidationError(path, allowEmpty ? 'a string' : 'a non-empty string', value);
  }
  return value;
}

// The null sender `<>` (bounces) arrives as an empty mailFrom address. Anything SMTP accepts in a path
// is accepted (RFC 5321 quoted local parts, address literals; RFC 6531 UTF-8), so an odd but legal
// envelope never fails the whole invocation.
function address(value: unknown, path: string, allowEmpty: boolean): FlowAddress {
  const obj = record(value, path);
  const text = string(obj.address, `${path}.address`, allowEmpty);
  if (text !== '' && parseMailbox(text) === undefined) {
    throw new EventValidationError(`${path}.address`, 'an RFC 5321 mailbox (local@domain)', text);
  }
  return obj as unknown as FlowAddress;
}
