import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import { bigMessage, firstAction, invoke, UPDATES, withExe } from './fault-harness.js';
import { proxiedStack } from './scripted-proxy.js';

// Fault round 88, held: GetRawMessageContent answered with no byte until the deadline (the request held open), for the
// rewrite paths. Asked: an answer comes back (the deadline guard), the message WorkMail holds is unchanged, the guard
// never lets the unseen executable through, and nothing staged is left.
const t = proxiedStack([UPDATES]);
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = (req) => (req.method === 'GET' ? { do: 'hang' } : { do: 'forward' });
});

const staged = async (id: string) =>
  (await t.stack.listObjects(UPDATES)).map((o) => o.key).filter((k) => k.includes(id));

describe('held: the message read stalls until the deadline', () => {
  it('guard strip: answered, not DEFAULT, the message unchanged', async () => {
    const bytes = withExe(30_000, 'f88-stall-strip');
    const id = t.stack.flow.load(bytes);
    const handler = guard({
      ORGANIZATION_DOMAINS: 'corp.example',
      UPDATES_BUCKET: UPDATES,
      ATTACHMENT_ACTION: 'strip',
    });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const { response, error } = await invoke(handler, event, 6_000);
    expect(error).toBeUndefined();
    expect(firstAction(response)).not.toBe('DEFAULT');
    expect(t.stack.flow.history(id)).toHaveLength(1);
    expect(await staged(id)).toEqual([]);
  }, 60_000);

  it('outbound-policy disclaimer: answered, the message unchanged', async () => {
    const bytes = bigMessage(30_000, 'f88-stall-disclaimer');
    const id = t.stack.flow.load(bytes);
    const handler = outboundPolicy({
      ORGANIZATION_DOMAINS: 'corp.example',
      UPDATES_BUCKET: UPDATES,
      DISCLAIMER_TEXT: 'Confidential: for the addressee only.',
    });
    const event = makeFlowEvent({
      messageId: id,
      direction: 'OUTBOUND',
      mailFrom: 'dan@corp.example',
      recipients: ['orders@shop.example'],
    });
    const { response, error } = await invoke(handler, event, 6_000);
    expect(error).toBeUndefined();
    expect(firstAction(response)).toBeDefined();
    expect(t.stack.flow.history(id)).toHaveLength(1);
    expect(await staged(id)).toEqual([]);
  }, 60_000);
});
