// Fault round 39 (session 30): RawRepair refused, as a TransientError, any message whose last line has no line break inside a multipart
// left open ("it looks cut short"), even when the read was whole: GetRawMessageContent announced a Content-Length
// and the spool verified every byte. The refusal is deterministic, so every WorkMail retry fails the same way:
// the message waits out the rule timeout (up to 4 h) and then gets the fallback action (MOVE_TO_JUNK / BOUNCE),
// where the other unclosed-multipart cases are repaired (closed) or skipped (EditError: delivered unchanged).
import { makeFlowEvent } from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { describeErrors, invokeUntilAnswered, startFaultStack, UPDATES } from './fault-harness.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startFaultStack(3);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const message = Buffer.from(
  [
    'From: Ann <ann@partner.example>',
    'To: bob@corp.example',
    'Subject: notes',
    'Date: Tue, 24 Nov 2026 10:00:00 +0000',
    'Message-ID: <f4-midline@partner.example>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'See you tomorrow.', // no closing boundary, no final line break: as the sender's software wrote it
  ].join('\r\n'),
  'latin1',
);

describe('F39-4: a whole, announced-length message ending mid-line in an open multipart', () => {
  it('guard tag-external answers (repairs or skips the edit) instead of failing every retry', async () => {
    const id = stack.flow.load(message);
    const handler = guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: UPDATES });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const run = await invokeUntilAnswered(handler, event, 5);
    expect(run.answered, describeErrors(run.errors.slice(0, 1))).toBe(true);
  }, 60_000);
});
