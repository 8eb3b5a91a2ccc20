import { describe, expect, it } from 'vitest';
import { bigMessage, JOURNAL, stored } from './fault-harness.js';
import { pathOf } from './scripted-proxy.js';
import { dated, day, S3_500, sesJournalClock } from './ses-journal-clock.js';

// Fault round 83 on round 82's journal dates (F82-4): archiver-ses files its copy by SES's `mail.timestamp` when it is
// within the day before the function's clock and at most 15 minutes after it. Probed here: the clocks of SES and of the
// function disagreeing by a little around UTC midnight (SES's a second ahead: the receipt time is already the next day
// while the function's is not), and the message received just before midnight by a function whose clock runs minutes
// behind. Each time, every delivery of the event files the one copy under SES's day. Helpers in ses-journal-clock.ts: only
// `Date` is faked, the proxy dates each request by the process's clock.
const clock = sesJournalClock();
const { t, store, invokeAt } = clock;

describe('archiver-ses: clock skew against mail.timestamp around midnight (fault round 83, held)', () => {
  it('SES a second ahead: received 00:00:00.400 by its clock, invoked at 23:59:59.700, retried at 00:02: one copy under the new day', async () => {
    const bytes = bigMessage(20_000, 'f83-skew-ahead');
    const id = await store(bytes);
    const received = day(0, '00:00:00.400');
    clock.decide = (req) =>
      req.method === 'PUT' && pathOf(req).endsWith(`/${id}.json`) ? S3_500 : { do: 'forward' };
    expect(await invokeAt(id, received.toISOString(), day(-1, '23:59:59.700'))).toMatch(/^error /);
    clock.decide = () => ({ do: 'forward' });
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
