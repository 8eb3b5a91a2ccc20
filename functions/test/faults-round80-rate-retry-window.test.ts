import { makeFlowEvent } from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE_CLOCK } from '../../packages/rules/src/rate/clock.js';
import { resetSharedCounterClient } from '../../packages/rules/src/rate/store.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import { firstAction, invoke, startFaultStack, UPDATES } from './fault-harness.js';

// Fault round 80 (F80-1), the prebuilt outbound-policy over the local DynamoDB and Message Flow: the rate limit counts
// a message, the message's read then fails (a transient error: the invocation fails, WorkMail retries), and the retry
// arrives once the hour has turned. It was counted again in the new hour, so the sender's next message, under the
// limit, bounced ("too many messages"). The retry is now answered from the count its first attempt made.
let stack: LocalStack;
let now = Date.parse('2026-11-25T10:59:00Z');
const clocks = globalThis as Record<symbol, unknown>;
beforeAll(async () => {
  stack = await startFaultStack(80);
  resetSharedCounterClient();
  clocks[RATE_CLOCK] = () => now;
}, 60_000);
afterAll(async () => {
  delete clocks[RATE_CLOCK];
  resetSharedCounterClient();
  await stack?.stop();
});

const message = (n: string) =>
  Buffer.from(
    `From: f80@corp.example\r\nTo: ann@partner.example\r\nSubject: hi ${n}\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n` +
      `Message-ID: <${n}@corp.example>\r\nContent-Type: text/plain\r\n\r\nhello\r\n`,
  );

describe('outbound-policy: a WorkMail retry after the window turned (fault round 80)', () => {
  it('is counted once: the next message under the limit is delivered, the one past it bounced', async () => {
    const handler = outboundPolicy({
      ORGANIZATION_DOMAINS: 'corp.example',
      UPDATES_BUCKET: UPDATES,
      RATE_TABLE: 'wmflow-rate',
      RATE_LIMITS: JSON.stringify([{ name: 'f80', key: 'sender', limit: 3, window: '1h' }]),
    });
    const event = (n: string) =>
      makeFlowEvent({
        messageId: stack.flow.load(message(n)),
        invocationId: `f80-inv-${n}`,
        mailFrom: 'f80@corp.example',
        recipients: ['ann@partner.example'],
        direction: 'OUTBOUND',
      });
    expect(firstAction((await invoke(handler, event('a'))).response)).toBe('DEFAULT');
    expect(firstAction((await invoke(handler, event('b'))).response)).toBe('DEFAULT');
    now = Date.parse('2026-11-25T10:59:59Z');
    const c = event('c');
    // Counted (the third of three), then the message cannot be read: the invocation fails for WorkMail to retry.
    const fault = stack.flow.injectFault({ kind: 'server-error' }, { messageId: c.messageId });
    const failed = await invoke(handler, c);
    fault.clear();
    expect(failed.error).toBeDefined();
    expect(failed.response).toBeUndefined();
    now = Date.parse('2026-11-25T11:00:30Z');
    const retried = await invoke(handler, c);
    expect(retried.error).toBeUndefined();
    expect(firstAction(retried.response)).toBe('DEFAULT');
    // 11:06, a tenth into the hour: the hour before weighs floor(3 × 0.9) = 2, so d is the third, e the fourth.
    now = Date.parse('2026-11-25T11:06:00Z');
    expect(firstAction((await invoke(handler, event('d'))).response)).toBe('DEFAULT');
    expect(firstAction((await invoke(handler, event('e'))).response)).toBe('BOUNCE');
  });
});
