import { type FlowResponse, readResponse } from '@wmflow/core';
import { lambdaContext, makeFlowEvent } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { guard } from '../../guard/guard.js';
import { outboundPolicy } from '../../outbound-policy/outbound-policy.js';
import { virusWithExe } from './hostile-mail.js';
import { useLocalStack } from './stack.js';

// A61-3: the event's `sender` (send-on-behalf) is what WorkMail read from the message's Sender header, which an
// outside sender writes. Event validation held it to RFC 5321 mailbox syntax like the SMTP envelope, so a Sender
// a lenient reader takes an address from (`a..b@evil.example`, a trailing or leading dot, a source route, an
// out-of-range literal) failed validation, and the guard rethrew (onInvalidEvent): WorkMail retried until the
// rule's timeout and then applied the rule's fallback action, which docs/deploy.md sets to MOVE_TO_JUNK for the
// guard. A virus FAIL with an `.exe` went to Junk. The sender never grants a pass: whatever address WorkMail
// read is now kept as it is, and the message is checked.
const stack = useLocalStack();
const TO = ['bob@corp.example'];
const ODD = [
  'a..b@evil.example',
  '.a@evil.example',
  'a.@evil.example',
  '@relay.example:a@evil.example',
  'a@[300.1.2.3]',
  'a b@evil.example',
  '"unterminated@evil.example',
];

async function invoke(handler: ReturnType<typeof guard>, event: ReturnType<typeof makeFlowEvent>) {
  try {
    const response = (await handler(event, lambdaContext({ timeoutMs: 15_000 }))) as FlowResponse;
    const recipients = event.envelope.recipients.map((r) => r.address);
    return { verdicts: readResponse(response, recipients, event.flowDirection).verdicts };
  } catch (error) {
    return { error: error as Error };
  }
}

describe('A61-3: a Sender header WorkMail reads leniently does not fail the guard', () => {
  for (const sender of ODD)
    it(`bounces the virus with an .exe sent with sender ${JSON.stringify(sender)}`, async () => {
      const handler = guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: 'updates' });
      const messageId = stack().flow.load(virusWithExe());
      const event = makeFlowEvent({ messageId, mailFrom: 'x@evil.example', recipients: TO, sender });
      const { verdicts, error } = await invoke(handler, event);
      expect(error).toBeUndefined();
      expect(verdicts?.get('bob@corp.example')?.type).toBe('BOUNCE');
    });
  it('(control) an invalid SMTP envelope sender still fails the invocation (onInvalidEvent)', async () => {
    const handler = guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: 'updates' });
    const messageId = stack().flow.load(virusWithExe());
    const event = makeFlowEvent({ messageId, mailFrom: 'a..b@evil.example', recipients: TO });
    expect((await invoke(handler, event)).error?.name).toBe('EventValidationError');
  });
  it('an internal-only sender sending on behalf under an odd spelling is still matched by its domain', async () => {
    const handler = outboundPolicy({
      ORGANIZATION_DOMAINS: 'corp.example',
      INTERNAL_ONLY_SENDERS: 'kiosk.corp.example',
    });
    const messageId = stack().flow.load(
      Buffer.from('From: a@corp.example\r\nTo: x@outside.example\r\nSubject: hi\r\n\r\nhello\r\n'),
    );
    const event = makeFlowEvent({
      direction: 'OUTBOUND',
      messageId,
      mailFrom: 'a@corp.example',
      sender: 'front..desk@kiosk.corp.example',
      recipients: ['x@outside.example'],
    });
    const { verdicts, error } = await invoke(handler, event);
    expect(error).toBeUndefined();
    expect(verdicts?.get('x@outside.example')?.type).toBe('BOUNCE');
  });
});
