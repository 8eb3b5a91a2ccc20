import { describe, expect, it } from 'vitest';
import { bigMessage, JOURNAL, stored } from './fault-harness.js';
import { pathOf } from './scripted-proxy.js';
import { dated, day, S3_500, sesJournalClock } from './ses-journal-clock.js';

// Fault round 84 (F84-1) on archiver-ses: a `mail.timestamp` that is not a time, or far from the function's clock, is
// not trusted (round 82), and the copy is filed by the clock, as on WorkMail. Lambda's retry of an invocation whose copy
// landed and whose metadata failed, after UTC midnight, filed a second copy under the next day. Helpers in
// ses-journal-clock.ts: only `Date` is faked, the proxy dates each request by the process's clock.
const clock = sesJournalClock();
const { t, store, invokeAt } = clock;

describe('archiver-ses: an untrusted receipt time, a retry across midnight (fault round 84)', () => {
  it.each([
    ['not a time', 'not a time'],
    ['far past', '1999-01-01T00:00:00.000Z'],
  ])(
    '%s: the copy landed, its metadata failed at 23:59:59; the retry at 00:03 leaves one copy',
    async (n, received) => {
      const bytes = bigMessage(20_000, `f84-untrusted-${n}`);
      const id = await store(bytes);
      clock.decide = (req) =>
        req.method === 'PUT' && pathOf(req).endsWith(`/${id}.json`) ? S3_500 : { do: 'forward' };
      expect(await invokeAt(id, received, day(-1, '23:59:59.400'))).toMatch(/^error /);
      clock.decide = () => ({ do: 'forward' });
      expect(await invokeAt(id, received, day(0, '00:03:00.000'))).toBe('CONTINUE');
      const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(id));
      const key = `journal/inbound/${dated(day(-1, '12:00:00.000'))}/${id}`;
      expect(keys.sort()).toEqual([key, `${key}.json`]);
      expect((await stored(t.stack, JOURNAL, key))?.equals(bytes)).toBe(true);
    },
    90_000,
  );
});
