import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import { bigMessage, firstAction, invoke, UPDATES, withExe } from './fault-harness.js';
import { proxiedStack } from './scripted-proxy.js';

// Fault round 94: GetRawMessageContent answers its head (the full Content-Length) and the header block and part of
// the body, then nothing until the deadline (a read that trickles and holds; round 88 held it from the first byte).
// Asked: an answer or a failed invocation within the deadline, never DEFAULT for the message left unchecked, the
// message WorkMail holds unchanged, nothing staged left.
const t = proxiedStack([UPDATES]);
/** Body bytes the proxy lets through before it stops sending: past the headers, before the executable. */
const KEEP = 12_000;
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = (req) =>
    req.method === 'GET' ? { do: 'forward-then-hang', keep: KEEP } : { do: 'forward' };
});

const staged = async (id: string) =>
  (await t.stack.listObjects(UPDATES)).map((o) => o.key).filter((k) => k.includes(id));

const inbound = (id: string) =>
  makeFlowEvent({ messageId: id, mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] });

describe('fault round 94: the message read sends part of the body, then stalls until the deadline', () => {
  for (const action of ['strip', 'bounce'] as const)
    it(`guard ${action}: the executable unseen is never let through; nothing committed or staged`, async () => {
      const id = t.stack.flow.load(withExe(30_000, `f94-trickle-${action}`));
      const handler = guard({
        ORGANIZATION_DOMAINS: 'corp.example',
        UPDATES_BUCKET: UPDATES,
        ATTACHMENT_ACTION: action,
      });
      const { response, error } = await invoke(handler, inbound(id), 3_000);
      if (!error) expect(firstAction(response)).not.toBe('DEFAULT');
      expect(t.stack.flow.history(id)).toHaveLength(1);
      expect(await staged(id)).toEqual([]);
    }, 30_000);

  it('outbound-policy disclaimer: the cut message is never committed; nothing staged', async () => {
    const id = t.stack.flow.load(bigMessage(30_000, 'f94-trickle-disclaimer'));
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
    const { response, error } = await invoke(handler, event, 3_000);
    if (!error) expect(firstAction(response)).not.toBe('DEFAULT');
    expect(t.stack.flow.history(id)).toHaveLength(1);
    expect(await staged(id)).toEqual([]);
  }, 30_000);
});
