import { randomUUID } from 'node:crypto';
import type { Direction, FlowEvent } from '../workmail/event.js';

/** Options of {@link makeFlowEvent}. */
export interface MakeFlowEventOptions {
  /** `flowDirection`; default INBOUND. */
  direction?: Direction;
  /** `envelope.mailFrom.address`. */
  mailFrom?: string;
  /** `envelope.recipients[].address`. */
  recipients?: readonly string[];
  /** `sender.address` (send-on-behalf); absent by default. */
  sender?: string;
  subject?: string;
  /** Default: a fresh id. Give the id `wmflow serve` printed to read a loaded message. */
  messageId?: string;
  /** Default: a fresh id (WorkMail keeps it across retries of one event). */
  invocationId?: string;
  /** True when WorkMail cut the recipient list; default false. */
  truncated?: boolean;
}

/**
 * Builds a WorkMail flow event for tests and local runs, with fresh ids and
 * the subject cut at 256 characters as WorkMail does.
 *
 * @example
 * ```ts
 * const event = makeFlowEvent({ recipients: ['a@corp.example'], subject: 'Hello' });
 * ```
 */
export function makeFlowEvent(options: MakeFlowEventOptions = {}): FlowEvent {
  const event: FlowEvent = {
    summaryVersion: '2019-07-28',
    envelope: {
      mailFrom: { address: options.mailFrom ?? 'sender@external.example' },
      recipients: (options.recipients ?? ['user@corp.example']).map((address) => ({ address })),
    },
    subject: (options.subject ?? 'Test message').slice(0, 256),
    messageId: options.messageId ?? randomUUID(),
    invocationId: options.invocationId ?? randomUUID().replaceAll('-', ''),
    flowDirection: options.direction ?? 'INBOUND',
    truncated: options.truncated ?? false,
  } as FlowEvent;
  if (options.sender) event.sender = { address: options.sender };
  return event;
}
