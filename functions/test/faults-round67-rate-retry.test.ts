import { makeFlowEvent } from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetSharedCounterClient } from '../../packages/rules/src/rate/store.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import { firstAction, invoke, startFaultStack, UPDATES } from './fault-harness.js';

// Fault round 67 (F67-2), the prebuilt functions: `RATE_STORE_ON_ERROR=retry` fails the invocation while the counter
// table throttles (WorkMail retries it) instead of bouncing mail under its limit, and the retry, once the table
// answers, is counted once and delivered.
let stack: LocalStack;
beforeAll(async () => {
  stack = await startFaultStack(67);
  resetSharedCounterClient();
}, 60_000);
afterAll(async () => {
  stack?.dynamo.fail(undefined);
  resetSharedCounterClient();
  await stack?.stop();
});

const message = (n: string) =>
  Buffer.from(
    `From: bob@corp.example\r\nTo: ann@partner.example\r\nSubject: hi ${n}\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n` +
      `Message-ID: <${n}@corp.example>\r\nContent-Type: text/plain\r\n\r\nhello\r\n`,
  );

describe('outbound-policy with RATE_STORE_ON_ERROR=retry (fault round 67)', () => {
  it('a throttled table fails the invocation; WorkMail’s retry is delivered, counted once', async () => {
    const handler = outboundPolicy({
      ORGANIZATION_DOMAINS: 'corp.example',
      UPDATES_BUCKET: UPDATES,
      RATE_TABLE: 'wmflow-rate',
      RATE_LIMITS: JSON.stringify([{ name: 'f67', key: 'sender', limit: 1, window: '1h' }]),
      RATE_STORE_ON_ERROR: 'retry',
    });
    const event = (n: string, invocationId: string) =>
      makeFlowEvent({
        messageId: stack.flow.load(message(n)),
        invocationId,
        mailFrom: 'f67-sender@corp.example',
        recipients: ['ann@partner.example'],
        direction: 'OUTBOUND',
      });
    const first = event('f67-a', 'f67-inv-a');
    stack.dynamo.fail('ThrottlingException');
    const throttled = await invoke(handler, first);
    stack.dynamo.fail(undefined);
    expect(throttled.error?.message).toMatch(/throttled/);
    expect(throttled.response).toBeUndefined();
    const retried = await invoke(handler, first);
    expect(retried.error).toBeUndefined();
    expect(firstAction(retried.response)).toBe('DEFAULT');
    // The limit is 1: the next message is the second, not the third.
    const next = await invoke(handler, event('f67-b', 'f67-inv-b'));
    expect(firstAction(next.response)).toBe('BOUNCE');
  });
});
