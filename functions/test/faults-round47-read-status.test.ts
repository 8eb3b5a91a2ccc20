import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeFlowEvent, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { guard } from '../guard/guard.js';
import { guardSes } from '../guard-ses/guard-ses.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import {
  assertJournalIntact,
  bigMessage,
  describeErrors,
  firstAction,
  invokeUntilAnswered,
  JOURNAL,
  UPDATES,
} from './fault-harness.js';
import { type Act, pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 47: the first GetRawMessageContent answered by something in between with a status that says nothing
// about the message (no WorkMail error type). A clean message must still be delivered once a retry reads it: never
// bounced or dropped on an answer that was not WorkMail's.
const t = proxiedStack([JOURNAL, UPDATES]);

beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const ANSWERS: [string, Act][] = [
  ['304 with no body', { do: 'answer', status: 304, body: '' }],
  ['404 with no body', { do: 'answer', status: 404, body: '' }],
  [
    '400 with an HTML page',
    { do: 'answer', status: 400, headers: { 'content-type': 'text/html' }, body: '<html>Bad Request</html>' },
  ],
  [
    '403 with an HTML page',
    { do: 'answer', status: 403, headers: { 'content-type': 'text/html' }, body: '<html>Forbidden</html>' },
  ],
  [
    '407 proxy authentication',
    { do: 'answer', status: 407, headers: { 'proxy-authenticate': 'Basic' }, body: '' },
  ],
  ['301 to elsewhere', { do: 'answer', status: 301, headers: { location: 'http://127.0.0.1:9/' }, body: '' }],
  ['429 with no error type', { do: 'answer', status: 429, body: '' }],
];

function firstGet(act: Act) {
  let left = 3; // the direct GET and the SDK's attempts
  return (req: { method?: string }) =>
    req.method === 'GET' && left-- > 0 ? act : ({ do: 'forward' } as const);
}

describe('F47: the message read answered with a status that is not WorkMail’s', () => {
  it.each(ANSWERS)(
    'guard, %s: a clean message is delivered after the retry',
    async (_label, act) => {
      const bytes = bigMessage(50_000, `f47-status-g-${_label}`);
      const id = t.stack.flow.load(bytes);
      t.flowp.decide = firstGet(act);
      const run = await invokeUntilAnswered(
        guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: UPDATES }),
        makeFlowEvent({ messageId: id, mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] }),
        4,
      );
      expect(
        firstAction(run.response),
        `${JSON.stringify(run.response)}; ${describeErrors(run.errors)}`,
      ).toBe('DEFAULT');
    },
    60_000,
  );

  it.each(ANSWERS)(
    'outbound-policy, %s: a clean message is sent after the retry',
    async (_label, act) => {
      const bytes = bigMessage(50_000, `f47-status-o-${_label}`);
      const id = t.stack.flow.load(bytes);
      t.flowp.decide = firstGet(act);
      const run = await invokeUntilAnswered(
        outboundPolicy({
          ORGANIZATION_DOMAINS: 'corp.example',
          UPDATES_BUCKET: UPDATES,
          DISCLAIMER_TEXT: 'Confidential.',
        }),
        makeFlowEvent({
          messageId: id,
          direction: 'OUTBOUND',
          mailFrom: 'dan@corp.example',
          recipients: ['orders@shop.example'],
        }),
        4,
      );
      expect(
        firstAction(run.response),
        `${JSON.stringify(run.response)}; ${describeErrors(run.errors)}`,
      ).toBe('DEFAULT');
    },
    60_000,
  );

  it.each(ANSWERS)(
    'archiver, %s: journaled whole after the retry',
    async (_label, act) => {
      const bytes = bigMessage(50_000, `f47-status-a-${_label}`);
      const id = t.stack.flow.load(bytes);
      t.flowp.decide = firstGet(act);
      const run = await invokeUntilAnswered(
        archiver({
          JOURNAL_BUCKET: JOURNAL,
          KEY_TEMPLATE: 'js/{messageId}',
          ORGANIZATION_DOMAINS: 'corp.example',
        }),
        makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] }),
        4,
      );
      const { problems, copies } = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
      expect(
        problems.filter((p) => p.includes(id)),
        describeErrors(run.errors),
      ).toEqual([]);
      expect(
        copies.filter((k) => k.includes(id)),
        describeErrors(run.errors),
      ).toHaveLength(1);
    },
    60_000,
  );
});

describe('F47: the SES stored message read answered with a status that is not S3’s', () => {
  it.each(ANSWERS)(
    'guard-ses, %s: a clean message goes on after the retry, never bounced',
    async (label, act) => {
      const bytes = bigMessage(50_000, `f47-status-s-${label}`);
      const id = sesMessageId();
      await t.stack.s3.send(new PutObjectCommand({ Bucket: UPDATES, Key: `inbound/${id}`, Body: bytes }));
      t.stack.ses.receive(id);
      let left = 3;
      t.s3p.decide = (req) =>
        req.method === 'GET' && pathOf(req) === `/${UPDATES}/inbound/${id}` && left-- > 0
          ? act
          : { do: 'forward' };
      const handler = guardSes({
        STORED_BUCKET: UPDATES,
        STORED_KEY_PREFIX: 'inbound/',
        BOUNCE_SENDER: 'postmaster@corp.example',
        ORGANIZATION_DOMAINS: 'corp.example',
      });
      const outcomes: string[] = [];
      for (let attempt = 0; attempt < 4 && outcomes.at(-1) !== 'CONTINUE'; attempt++)
        outcomes.push(
          await handler(
            makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }),
            lambdaContext(),
          ).then(
            (answer) => (answer as { disposition: string }).disposition,
            (error: Error) => `error ${error.name}`,
          ),
        );
      expect(t.stack.ses.bounces(id), outcomes.join(', ')).toHaveLength(0);
      expect(outcomes.at(-1), outcomes.join(', ')).toBe('CONTINUE');
    },
    60_000,
  );
});
