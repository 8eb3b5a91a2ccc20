import { describe, expect, it } from 'vitest';
import { bigMessage, JOURNAL } from './fault-harness.js';
import { pathOf } from './scripted-proxy.js';
import { day, S3_500 } from './ses-journal-clock.js';
import { workmailJournalClock } from './workmail-journal-clock.js';

// Fault round 84 (F84-1): the WorkMail archiver files its copy under the invocation's UTC date (the default key template
// `journal/{direction}/{yyyy}/{mm}/{dd}/{messageId}`): a WorkMail event states no time. An invocation whose copy landed
// and whose metadata then failed (or whose answer was lost), retried by WorkMail (synchronous: until the rule timeout,
// up to 4 h) or by Lambda (asynchronous: events up to 6 h old) after UTC midnight, journaled the message a second time
// under the next day: two copies, two metadata objects, and `wmflow backtest` judging the message twice. The function's
// clock is faked per invocation (only `Date`; timers run), the proxy before the local S3 dates each request by it.
const clock = workmailJournalClock();
const { t, dated, journaled, described } = clock;
const invokeAt = (id: string, at: Date, env: Record<string, string> = {}, timeoutMs?: number) =>
  clock.invokeAt(id, at, { env, timeoutMs });

describe('archiver: a WorkMail retry across UTC midnight (fault round 84)', () => {
  it('F84-1: the copy landed, its metadata failed at 23:59:59; the retry at 00:01:30 leaves one copy and one metadata', async () => {
    const bytes = bigMessage(40_000, 'f84-midnight');
    const id = t.stack.flow.load(bytes);
    clock.decide = (req) =>
      req.method === 'PUT' && pathOf(req).endsWith(`/${id}.json`) ? S3_500 : { do: 'forward' };
    expect(await invokeAt(id, day(-1, '23:59:59.300'))).toMatch(/^error /);
    clock.decide = () => ({ do: 'forward' });
    expect(await invokeAt(id, day(0, '00:01:30.000'))).toBe('answered');
    const key = `journal/inbound/${dated(day(-1, '12:00:00.000'))}/${id}`;
    expect(await journaled(id)).toEqual([key, `${key}.json`]);
    await described(key, bytes);
  }, 90_000);

  it('F84-1: the metadata stored and its answer lost at 23:59:59; the retry hours later (asynchronous, throttled) files nothing new', async () => {
    const bytes = bigMessage(30_000, 'f84-midnight-lost');
    const id = t.stack.flow.load(bytes);
    clock.decide = (req) =>
      req.method === 'PUT' && pathOf(req).endsWith(`/${id}.json`)
        ? { do: 'apply-then-drop' }
        : { do: 'forward' };
    expect(await invokeAt(id, day(-1, '23:59:59.800'), { SYNCHRONOUS: 'false' })).toMatch(/^error /);
    clock.decide = () => ({ do: 'forward' });
    expect(await invokeAt(id, day(0, '05:30:00.000'), { SYNCHRONOUS: 'false' })).toBe('answered');
    const key = `journal/inbound/${dated(day(-1, '12:00:00.000'))}/${id}`;
    expect(await journaled(id)).toEqual([key, `${key}.json`]);
    await described(key, bytes);
  }, 90_000);

  it('F84-1: an hourly template, the metadata failed at 10:59:59, the retry at 11:02: one copy under 10h', async () => {
    const bytes = bigMessage(20_000, 'f84-hour');
    const id = t.stack.flow.load(bytes);
    const env = { KEY_TEMPLATE: 'hourly/{yyyy}/{mm}/{dd}/{hh}/{messageId}' };
    clock.decide = (req) =>
      req.method === 'PUT' && pathOf(req).endsWith(`/${id}.json`) ? S3_500 : { do: 'forward' };
    expect(await invokeAt(id, day(-1, '10:59:59.500'), env)).toMatch(/^error /);
    clock.decide = () => ({ do: 'forward' });
    expect(await invokeAt(id, day(-1, '11:02:00.000'), env)).toBe('answered');
    const key = `hourly/${dated(day(-1, '10:00:00.000'), true)}/${id}`;
    expect(await journaled(id)).toEqual([key, `${key}.json`]);
    await described(key, bytes);
  }, 90_000);

  it('held: a new message just after midnight goes under the new day; one in the afternoon asks S3 nothing more', async () => {
    const early = bigMessage(10_000, 'f84-new-day');
    const a = t.stack.flow.load(early);
    expect(await invokeAt(a, day(0, '00:00:00.200'))).toBe('answered');
    const key = `journal/inbound/${dated(day(0, '12:00:00.000'))}/${a}`;
    expect(await journaled(a)).toEqual([key, `${key}.json`]);
    await described(key, early);
    clock.paths.length = 0;
    const late = bigMessage(10_000, 'f84-afternoon');
    const b = t.stack.flow.load(late);
    expect(await invokeAt(b, day(-1, '14:00:00.000'))).toBe('answered');
    expect(clock.paths.filter((r) => !r.startsWith('PUT '))).toEqual([]);
  }, 90_000);

  it('held: the probe of the day before answered 503 past the retries: the copy still goes under the new day', async () => {
    const bytes = bigMessage(10_000, 'f84-probe-503');
    const id = t.stack.flow.load(bytes);
    const yesterday = `journal/inbound/${dated(day(-1, '12:00:00.000'))}/${id}`;
    clock.decide = (req) =>
      req.method !== 'PUT' && pathOf(req).endsWith(`/${yesterday}`)
        ? { ...S3_500, status: 503, body: S3_500.body.replace('InternalError', 'SlowDown') }
        : { do: 'forward' };
    expect(await invokeAt(id, day(0, '00:10:00.000'))).toBe('answered');
    expect(clock.paths).toContain(`HEAD /${JOURNAL}/${yesterday}`);
    const key = `journal/inbound/${dated(day(0, '12:00:00.000'))}/${id}`;
    expect(await journaled(id)).toEqual([key, `${key}.json`]);
    await described(key, bytes);
  }, 90_000);
});

