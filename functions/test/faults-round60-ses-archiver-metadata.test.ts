import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { archiverSes } from '../archiver-ses/archiver-ses.js';
import { bigMessage, JOURNAL, sha256, stored, UPDATES } from './fault-harness.js';
import { type Act, pathOf, proxyBefore } from './scripted-proxy.js';

// Fault round 60 (held): archiver-ses's metadata object, written after the copy, fails while the copy has landed —
// a 503 on every try, a 200 that is an <Error> document without an ETag, a PutObject carried out whose answer is
// lost. The invocation fails (nothing reports "journaled" early), and the retry finds the copy, verifies it, and
// writes the metadata: exactly one copy, one metadata describing it, no `.repaired-` key.
const t = proxyBefore('S3', [JOURNAL, UPDATES]);
const PREFIX = 'inbound/';
afterEach(() => {
  t.proxy.decide = () => ({ do: 'forward' });
});

const archiver = () =>
  archiverSes({
    STORED_BUCKET: UPDATES,
    STORED_KEY_PREFIX: PREFIX,
    ORGANIZATION_DOMAINS: 'corp.example',
    JOURNAL_BUCKET: JOURNAL,
    KEY_TEMPLATE: 'j60/{messageId}',
  });

async function store(bytes: Buffer): Promise<string> {
  const id = sesMessageId();
  await t.stack.s3.send(new PutObjectCommand({ Bucket: UPDATES, Key: `${PREFIX}${id}`, Body: bytes }));
  t.stack.ses.receive(id);
  return id;
}

async function outcome(id: string) {
  const event = makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] });
  return archiver()(event, lambdaContext({ timeoutMs: 30_000 })).then(
    (answer) => (answer as { disposition: string }).disposition,
    (error: Error) => `error ${error.name}: ${error.message}`,
  );
}

const isMetadataPut = (req: { method?: string; url?: string }, id: string) =>
  req.method === 'PUT' && pathOf(req as never).endsWith(`/j60/${id}.json`);

const failures: [string, Act][] = [
  ['a 503 on every try', { do: 'answer', status: 503, body: '<Error><Code>SlowDown</Code></Error>' }],
  [
    'a 200 that is an <Error> document, no ETag',
    {
      do: 'answer',
      status: 200,
      headers: { 'content-type': 'application/xml' },
      body: '<?xml version="1.0"?><Error><Code>InternalError</Code><Message>x</Message></Error>',
    },
  ],
  ['carried out, its answer lost', { do: 'apply-then-drop' }],
];

describe('F60 held: archiver-ses, the metadata PUT failing after the copy landed', () => {
  for (const [name, act] of failures) {
    it(`${name}: the invocation fails; the retry leaves one copy and one metadata`, async () => {
      const bytes = bigMessage(40_000, `f60-meta-${name.length}`);
      const id = await store(bytes);
      t.proxy.decide = (req) => (isMetadataPut(req, id) ? act : { do: 'forward' });
      const first = await outcome(id);
      // A PutObject carried out whose every answer was lost: the SDK's retry finds it (412), which is success.
      if (act.do !== 'apply-then-drop') expect(first).toMatch(/^error /);
      t.proxy.decide = () => ({ do: 'forward' });
      expect(await outcome(id)).toBe('CONTINUE');
      const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(id));
      expect(keys.sort()).toEqual([`j60/${id}`, `j60/${id}.json`]);
      expect((await stored(t.stack, JOURNAL, `j60/${id}`))?.equals(bytes)).toBe(true);
      const meta = JSON.parse(
        ((await stored(t.stack, JOURNAL, `j60/${id}.json`)) as Buffer).toString('utf8'),
      ) as { sha256: string; size: number; key: string };
      expect([meta.key, meta.sha256, meta.size]).toEqual([`j60/${id}`, sha256(bytes), bytes.length]);
    }, 90_000);
  }
});

const isCopyPut = (req: { method?: string; url?: string }, id: string) =>
  req.method === 'PUT' && pathOf(req as never).endsWith(`/j60/${id}`);
const errorDocument = '<?xml version="1.0"?><Error><Code>InternalError</Code><Message>x</Message></Error>';

describe('F60 held: archiver-ses, the copy itself answered 200 with an <Error> document', () => {
  for (const applied of [false, true]) {
    it(`${applied ? 'stored, then' : 'not stored,'} answered 200 <Error>: fails; the retry leaves one copy`, async () => {
      const bytes = bigMessage(40_000, `f60-copy-${applied}`);
      const id = await store(bytes);
      const act: Act = applied
        ? {
            do: 'apply-then-answer',
            status: 200,
            headers: { 'content-type': 'application/xml' },
            body: errorDocument,
          }
        : { do: 'answer', status: 200, headers: { 'content-type': 'application/xml' }, body: errorDocument };
      t.proxy.decide = (req) => (isCopyPut(req, id) ? act : { do: 'forward' });
      expect(await outcome(id)).toMatch(/^error /);
      expect(await stored(t.stack, JOURNAL, `j60/${id}.json`)).toBeUndefined();
      t.proxy.decide = () => ({ do: 'forward' });
      expect(await outcome(id)).toBe('CONTINUE');
      const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(id));
      expect(keys.sort()).toEqual([`j60/${id}`, `j60/${id}.json`]);
      expect((await stored(t.stack, JOURNAL, `j60/${id}`))?.equals(bytes)).toBe(true);
    }, 90_000);
  }
});
