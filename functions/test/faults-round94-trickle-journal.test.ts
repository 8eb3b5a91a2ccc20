/**
 * Fault round 94: the archiver on a message whose GetRawMessageContent answer sends its head (the full
 * Content-Length) and part of the body, then nothing until the deadline. Asked: the cut bytes are never journaled as
 * the message, and WorkMail's retry (the read whole) journals it whole, once.
 */
import { makeFlowEvent } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { assertJournalIntact, invokeUntilAnswered, JOURNAL } from './fault-harness.js';
import { proxiedStack } from './scripted-proxy.js';

const t = proxiedStack([JOURNAL]);

describe('fault round 94: the archiver while the message read stalls mid-body', () => {
  it('only the whole message is journaled', async () => {
    const body = Array.from({ length: 400 }, (_, i) => `line ${i} of the order`).join('\r\n');
    const bytes = Buffer.from(
      'From: Ann <ann@partner.example>\r\nTo: bob@corp.example\r\nSubject: order\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\n' +
        `Message-ID: <r94-trickle@partner.example>\r\nContent-Type: text/plain\r\n\r\n${body}\r\n`,
      'latin1',
    );
    const id = t.stack.flow.load(bytes);
    let stalls = 1;
    t.flowp.decide = (req) =>
      req.method === 'GET' && stalls-- > 0
        ? { do: 'forward-then-hang', keep: bytes.indexOf('line 200 ') }
        : { do: 'forward' };
    const handler = archiver({
      JOURNAL_BUCKET: JOURNAL,
      KEY_TEMPLATE: 'j/{messageId}',
      ORGANIZATION_DOMAINS: 'corp.example',
    });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const run = await invokeUntilAnswered(handler, event, 3, 3_000);
    expect(run.answered).toBe(true);
    expect(run.attempts).toBe(2); // the first failed at its deadline; the retry read the message whole
    const { copies, problems } = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
    expect(problems.filter((p) => p.includes(id))).toEqual([]);
    expect(copies.filter((k) => k.includes(id))).toHaveLength(1);
  }, 30_000);
});
