import { describe, expect, it } from 'vitest';
import { bigMessage, JOURNAL, sha256, stored } from './fault-harness.js';
import { pathOf } from './scripted-proxy.js';
import { dated, day, S3_500, sesJournalClock } from './ses-journal-clock.js';

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
const clock = sesJournalClock();
const { t, store, invokeAt } = clock;

describe('archiver-ses: a retry across UTC midnight (fault round 82)', () => {
  it('F82-4: the copy landed, its metadata failed at 23:59:59; the retry at 00:01:30 leaves one copy and one metadata', async () => {
    const bytes = bigMessage(40_000, 'f82-midnight');
    const id = await store(bytes);
    const received = day(-1, '23:59:58.120');
    clock.decide = (req) =>
      req.method === 'PUT' && pathOf(req).endsWith(`/${id}.json`) ? S3_500 : { do: 'forward' };
    const first = await invokeAt(id, received.toISOString(), day(-1, '23:59:59.300'));
    expect(first).toMatch(/^error /);
    clock.decide = () => ({ do: 'forward' });
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
