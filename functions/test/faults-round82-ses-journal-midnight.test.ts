import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { archiverSes } from '../archiver-ses/archiver-ses.js';
import { bigMessage, JOURNAL, sha256, stored, UPDATES } from './fault-harness.js';
import { type Decide, pathOf, proxyBefore } from './scripted-proxy.js';

// Fault round 82 (F82-4): archiver-ses filed its journal copy under the invocation's date (`{yyyy}/{mm}/{dd}` of the
// default key template), and runs as an `Event` invocation that Lambda retries (after about one and two minutes, later
// when throttled: an event may wait up to six hours) or delivers twice. An invocation whose copy landed and whose
// metadata then failed, retried after UTC midnight, journaled the message a second time under the next day: two
// identical copies, each with its own metadata, and `wmflow backtest` judging the message twice. SES states when it
// received the message (`mail.timestamp`), the same in every delivery of the event: the copy is filed by it now.
// The function's clock is set per invocation (only `Date` is faked; timers run), the local S3's with it (one process).
// The SDK corrects its clock by the answers' Date headers (Node's real clock), and the local S3 refuses a request dated
// more than 15 minutes off its own: the proxy before it dates each request by the process's clock (the local S3
// checks that a request is signed, not its signature).
const t = proxyBefore('S3', [JOURNAL, UPDATES]);
const PREFIX = 'inbound/';
let decide: Decide = () => ({ do: 'forward' });
beforeAll(() => {
  t.proxy.decide = (req, body) => {
    const now = new Date().toISOString();
    req.headers['x-amz-date'] = `${now.slice(0, 19).replace(/[-:]/g, '')}Z`;
    return decide(req, body);
  };
});
afterEach(() => {
  decide = () => ({ do: 'forward' });
  vi.useRealTimers();
});

const archiver = (extra: Record<string, string> = {}) =>
  archiverSes({
    STORED_BUCKET: UPDATES,
    STORED_KEY_PREFIX: PREFIX,
    ORGANIZATION_DOMAINS: 'corp.example',
    JOURNAL_BUCKET: JOURNAL,
    ...extra,
  });

async function store(bytes: Buffer): Promise<string> {
  const id = sesMessageId();
  await t.stack.s3.send(new PutObjectCommand({ Bucket: UPDATES, Key: `${PREFIX}${id}`, Body: bytes }));
  t.stack.ses.receive(id);
  return id;
}

/** One invocation of a fresh archiver-ses at `at` (the function's clock), for an event SES received at `received`. */
async function invokeAt(id: string, received: string, at: Date, extra?: Record<string, string>) {
  const event = makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] });
  for (const r of event.Records) r.ses.mail.timestamp = received;
  vi.useFakeTimers({ toFake: ['Date'], now: at });
  try {
    return await archiver(extra)(event, lambdaContext({ timeoutMs: 60_000 })).then(
      (answer) => (answer as { disposition: string }).disposition,
      (error: Error) => `error ${error.name}: ${error.message}`,
    );
  } finally {
    vi.useRealTimers();
  }
}

const day = (offset: number, time: string) => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + offset);
  return new Date(`${d.toISOString().slice(0, 10)}T${time}Z`);
};
const dated = (d: Date) => d.toISOString().slice(0, 10).replaceAll('-', '/');
const S3_500 = {
  do: 'answer' as const,
  status: 500,
  headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'F82JOURNAL0001' },
  body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error.</Message><RequestId>F82JOURNAL0001</RequestId></Error>',
};

describe('archiver-ses: a retry across UTC midnight (fault round 82)', () => {
  it('F82-4: the copy landed, its metadata failed at 23:59:59; the retry at 00:01:30 leaves one copy and one metadata', async () => {
    const bytes = bigMessage(40_000, 'f82-midnight');
    const id = await store(bytes);
    const received = day(-1, '23:59:58.120');
    decide = (req) =>
      req.method === 'PUT' && pathOf(req).endsWith(`/${id}.json`) ? S3_500 : { do: 'forward' };
    const first = await invokeAt(id, received.toISOString(), day(-1, '23:59:59.300'));
    expect(first).toMatch(/^error /);
    decide = () => ({ do: 'forward' });
    expect(await invokeAt(id, received.toISOString(), day(0, '00:01:30.000'))).toBe('CONTINUE');
    const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(id));
    const key = `journal/inbound/${dated(received)}/${id}`;
    expect(keys.sort()).toEqual([key, `${key}.json`]);
    expect((await stored(t.stack, JOURNAL, key))?.equals(bytes)).toBe(true);
    const meta = JSON.parse(((await stored(t.stack, JOURNAL, `${key}.json`)) as Buffer).toString('utf8'));
    expect([meta.key, meta.sha256, meta.size]).toEqual([key, sha256(bytes), bytes.length]);
  }, 90_000);

  it('F82-4: the same event delivered twice, either side of midnight: one copy', async () => {
    const bytes = bigMessage(30_000, 'f82-midnight-twice');
    const id = await store(bytes);
    const received = day(-1, '23:58:00.000');
    expect(await invokeAt(id, received.toISOString(), day(-1, '23:59:59.900'))).toBe('CONTINUE');
    expect(await invokeAt(id, received.toISOString(), day(0, '00:00:00.100'))).toBe('CONTINUE');
    const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(id));
    const key = `journal/inbound/${dated(received)}/${id}`;
    expect(keys.sort()).toEqual([key, `${key}.json`]);
  }, 90_000);

  it('held: an hourly key ({hh}) is filed by the hour SES received the message, not the retry’s', async () => {
    const bytes = bigMessage(20_000, 'f82-hour');
    const id = await store(bytes);
    const received = day(0, '00:59:59.000');
    const extra = { KEY_TEMPLATE: 'j82/{yyyy}{mm}{dd}{hh}/{messageId}' };
    expect(await invokeAt(id, received.toISOString(), day(0, '00:59:59.500'), extra)).toBe('CONTINUE');
    expect(await invokeAt(id, received.toISOString(), day(0, '01:02:00.000'), extra)).toBe('CONTINUE');
    const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(id));
    const hour = `${dated(received).replaceAll('/', '')}00`;
    expect(keys.sort()).toEqual([`j82/${hour}/${id}`, `j82/${hour}/${id}.json`]);
  }, 90_000);

  it('held: a receipt time that is not a time, or far from the clock, is not trusted: the copy is filed by the clock', async () => {
    for (const [n, received] of [
      ['garbage', 'not a time'],
      ['far future', '2999-01-01T00:00:00.000Z'],
      ['far past', '1999-01-01T00:00:00.000Z'],
    ] as const) {
      const bytes = bigMessage(10_000, `f82-untrusted-${n}`);
      const id = await store(bytes);
      const at = day(0, '12:00:00.000');
      const answer = await invokeAt(id, received, at);
      expect(answer, n).toBe('CONTINUE');
      const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(id));
      expect(keys.sort(), n).toEqual([
        `journal/inbound/${dated(at)}/${id}`,
        `journal/inbound/${dated(at)}/${id}.json`,
      ]);
    }
  }, 90_000);
});