describe('archiver: the probe of the day before answered by something in between (fault round 84, held)', () => {
  it('a bare 200 with no ETag is no copy: the message is filed under the new day, whole', async () => {
    const bytes = bigMessage(10_000, 'f84-probe-bare');
    const id = t.stack.flow.load(bytes);
    const yesterday = `journal/inbound/${dated(day(-1, '12:00:00.000'))}/${id}`;
    clock.decide = (req) =>
      req.method === 'HEAD' && pathOf(req).endsWith(`/${yesterday}`)
        ? { do: 'answer', status: 200, body: '' }
        : { do: 'forward' };
    expect(await invokeAt(id, day(0, '03:00:00.000'))).toBe('answered');
    expect(clock.paths).toContain(`HEAD /${JOURNAL}/${yesterday}`);
    const key = `journal/inbound/${dated(day(0, '12:00:00.000'))}/${id}`;
    expect(await journaled(id)).toEqual([key, `${key}.json`]);
    await described(key, bytes);
  }, 90_000);
});

describe('archiver: the Lambda’s deadline while the day before is probed (fault round 84)', () => {
  it('the probe hangs past the deadline: the invocation fails (retried), nothing journaled; the retry journals once', async () => {
    const bytes = bigMessage(10_000, 'f84-probe-hang');
    const id = t.stack.flow.load(bytes);
    const yesterday = `journal/inbound/${dated(day(-1, '12:00:00.000'))}/${id}`;
    clock.decide = (req) =>
      req.method === 'HEAD' && pathOf(req).endsWith(`/${yesterday}`) ? { do: 'hang' } : { do: 'forward' };
    expect(await invokeAt(id, day(0, '00:20:00.000'), { SYNCHRONOUS: 'false' }, 3_000)).toMatch(/^error /);
    expect(await journaled(id)).toEqual([]);
    clock.decide = () => ({ do: 'forward' });
    expect(await invokeAt(id, day(0, '00:22:00.000'), { SYNCHRONOUS: 'false' })).toBe('answered');
    const key = `journal/inbound/${dated(day(0, '12:00:00.000'))}/${id}`;
    expect(await journaled(id)).toEqual([key, `${key}.json`]);
    await described(key, bytes);
  }, 90_000);
});
