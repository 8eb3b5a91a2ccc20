import { randomBytes } from 'node:crypto';
import { type FlowOutcome, onFlowOutcome } from '@wmflow/core';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { invoke, UPDATES } from './fault-harness.js';
import { stallProxy } from './faults-round48-stall.js';
import { stackBehind } from './scripted-proxy.js';

// Fault round 48: the banner's first pass reads the message before the edit does. With the attachment policy off,
// that pass is the first full read: a download that stalls under it holds the commit until the deadline. Nothing
// was uploaded and PutRawMessageContent was never sent, yet the invocation reported the update as one that "may or
// may not have been applied" (an operator, or a strip's fallback line, read that the message may have changed).
// Only a deadline after PutRawMessageContent was sent leaves that open.
const t = stackBehind(stallProxy, [UPDATES]);
const CRLF = '\r\n';

beforeEach(() => {
  t.s3.plan = () => undefined;
  t.flow.plan = () => undefined;
  t.s3.log.length = 0;
  t.flow.log.length = 0;
});

const base64 = (size: number) => randomBytes(size).toString('base64').replace(/.{76}/g, `$&${CRLF}`);
const picture = [
  'Content-Type: image/png',
  'Content-Transfer-Encoding: base64',
  'Content-Disposition: inline',
  '',
];
const text = ['Content-Type: text/plain; charset=us-ascii', '', 'Hello, the pictures.'];

/** A 3 MB multipart/mixed from outside: a picture, after a text part or alone. */
function message(withText: boolean): Buffer {
  const parts = [...(withText ? [text] : []), [...picture, base64(2_300_000)]];
  return Buffer.from(
    [
      'From: Accounts <accounts@partner.example>',
      'To: bob@corp.example',
      'Subject: pictures',
      'Date: Sun, 29 Nov 2026 10:00:00 +0000',
      `Message-ID: <${randomBytes(6).toString('hex')}@partner.example>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="m"',
      '',
      ...parts.flatMap((p) => ['--m', ...p]),
      '--m--',
      '',
    ].join(CRLF),
    'latin1',
  );
}

describe('F48-1: a deadline while the banner first pass reads is reported as before the commit', () => {
  it.each([
    ['a text body first (the pass has decided, its read waits)', true, 300_000],
    ['no text body (the pass reads to the end)', false, 1_800_000],
  ])(
    '%s',
    async (_label, withText, keep) => {
      const bytes = message(withText);
      const id = t.stack.flow.load(bytes);
      // The header read is the first GET (released: over 1 MiB); the first pass opens the second, which stalls.
      let gets = 0;
      t.flow.plan = (req) => (req.method === 'GET' && ++gets === 2 ? { keep } : undefined);
      const outcomes: FlowOutcome[] = [];
      const stop = onFlowOutcome((o) => outcomes.push(o));
      const run = await invoke(
        guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: UPDATES, ATTACHMENT_POLICY: 'false' }),
        makeFlowEvent({
          messageId: id,
          mailFrom: 'accounts@partner.example',
          recipients: ['bob@corp.example'],
        }),
        4_000,
      ).finally(stop);
      const outcome = outcomes.find((o) => o.messageId === id);
      expect(run.error).toBeUndefined();
      expect(outcome?.deadlineHit).toBe(true);
      // Nothing staged, nothing committed.
      expect(t.flow.log.filter((l) => l.startsWith('POST'))).toEqual([]);
      expect(t.s3.log.filter((l) => l.startsWith('PUT') || l.startsWith('POST'))).toEqual([]);
      expect(t.stack.flow.history(id)).toHaveLength(1);
      expect(outcome?.edit).toEqual({
        status: 'skipped',
        reason: 'deadline reached before the update was committed',
      });
    },
    30_000,
  );
});
