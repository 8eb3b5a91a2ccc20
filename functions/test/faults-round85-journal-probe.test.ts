import { describe, expect, it } from 'vitest';
import { bigMessage, JOURNAL, stored } from './fault-harness.js';
import { type Act, pathOf } from './scripted-proxy.js';
import { day, S3_500 } from './ses-journal-clock.js';
import { workmailJournalClock } from './workmail-journal-clock.js';

// Fault round 85 (F85-2), on round 84's look for a copy filed before UTC midnight: the look is one HeadObject per key
// the date may have given an earlier attempt, and a HEAD that S3 (or what answers for it) refused — 403, 405, 501,
// a 503 past the SDK's retries — counted as "no copy there". A retry after midnight of an invocation whose copy had
// landed under the day before then filed a second copy under the new day: the message journaled twice, judged twice by
// `wmflow backtest`. A refused HEAD now asks the listing of that key (ListObjectsV2, the key as prefix) before the
// copy goes under the new day. What held is kept as guards: both refused (a role without s3:ListBucket: a second copy
// at worst, never a message unjournaled), a redirect (301: the invocation fails, retried), an {invocationId} template.
const clock = workmailJournalClock();
const { t, dated, journaled, described } = clock;
const invokeAt = (id: string, at: Date, env: Record<string, string> = {}, invocationId?: string) =>
  clock.invokeAt(id, at, { env, invocationId });
const isList = (url: string | undefined) => /[?&]list-type=2/.test(url ?? '');

/** The copy lands under the day before at 23:59:59 and its metadata fails: the invocation fails, to be retried. */
async function copyLandedBeforeMidnight(id: string, env: Record<string, string> = {}): Promise<void> {
  clock.decide = (req) =>
    req.method === 'PUT' && pathOf(req).endsWith(`/${id}.json`) ? S3_500 : { do: 'forward' };
  expect(await invokeAt(id, day(-1, '23:59:59.300'), env)).toMatch(/^error /);
}

const refused: [string, Act][] = [
  ['403 with no body (a HEAD refused)', { do: 'answer', status: 403, body: '' }],
  ['405 Method Not Allowed', { do: 'answer', status: 405, body: '' }],
  [
    '501 NotImplemented',
    {
      do: 'answer',
      status: 501,
      headers: { 'content-type': 'application/xml' },
      body: '<Error><Code>NotImplemented</Code><Message>HEAD is not implemented</Message></Error>',
    },
  ],
  ['503 SlowDown past the retries', { ...S3_500, status: 503 }],
];

