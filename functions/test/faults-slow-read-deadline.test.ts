import { lambdaContext, makeFlowEvent } from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { bigMessage, startFaultStack, UPDATES } from './fault-harness.js';

// Fault round 39 (session 30): a message read that stalls past the deadline leaves the SES-verdict protection
// undecided. By design (not knowing is not allowing) it settles its blocking verdict before WorkMail's timeout;
// what it tells the sender must be that the message could not be checked, not that it holds a virus.
let stack: LocalStack;
beforeAll(async () => {
  stack = await startFaultStack(3);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('a stalled message read at the deadline', () => {
  it('bounces as unchecked, not as a virus', async () => {
    const id = stack.flow.load(bigMessage(50_000, 'slow-read-deadline'));
    stack.flow.injectFault({ kind: 'latency', ms: 8_000 }, { messageId: id, operation: 'get', times: 1 });
    const handler = guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: UPDATES });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const response = await handler(event, lambdaContext({ timeoutMs: 4_000 }));
    const action = response?.actions?.[0]?.action as {
      type: string;
      parameters?: { bounceMessage?: string };
    };
    expect(action.type).toBe('BOUNCE');
    expect(action.parameters?.bounceMessage).toContain('could not be checked');
    expect(action.parameters?.bounceMessage).not.toContain('found to contain a virus');
  }, 30_000);
});
