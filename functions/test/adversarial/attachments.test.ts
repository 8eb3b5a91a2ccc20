import { type FlowResponse, readResponse } from '@wmflow/core';
import { lambdaContext, makeFlowEvent } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { guard } from '../../guard/guard.js';
import { type HostileCase, hostileCases } from './hostile.js';
import { useLocalStack } from './stack.js';
import { expectStripped } from './strip-check.js';

// Replays every hostile message of docs/threat-model.md ("Attachments") through the prebuilt guard at its
// defaults, over the local Message Flow emulator and S3, and checks the promised outcome.

const stack = useLocalStack();

const RECIPIENTS = ['bob@corp.example', 'carol@corp.example'];
const cases = hostileCases();

async function replay(c: HostileCase, extra: Record<string, string>) {
  const handler = guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: 'updates', ...extra });
  const messageId = stack().flow.load(c.message);
  const event = makeFlowEvent({ messageId, mailFrom: 'accounts@evil.example', recipients: RECIPIENTS });
  const response = (await handler(event, lambdaContext())) as FlowResponse;
  const verdicts = readResponse(response, RECIPIENTS, 'INBOUND').verdicts;
  const delivered = stack().flow.history(messageId).at(-1)?.content ?? Buffer.alloc(0);
  return { verdicts, delivered, versions: stack().flow.history(messageId).length };
}

describe('adversarial: attachments through the prebuilt guard at its defaults', () => {
  it('covers every threat class of the issue', () => {
    expect(new Set(cases.map((c) => c.threat))).toEqual(new Set(['limits', 'unseen-parts', 'strip-evasion']));
  });

  describe('ATTACHMENT_ACTION=bounce (default)', () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s: bounces every recipient', async (_name, c) => {
      const { verdicts, versions } = await replay(c, {});
      for (const r of RECIPIENTS) expect(verdicts.get(r)?.type).toBe('BOUNCE');
      expect(versions).toBe(1); // nothing rewritten: the message is refused whole
    });
  });

  describe('ATTACHMENT_ACTION=strip', () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s: stripped or not delivered', async (_name, c) => {
      const { verdicts, delivered, versions } = await replay(c, { ATTACHMENT_ACTION: 'strip' });
      const types = RECIPIENTS.map((r) => verdicts.get(r)?.type);
      if (c.strip === 'bounce') {
        expect(types).toEqual(['BOUNCE', 'BOUNCE']);
        return;
      }
      expect(types).toEqual(['DEFAULT', 'DEFAULT']);
      expect(versions).toBe(2); // the rewrite was committed
      expect(delivered.toString('latin1')).not.toContain(c.payload);
      await expectStripped(c.message, delivered, { noteInBytes: !c.noteEncoded });
    });
  });
});