describe('archiver: the HEAD of the day before refused, its listing answered (fault round 85)', () => {
  it.each(refused)(
    'F85-2: %s: the retry after midnight completes the copy filed before it, no second copy',
    async (what, act) => {
      const bytes = bigMessage(20_000, `f85-probe-${what.slice(0, 3)}`);
      const id = t.stack.flow.load(bytes);
      await copyLandedBeforeMidnight(id);
      const yesterday = `journal/inbound/${dated(day(-1, '12:00:00.000'))}/${id}`;
      clock.decide = (req) =>
        req.method === 'HEAD' && pathOf(req).endsWith(`/${yesterday}`) ? act : { do: 'forward' };
      expect(await invokeAt(id, day(0, '00:01:30.000'))).toBe('answered');
      expect(clock.requests.some((r) => r.startsWith(`HEAD /${JOURNAL}/${yesterday}`))).toBe(true);
      expect(await journaled(id)).toEqual([yesterday, `${yesterday}.json`]);
      await described(yesterday, bytes);
    },
    90_000,
  );

  it('held: HEAD and listing both refused (no s3:ListBucket): a second copy under the new day, both whole', async () => {
    const bytes = bigMessage(20_000, 'f85-probe-both');
    const id = t.stack.flow.load(bytes);
    await copyLandedBeforeMidnight(id);
    const yesterday = `journal/inbound/${dated(day(-1, '12:00:00.000'))}/${id}`;
    const today = `journal/inbound/${dated(day(0, '12:00:00.000'))}/${id}`;
    clock.decide = (req) =>
      (req.method === 'HEAD' && pathOf(req).endsWith(`/${yesterday}`)) ||
      (req.method === 'GET' && isList(req.url))
        ? { do: 'answer', status: 403, body: '' }
        : { do: 'forward' };
    expect(await invokeAt(id, day(0, '00:02:00.000'))).toBe('answered');
    expect(await journaled(id)).toEqual([yesterday, today, `${today}.json`].sort());
    expect((await stored(t.stack, JOURNAL, yesterday))?.equals(bytes)).toBe(true);
    await described(today, bytes);
  }, 90_000);

  it('held: a listing that names another key only (the key is a prefix of it): not taken for the copy', async () => {
    const bytes = bigMessage(20_000, 'f85-probe-prefix');
    const id = t.stack.flow.load(bytes);
    const yesterday = `journal/inbound/${dated(day(-1, '12:00:00.000'))}/${id}`;
    // Something under a longer key the listing of the key names first: a repaired copy's neighbour, a stray object.
    await t.stack.s3.send(
      new (await import('@aws-sdk/client-s3')).PutObjectCommand({
        Bucket: JOURNAL,
        Key: `${yesterday}-stray`,
        Body: 'stray',
      }),
    );
    clock.decide = (req) =>
      req.method === 'HEAD' && pathOf(req).endsWith(`/${yesterday}`)
        ? { do: 'answer', status: 403, body: '' }
        : { do: 'forward' };
    expect(await invokeAt(id, day(0, '00:03:00.000'))).toBe('answered');
    const today = `journal/inbound/${dated(day(0, '12:00:00.000'))}/${id}`;
    expect(await journaled(id)).toEqual([`${yesterday}-stray`, today, `${today}.json`].sort());
    await described(today, bytes);
  }, 90_000);

  it('held: a 301 (the bucket in another region): the invocation fails, nothing filed; the retry files one copy', async () => {
    const bytes = bigMessage(10_000, 'f85-probe-301');
    const id = t.stack.flow.load(bytes);
    const moved: Act = {
      do: 'answer',
      status: 301,
      headers: { 'content-type': 'application/xml', 'x-amz-bucket-region': 'eu-west-3' },
      body: '<Error><Code>PermanentRedirect</Code><Message>The bucket is in another region.</Message></Error>',
    };
    clock.decide = (req) => (pathOf(req).startsWith(`/${JOURNAL}`) ? moved : { do: 'forward' });
    expect(await invokeAt(id, day(0, '00:04:00.000'))).toMatch(/^error /);
    expect(await journaled(id)).toEqual([]);
    clock.decide = () => ({ do: 'forward' });
    expect(await invokeAt(id, day(0, '00:05:00.000'))).toBe('answered');
    const today = `journal/inbound/${dated(day(0, '12:00:00.000'))}/${id}`;
    expect(await journaled(id)).toEqual([today, `${today}.json`]);
    await described(today, bytes);
  }, 90_000);

  it('held: an {invocationId} hourly template: a retry 5 h 59 min later completes the copy of that hour', async () => {
    const bytes = bigMessage(10_000, 'f85-probe-invocation');
    const id = t.stack.flow.load(bytes);
    const env = { KEY_TEMPLATE: 'by-invocation/{yyyy}/{mm}/{dd}/{hh}/{invocationId}' };
    clock.decide = (req) =>
      req.method === 'PUT' && pathOf(req).endsWith('.json') && pathOf(req).includes('/by-invocation/')
        ? S3_500
        : { do: 'forward' };
    // WorkMail's retry carries the invocation id of the first attempt.
    const invocation = `f85inv${id.replaceAll('-', '').slice(0, 20)}`;
    expect(await invokeAt(id, day(-1, '07:59:59.900'), env, invocation)).toMatch(/^error /);
    const first = (await t.stack.listObjects(JOURNAL))
      .map((o) => o.key)
      .filter((k) => k.startsWith('by-invocation/'));
    expect(first).toHaveLength(1);
    clock.decide = () => ({ do: 'forward' });
    expect(await invokeAt(id, day(-1, '13:59:00.000'), env, invocation)).toBe('answered');
    const now = (await t.stack.listObjects(JOURNAL))
      .map((o) => o.key)
      .filter((k) => k.startsWith('by-invocation/'));
    expect(now.sort()).toEqual([first[0], `${first[0]}.json`]);
    await described(first[0] as string, bytes);
  }, 90_000);
});
