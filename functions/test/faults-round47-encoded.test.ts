import { gzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeFlowEvent, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { archiverSes } from '../archiver-ses/archiver-ses.js';
import { guard } from '../guard/guard.js';
import {
  assertJournalIntact,
  describeErrors,
  firstAction,
  invokeUntilAnswered,
  JOURNAL,
  sha256,
  stored,
  UPDATES,
  withExe,
} from './fault-harness.js';
import { wiredStack } from './faults-round47-stack.js';
import { head, plainHeaders } from './faults-round47-wire.js';

// F47-1: GetRawMessageContent answered with `Content-Encoding: gzip` (a proxy or gateway in between that
// compresses; the length is the compressed body's). Neither Node's client nor the SDK undoes it: the bytes read
// are not the message. The journal must not store them as the message; a guard must not decide on them.
const t = wiredStack([JOURNAL, UPDATES]);
const isGet = (method?: string) => method === 'GET';

beforeEach(() => {
  t.s3w.shape = () => undefined;
  t.floww.shape = () => undefined;
});

const gzipped =
  (encoding: string, path?: string) =>
  (
    req: { method?: string; url?: string },
    answer: { status: number; headers: Record<string, string>; body: Buffer },
  ) => {
    if (!isGet(req.method) || answer.status !== 200) return undefined;
    if (path !== undefined && decodeURIComponent((req.url ?? '').split('?')[0] ?? '') !== path)
      return undefined;
    const body = gzipSync(answer.body);
    return Buffer.concat([
      Buffer.from(
        head(200, [
          ...plainHeaders(answer),
          ['Content-Encoding', encoding],
          ['Content-Length', String(body.length)],
        ]),
      ),
      body,
    ]);
  };

describe('F47-1: the message answered gzip-encoded', () => {
  it('archiver: never journals the encoded bytes as the message', async () => {
    const bytes = withExe(300_000, 'f47-1-journal');
    const id = t.stack.flow.load(bytes);
    t.floww.shape = gzipped('gzip');
    const run = await invokeUntilAnswered(
      archiver({
        JOURNAL_BUCKET: JOURNAL,
        KEY_TEMPLATE: 'j1/{messageId}',
        ORGANIZATION_DOMAINS: 'corp.example',
      }),
      makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] }),
      3,
    );
    const { problems } = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
    expect(problems, `answered ${run.answered}; ${describeErrors(run.errors)}`).toEqual([]);
  }, 120_000);

  it('guard: an executable is never let through on the encoded bytes', async () => {
    const bytes = withExe(300_000, 'f47-1-guard');
    const id = t.stack.flow.load(bytes);
    t.floww.shape = gzipped('gzip');
    const run = await invokeUntilAnswered(
      guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: UPDATES, TAG_EXTERNAL: 'false' }),
      makeFlowEvent({ messageId: id, mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] }),
      3,
    );
    // Failing every attempt (WorkMail then applies the rule's fallback) or bouncing: never DEFAULT.
    expect(run.answered ? firstAction(run.response) : 'failed', describeErrors(run.errors)).not.toBe(
      'DEFAULT',
    );
  }, 120_000);
});

describe('F47-1: S3 answers a GetObject gzip-encoded', () => {
  it('archiver-ses: the stored message read so is never journaled as the message', async () => {
    const bytes = withExe(300_000, 'f47-1-ses');
    const id = sesMessageId();
    await t.stack.s3.send(new PutObjectCommand({ Bucket: UPDATES, Key: `inbound/${id}`, Body: bytes }));
    t.stack.ses.receive(id);
    t.s3w.shape = gzipped('gzip', `/${UPDATES}/inbound/${id}`);
    const handler = archiverSes({
      STORED_BUCKET: UPDATES,
      STORED_KEY_PREFIX: 'inbound/',
      ORGANIZATION_DOMAINS: 'corp.example',
      JOURNAL_BUCKET: JOURNAL,
      KEY_TEMPLATE: 'js/{messageId}',
    });
    const errors: Error[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      await handler(
        makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }),
        lambdaContext({ timeoutMs: 60_000 }),
      ).then(
        () => undefined,
        (error: Error) => errors.push(error),
      );
    }
    const { problems } = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
    expect(
      problems.filter((p) => p.includes(id)),
      describeErrors(errors),
    ).toEqual([]);
  }, 120_000);

  it('archiver retry: a read-back answered gzip-encoded is not a mismatch to repair', async () => {
    const bytes = withExe(300_000, 'f47-1-readback');
    const id = t.stack.flow.load(bytes);
    const key = `jr/${id}`;
    // The copy an earlier attempt journaled.
    await t.stack.s3.send(new PutObjectCommand({ Bucket: JOURNAL, Key: key, Body: bytes }));
    t.s3w.shape = gzipped('gzip', `/${JOURNAL}/${key}`);
    const run = await invokeUntilAnswered(
      archiver({
        JOURNAL_BUCKET: JOURNAL,
        KEY_TEMPLATE: 'jr/{messageId}',
        ORGANIZATION_DOMAINS: 'corp.example',
      }),
      makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] }),
      2,
    );
    const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(id));
    // No repair copy: the stored copy is the message.
    expect(
      keys.filter((k) => k.includes('.repaired-')),
      describeErrors(run.errors),
    ).toEqual([]);
    const copy = await stored(t.stack, JOURNAL, key);
    expect(copy && sha256(copy)).toBe(sha256(bytes));
  }, 120_000);
});

describe('F47-1b: the message answered 203 Non-Authoritative Information (a transforming proxy changed it)', () => {
  it('archiver: the transformed bytes are never journaled as the message', async () => {
    const bytes = withExe(300_000, 'f47-1b-journal');
    const id = t.stack.flow.load(bytes);
    t.floww.shape = (req, answer) => {
      if (!isGet(req.method) || answer.status !== 200) return undefined;
      // The proxy's change: a banner of its own in the text part.
      const body = Buffer.from(
        answer.body.toString('latin1').replace('Please find', '[scanned] Please find'),
        'latin1',
      );
      return Buffer.concat([
        Buffer.from(head(203, [...plainHeaders(answer), ['Content-Length', String(body.length)]])),
        body,
      ]);
    };
    const run = await invokeUntilAnswered(
      archiver({
        JOURNAL_BUCKET: JOURNAL,
        KEY_TEMPLATE: 'j3/{messageId}',
        ORGANIZATION_DOMAINS: 'corp.example',
      }),
      makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] }),
      3,
    );
    const { problems } = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
    expect(
      problems.filter((p) => p.includes(id)),
      `answered ${run.answered}; ${describeErrors(run.errors)}`,
    ).toEqual([]);
  }, 120_000);
});
