import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeFlowEvent, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { guard } from '../guard/guard.js';
import { guardSes } from '../guard-ses/guard-ses.js';
import {
  assertJournalIntact,
  describeErrors,
  firstAction,
  invokeUntilAnswered,
  JOURNAL,
  UPDATES,
  withExe,
} from './fault-harness.js';
import { wiredStack } from './faults-round47-stack.js';
import { head } from './faults-round47-wire.js';

// Fault round 47: GetRawMessageContent answered 200 by something in between with a page of its own (a proxy's error
// page, a captive portal): not the message, nor any message. The guard must not decide on it (the executable in the
// real message would be delivered unchecked); the journal must not hold it as the message.
const t = wiredStack([JOURNAL, UPDATES]);

beforeEach(() => {
  t.s3w.shape = () => undefined;
  t.floww.shape = () => undefined;
});

const PAGES: Record<string, [string, string]> = {
  'an HTML error page': [
    'text/html',
    '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>\r\n',
  ],
  'a JSON error document': ['application/json', '{"message":"Internal server error"}'],
};

const page = (type: string, body: string, path?: string) => (req: { method?: string; url?: string }) =>
  req.method === 'GET' &&
  (path === undefined || decodeURIComponent((req.url ?? '').split('?')[0] ?? '') === path)
    ? Buffer.from(
        head(200, [
          ['Content-Type', type],
          ['Content-Length', String(Buffer.byteLength(body))],
        ]) + body,
      )
    : undefined;

describe('F47: the message answered 200 with a page that is no message', () => {
  it.each(Object.keys(PAGES))(
    'guard, %s: the executable in the real message is never let through',
    async (label) => {
      const bytes = withExe(100_000, `f47-page-g-${label}`);
      const id = t.stack.flow.load(bytes);
      const [type, body] = PAGES[label] as [string, string];
      t.floww.shape = page(type, body);
      const run = await invokeUntilAnswered(
        guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: UPDATES, TAG_EXTERNAL: 'false' }),
        makeFlowEvent({ messageId: id, mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] }),
        2,
      );
      expect(run.answered ? firstAction(run.response) : 'failed', describeErrors(run.errors)).not.toBe(
        'DEFAULT',
      );
    },
    60_000,
  );

  it.each(Object.keys(PAGES))(
    'archiver, %s: never journaled as the message',
    async (label) => {
      const bytes = withExe(100_000, `f47-page-a-${label}`);
      const id = t.stack.flow.load(bytes);
      const [type, body] = PAGES[label] as [string, string];
      t.floww.shape = page(type, body);
      const run = await invokeUntilAnswered(
        archiver({
          JOURNAL_BUCKET: JOURNAL,
          KEY_TEMPLATE: 'jn/{messageId}',
          ORGANIZATION_DOMAINS: 'corp.example',
        }),
        makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] }),
        2,
      );
      const { problems } = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
      expect(
        problems.filter((p) => p.includes(id)),
        `answered ${run.answered}; ${describeErrors(run.errors)}`,
      ).toEqual([]);
    },
    60_000,
  );
});

describe('F47: the SES stored message answered 200 with a page that is no message', () => {
  it.each(Object.keys(PAGES))(
    'guard-ses, %s: the executable is never let through (no CONTINUE)',
    async (label) => {
      const bytes = withExe(100_000, `f47-page-s-${label}`);
      const id = sesMessageId();
      await t.stack.s3.send(new PutObjectCommand({ Bucket: UPDATES, Key: `inbound/${id}`, Body: bytes }));
      t.stack.ses.receive(id);
      const [type, body] = PAGES[label] as [string, string];
      t.s3w.shape = page(type, body, `/${UPDATES}/inbound/${id}`);
      const handler = guardSes({
        STORED_BUCKET: UPDATES,
        STORED_KEY_PREFIX: 'inbound/',
        BOUNCE_SENDER: 'postmaster@corp.example',
        ORGANIZATION_DOMAINS: 'corp.example',
      });
      const outcome = await handler(
        makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }),
        lambdaContext(),
      ).then(
        (answer) => (answer as { disposition: string }).disposition,
        (error: Error) => `error ${error.name}`,
      );
      expect(outcome).not.toBe('CONTINUE');
    },
    60_000,
  );
});
