/**
 * Fault round 89: the archiver on a single-part message whose GetRawMessageContent answer is sent chunked and ended
 * early but well-formed (no length to check it against), and on one ended inside its header block. Asked: no copy
 * other than the whole message is ever journaled, and WorkMail's retry journals it whole.
 */
import { makeFlowEvent } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { assertJournalIntact, invokeUntilAnswered, JOURNAL } from './fault-harness.js';
import { proxiedStack } from './scripted-proxy.js';

const t = proxiedStack([JOURNAL]);

describe('archiver: the message read chunked and ended early', () => {
  const body = Array.from({ length: 400 }, (_, i) => `line ${i} of the order`).join('\r\n');
  const message = (id: string) =>
    Buffer.from(
      'From: Ann <ann@partner.example>\r\nTo: bob@corp.example\r\nSubject: order\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\n' +
        `Message-ID: <r89-${id}@partner.example>\r\nContent-Type: text/plain\r\n\r\n${body}\r\n`,
      'latin1',
    );
  it.each([
    ['mid-body', (b: Buffer) => b.indexOf('line 200 ')],
    ['inside the header block', (b: Buffer) => b.indexOf('Content-Type')],
  ])(
    'cut %s: only the whole message is journaled',
    async (where, keep) => {
      const bytes = message(where.replace(/\W/g, ''));
      const id = t.stack.flow.load(bytes);
      let cuts = 1;
      t.flowp.decide = (req) =>
        req.method === 'GET' && cuts-- > 0
          ? { do: 'forward-chunked-cut', keep: keep(bytes) }
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
      const run = await invokeUntilAnswered(handler, event, 3);
      expect(run.answered).toBe(true);
      const { copies, problems } = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
      expect(problems.filter((p) => p.includes(id))).toEqual([]);
      expect(copies.filter((k) => k.includes(id))).toHaveLength(1);
    },
    60_000,
  );
});
