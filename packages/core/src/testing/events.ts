import { randomUUID } from 'node:crypto';
import type { Direction, FlowEvent } from '../workmail/event.js';

/** Options of {@link makeFlowEvent}. */
export interface MakeFlowEventOptions {
  direction?: Direction;
  mailFrom?: string;
  recipients?: readonly string[];
  sender?: string;
  subject?: string;
  messageId?: string;
  invocationId?: string;
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
