import type { Direction } from '../flow/direction.js';

export type { Direction };

/** An email address as WorkMail puts it in the event. */
export interface FlowAddress {
  /** The bare address, e.g. `jane@example.com`. */
  address: string;
}

interface FlowEventBase {
  /** Schema version of the event; wmflow accepts `2018-10-10` or later. */
  summaryVersion: string;
  /** SMTP envelope: MAIL FROM and RCPT TO. No To/Cc/Bcc distinction. */
  envelope: {
    mailFrom: FlowAddress;
    recipients: FlowAddress[];
  };
  /** Present when the message was sent on behalf of someone (send-on-behalf). */
  sender?: FlowAddress;
  /** Subject header, cut by WorkMail at 256 characters. */
  subject: string;
  /** Id for GetRawMessageContent / PutRawMessageContent; readable for 24 hours. */
  messageId: string;
  /** Id of this invocation; the same across WorkMail's retries of the same event. */
  invocationId: string;
  /** True when WorkMail cut the recipient list to keep the event under 128 KB: the envelope is incomplete. */
  truncated: boolean;
}

/** Event for a message received by the organization. Recipients are organization addresses only. */
export interface InboundFlowEvent extends FlowEventBase {
  flowDirection: 'INBOUND';
}

/** Event for a message sent by a user of the organization. */
export interface OutboundFlowEvent extends FlowEventBase {
  flowDirection: 'OUTBOUND';
}

/**
 * The event WorkMail passes to a "Run Lambda" email flow rule; `flowDirection`
 * tells inbound and outbound apart.
 *
 * @example
 * ```ts
 * const handler = async (event: FlowEvent) => {
 *   if (event.flowDirection === 'INBOUND') console.log(event.envelope.recipients.length);
 * };
 * ```
 */
export type FlowEvent = InboundFlowEvent | OutboundFlowEvent;

/** The flow event for a statically known direction, or either when `D` is the union. */
export type FlowEventFor<D extends Direction> = Extract<FlowEvent, { flowDirection: D }>;

/**
 * Oldest event schema wmflow understands.
 *
 * @example
 * ```ts
 * MIN_SUMMARY_VERSION; // '2018-10-10'
 * parseFlowEvent({ ...event, summaryVersion: '2017-01-01' }); // throws EventValidationError
 * ```
 */
export const MIN_SUMMARY_VERSION = '2018-10-10';
