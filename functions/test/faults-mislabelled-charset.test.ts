// Fault round 39 (session 30): a banner (or disclaimer) decoded the whole text part and re-encodes it as UTF-8: bytes that are not
// valid in the declared charset (Latin-1 text labelled utf-8, a common mislabel) became U+FFFD for good (now the body is left as it is). The
// original bytes are gone from the delivered message, where an unknown charset is left untouched by design.
import { makeFlowEvent } from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { firstAction, invoke, startFaultStack, UPDATES } from './fault-harness.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startFaultStack(3);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const message = Buffer.concat([
  Buffer.from(
    [
      'From: Ann <ann@partner.example>',
      'To: bob@corp.example',
      'Subject: menu',
      'Date: Tue, 24 Nov 2026 10:00:00 +0000',
      'Message-ID: <f5-charset@partner.example>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      'Caf',
    ].join('\r\n'),
    'latin1',
  ),
  Buffer.from([0xe9]), // Latin-1 é under a utf-8 label
  Buffer.from(' au lait\r\n', 'latin1'),
]);

describe('F39-5: a text part whose bytes are not valid in its declared charset', () => {
  it('guard banner: the delivered body keeps the original byte (or the edit is skipped), never U+FFFD', async () => {
    const id = stack.flow.load(message);
    const handler = guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: UPDATES });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const { response, error } = await invoke(handler, event);
    expect(error).toBeUndefined();
    expect(firstAction(response)).toBe('DEFAULT');
    const out = stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
    // The replacement character, quoted-printable encoded as UTF-8.
    expect(out.includes('Caf=EF=BF=BD'), out.slice(-300)).toBe(false);
  }, 30_000);
});
