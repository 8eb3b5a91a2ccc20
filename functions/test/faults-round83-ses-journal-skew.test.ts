import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { archiverSes } from '../archiver-ses/archiver-ses.js';
import { bigMessage, JOURNAL, stored, UPDATES } from './fault-harness.js';
import { type Decide, pathOf, proxyBefore } from './scripted-proxy.js';

// Fault round 83 on round 82's journal dates (F82-4): archiver-ses files its copy by SES's `mail.timestamp` when it is
// within the day before the function's clock and at most 15 minutes after it. Probed here: the clocks of SES and of the
// function disagreeing by a little around UTC midnight (SES's a second ahead: the receipt time is already the next day
// while the function's is not), and the message received just before midnight by a function whose clock runs minutes
// behind. Each time, every delivery of the event files the one copy under SES's day. Helpers as round 82's file: only
// `Date` is faked, the proxy dates each request by the process's clock.
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

describe('archiver-ses: clock skew against mail.timestamp around midnight (fault round 83, held)', () => {
  it('SES a second ahead: received 00:00:00.400 by its clock, invoked at 23:59:59.700, retried at 00:02: one copy under the new day', async () => {
    const bytes = bigMessage(20_000, 'f83-skew-ahead');
    const id = await store(bytes);
    const received = day(0, '00:00:00.400');
    decide = (req) =>
      req.method === 'PUT' && pathOf(req).endsWith(`/${id}.json`) ? S3_500 : { do: 'forward' };
    expect(await invokeAt(id, received.toISOString(), day(-1, '23:59:59.700'))).toMatch(/^error /);
    decide = () => ({ do: 'forward' });
    expect(await invokeAt(id, received.toISOString(), day(0, '00:02:00.000'))).toBe('CONTINUE');
    const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(id));
    const key = `journal/inbound/${dated(received)}/${id}`;
    expect(keys.sort()).toEqual([key, `${key}.json`]);
    expect((await stored(t.stack, JOURNAL, key))?.equals(bytes)).toBe(true);
  }, 90_000);

  it('the function 14 minutes behind: received 23:59:50, invoked at 23:45:50 and again at 00:00:30 by its clock: one copy under the day SES received it', async () => {
    const bytes = bigMessage(20_000, 'f83-skew-behind');
    const id = await store(bytes);
    const received = day(-1, '23:59:50.000');
    expect(await invokeAt(id, received.toISOString(), day(-1, '23:45:50.000'))).toBe('CONTINUE');
    expect(await invokeAt(id, received.toISOString(), day(0, '00:00:30.000'))).toBe('CONTINUE');
    const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(id));
    const key = `journal/inbound/${dated(received)}/${id}`;
    expect(keys.sort()).toEqual([key, `${key}.json`]);
  }, 90_000);
});
