import { makeFlowEvent } from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import { firstAction, invoke, startFaultStack, UPDATES, withExe } from './fault-harness.js';

// Fault round 43 (session 35): PutRawMessageContent failing after the update was uploaded to S3 (5xx, throttling,
// a garbled answer, every SDK attempt). Held: the invocation fails, so WorkMail retries; it holds the original
// message meanwhile, and the retry applies the update.
let stack: LocalStack;
beforeAll(async () => {
  stack = await startFaultStack(5);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const strip = () =>
  guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: UPDATES, ATTACHMENT_ACTION: 'strip' });
for (const fault of [
  { kind: 'server-error' as const },
  { kind: 'throttle' as const },
  { kind: 'garbled-answer' as const },
  { kind: 'server-error' as const, status: 503 as const },
]) {
  describe(`PutRawMessageContent answering ${JSON.stringify(fault)} every time`, () => {
    it('guard strip: the invocation fails, WorkMail holds the original, the retry strips', async () => {
      const bytes = withExe(50_000, `f43-put-${fault.kind}`);
      const id = stack.flow.load(bytes);
      stack.flow.injectFault(fault, { messageId: id, operation: 'put', times: 20 });
      const event = makeFlowEvent({
        messageId: id,
        mailFrom: 'ann@partner.example',
        recipients: ['bob@corp.example'],
      });
      const first = await invoke(strip(), event);
      stack.flow.clearFaults();
      const facts = {
        answer: first.error
          ? `error ${first.error.name}: ${first.error.message}`
          : firstAction(first.response),
      };
      expect(first.error, JSON.stringify(facts)).toBeDefined();
      const retry = await invoke(strip(), event);
      const held = stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
      expect(firstAction(retry.response)).toBe('DEFAULT');
      expect(held.includes('run.exe')).toBe(false);
    });
  });
}

describe('outbound-policy disclaimer: PutRawMessageContent failing', () => {
  it('fails the invocation', async () => {
    const id = stack.flow.load(
      Buffer.from(
        'From: bob@corp.example\r\nTo: ann@partner.example\r\nSubject: hi\r\nMessage-ID: <d1@corp.example>\r\nContent-Type: text/plain\r\n\r\nhello\r\n',
      ),
    );
    stack.flow.injectFault({ kind: 'server-error' }, { messageId: id, operation: 'put', times: 20 });
    const handler = outboundPolicy({
      ORGANIZATION_DOMAINS: 'corp.example',
      UPDATES_BUCKET: UPDATES,
      DISCLAIMER_TEXT: 'Confidential.',
    });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'bob@corp.example',
      recipients: ['ann@partner.example'],
      direction: 'OUTBOUND',
    });
    const first = await invoke(handler, event);
    stack.flow.clearFaults();
    expect(first.error, JSON.stringify(first.response)).toBeDefined();
    expect(stack.flow.history(id).at(-1)?.content.toString('latin1')).not.toContain('Confidential.');
    const retry = await invoke(handler, event);
    expect(firstAction(retry.response)).toBe('DEFAULT');
    expect(stack.flow.history(id).at(-1)?.content.toString('latin1')).toContain('Confidential.');
  });
});
