import type { IncomingMessage } from 'node:http';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import { bigMessage, describeErrors, firstAction, invoke, UPDATES, withExe } from './fault-harness.js';
import { type Act, type Decide, pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 54: PutRawMessageContent applied by WorkMail and its answer lost (the connection dropped on every SDK
// attempt), so commitUpdate reads the message back and the staged update as stored in S3 to tell whether it was
// applied. The read of the staged update answered by something in between with a status that is not S3's (a 304, a
// bodiless 404, a proxy's 403 page: no S3 error code) was taken for an answer about the update: the outcome was
// `unknown` and the invocation answered. The guard told to strip then BOUNCEd a message WorkMail already held
// stripped, where a retry reads it back and delivers it; outbound-policy answered for a disclaimer it could not
// tell was added. Such an answer says nothing about the object: the invocation fails, WorkMail retries.
const t = proxiedStack([UPDATES]);
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const isPutRaw = (req: IncomingMessage) => req.method === 'POST' && /^\/messages\//.test(req.url ?? '');
const isStagedRead = (req: IncomingMessage) => req.method === 'GET' && pathOf(req).startsWith(`/${UPDATES}/`);

/** Every PutRawMessageContent applied and unanswered, and the first few reads of the staged update answered `act`. */
function lostThenForeign(act: Act, reads = 3): { flow: Decide; s3: Decide } {
  let left = reads;
  return {
    flow: (req) => (isPutRaw(req) ? { do: 'apply-then-drop' } : { do: 'forward' }),
    s3: (req) => (isStagedRead(req) && left-- > 0 ? act : { do: 'forward' }),
  };
}

const ANSWERS: [string, Act][] = [
  ['404 with no body', { do: 'answer', status: 404, body: '' }],
  ['304 with no body', { do: 'answer', status: 304, body: '' }],
  [
    '403 with an HTML page',
    { do: 'answer', status: 403, headers: { 'content-type': 'text/html' }, body: '<html>Forbidden</html>' },
  ],
];

describe('F54-1: the staged update read after a lost PutRawMessageContent answer, answered by something in between', () => {
  it.each(ANSWERS)(
    'guard strip, %s: the invocation fails, and the retry delivers the message WorkMail holds stripped',
    async (label, act) => {
      const id = t.stack.flow.load(withExe(120_000, `f54-1-strip-${label}`));
      const faults = lostThenForeign(act);
      t.flowp.decide = faults.flow;
      t.s3p.decide = faults.s3;
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
      const first = await invoke(handler, event);
      t.flowp.decide = () => ({ do: 'forward' });
      t.s3p.decide = () => ({ do: 'forward' });
      const held = t.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
      // WorkMail applied the strip: the message it holds has no executable.
      expect(held.includes('run.exe')).toBe(false);
      // Never a bounce of a message WorkMail holds stripped: the invocation fails so WorkMail retries.
      expect(first.error, `answered ${JSON.stringify(first.response)}`).toBeDefined();
      expect(first.error?.name).toBe('TransientError');
      const retry = await invoke(handler, event);
      expect(firstAction(retry.response), describeErrors(retry.error ? [retry.error] : [])).toBe('DEFAULT');
    },
    60_000,
  );

  it.each(ANSWERS)(
    'outbound-policy, %s: the invocation fails rather than answer for a disclaimer it cannot tell was added',
    async (label, act) => {
      const id = t.stack.flow.load(bigMessage(60_000, `f54-1-out-${label}`));
      const faults = lostThenForeign(act);
      t.flowp.decide = faults.flow;
      t.s3p.decide = faults.s3;
      const handler = outboundPolicy({
        ORGANIZATION_DOMAINS: 'corp.example',
        UPDATES_BUCKET: UPDATES,
        DISCLAIMER_TEXT: 'Confidential.',
      });
      const event = makeFlowEvent({
        messageId: id,
        mailFrom: 'bob@corp.example',
        recipients: ['ann@partner.example'],
        direction: 'OUTBOUND',
      });
      const first = await invoke(handler, event);
      t.flowp.decide = () => ({ do: 'forward' });
      t.s3p.decide = () => ({ do: 'forward' });
      expect(first.error, `answered ${JSON.stringify(first.response)}`).toBeDefined();
      expect(first.error?.name).toBe('TransientError');
    },
    60_000,
  );
});
