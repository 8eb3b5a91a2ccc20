import { describe, expect, it } from 'vitest';
import { bigMessage, JOURNAL, sha256, stored } from './fault-harness.js';
import { day } from './ses-journal-clock.js';
import { workmailJournalClock } from './workmail-journal-clock.js';

// False-positive round 7 over fault round 84: within six hours after UTC midnight the WorkMail archiver first asks S3
// (HeadObject) for a copy an earlier attempt filed under the day before. Ordinary mail in that window is a brand-new
// message nearly always: one HEAD answered 404, then the copy and its metadata under the new day, and no note saying a
// retry was completed (an operator reading the log line must not take new mail for a retry).
const clock = workmailJournalClock();
const { t, dated } = clock;

// The invocation at `at` (only `Date` faked), with what it wrote to standard output (the log lines).
async function invokeAt(id: string, at: Date): Promise<{ result: string; log: string }> {
  const log: string[] = [];
  const result = await clock.invokeAt(id, at, { log });
  return { result, log: log.join('') };
}

describe('FP7 journal (fault round 84): a brand-new message just after UTC midnight', () => {
  for (const time of ['00:30:00.000', '05:59:00.000'])
    it(`at ${time}: one HEAD of the day before, then the copy and its metadata under the new day, no retry note`, async () => {
      const bytes = bigMessage(12_000, `fp7-new-${time}`);
      const id = t.stack.flow.load(bytes);
      const { result, log } = await invokeAt(id, day(0, time));
      expect(result).toBe('answered');
      const yesterday = `journal/inbound/${dated(day(-1, '12:00:00.000'))}/${id}`;
      const key = `journal/inbound/${dated(day(0, '12:00:00.000'))}/${id}`;
      const mine = clock.paths.filter((r) => r.includes(id));
      // One probe: the day before's key, nothing else asked (the SDK sends it again when the local S3's Date header,
      // the real clock, is hours from the faked one: its clock-skew correction, not the journal's).
      expect([...new Set(mine.filter((r) => !r.startsWith('PUT ')))]).toEqual([
        `HEAD /${JOURNAL}/${yesterday}`,
      ]);
      expect(mine.filter((r) => r.startsWith('PUT ')).map((r) => r.split('?')[0])).toEqual([
        `PUT /${JOURNAL}/${key}`,
        `PUT /${JOURNAL}/${key}.json`,
      ]);
      expect((await stored(t.stack, JOURNAL, key))?.equals(bytes)).toBe(true);
      const meta = JSON.parse(((await stored(t.stack, JOURNAL, `${key}.json`)) as Buffer).toString('utf8'));
      expect([meta.key, meta.sha256, meta.size]).toEqual([key, sha256(bytes), bytes.length]);
      expect(meta.repairs).toBeUndefined();
      expect(log).toContain(`journaled s3://${JOURNAL}/${key} `); // the log line was read
      expect(log).not.toMatch(/retry|before the date changed|could not look/i);
    }, 90_000);

  it('at 06:30 (past the window): no HEAD at all', async () => {
    const bytes = bigMessage(12_000, 'fp7-new-0630');
    const id = t.stack.flow.load(bytes);
    expect((await invokeAt(id, day(0, '06:30:00.000'))).result).toBe('answered');
    expect(clock.paths.filter((r) => r.includes(id) && !r.startsWith('PUT '))).toEqual([]);
  }, 90_000);
});
