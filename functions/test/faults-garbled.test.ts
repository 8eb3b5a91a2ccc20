import { join } from 'node:path';
import { makeFlowEvent } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import { useLocalStack } from './adversarial/stack.js';
import { firstAction, invoke, invokeUntilAnswered } from './fault-harness.js';

// Straight to the emulator, with no fault proxy between: a proxy's own parser would turn the garbled answer
// into a reset before the function saw it.
const EML = join(import.meta.dirname, '../../samples/eml');
const stack = useLocalStack();
const env = { ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: 'updates' };

describe('faults: an answer Node cannot parse (a garbled status line) is a failed transfer, not a verdict', () => {
  it('the guard and outbound-policy fail the invocation, never bounce; the retry answers', async () => {
    for (const [name, run, file, direction, answer] of [
      ['guard', guard(env), '04-ses-spam-virus.eml', 'INBOUND', 'BOUNCE'],
      ['outbound-policy', outboundPolicy(env), '10-outbound-reply.eml', 'OUTBOUND', 'DEFAULT'],
    ] as const) {
      const id = await stack().flow.loadFile(join(EML, file));
      const fault = stack().flow.injectFault({ kind: 'garbled-answer' }, { messageId: id, operation: 'get' });
      const event = makeFlowEvent({
        messageId: id,
        direction,
        mailFrom: direction === 'INBOUND' ? 'ann@partner.example' : 'dan@corp.example',
        recipients: [direction === 'INBOUND' ? 'bob@corp.example' : 'partner@shop.example'],
      });
      const first = await invoke(run, event);
      // The direct read meets a parse error (HPE_…), the SDK's read of the same a hang-up: both transient.
      expect([name, first.error?.message]).toEqual([
        name,
        expect.stringMatching(/Parse Error|socket hang up/),
      ]);
      expect(first.response).toBeUndefined();
      expect(fault.hits).toBeGreaterThan(0);
      fault.clear();
      const again = await invokeUntilAnswered(run, event);
      // The virus verdict of 04 bounces on its headers, read whole this time; 10 is delivered.
      expect([name, firstAction(again.response)]).toEqual([name, answer]);
    }
  }, 120_000);
});
