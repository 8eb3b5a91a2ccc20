import { describe, expect, it } from 'vitest';
import { bigMessage, JOURNAL, stored } from './fault-harness.js';
import { pathOf } from './scripted-proxy.js';
import { day, S3_500 } from './ses-journal-clock.js';
import { workmailJournalClock } from './workmail-journal-clock.js';

// Fault round 86, on the look for a copy filed before UTC midnight (rounds 84-85): answers to its HEAD that are no
// answer (a 200 stripped of its ETag, a connection dropped on every attempt), a probe held until the deadline, and a
// listing that is no listing. Asked: one copy (the earlier one completed), or the invocation failing so the retry
// completes it; never the copy lost, a second copy only where both looks were refused (documented).
const clock = workmailJournalClock();
const { t, dated, journaled, described } = clock;
const invokeAt = (
  id: string,
  at: Date,
  env: Record<string, string> = {},
  invocationId?: string,
  timeoutMs?: number,
) => clock.invokeAt(id, at, { env, invocationId, timeoutMs });
const isList = (url: string | undefined) => /[?&]list-type=2/.test(url ?? '');

/** The copy lands under the day before at 23:59:59 and its metadata fails: the invocation fails, to be retried. */
async function copyLandedBeforeMidnight(id: string, env: Record<string, string> = {}): Promise<void> {
  clock.decide = (req) =>
    req.method === 'PUT' && pathOf(req).endsWith(`/${id}.json`) ? S3_500 : { do: 'forward' };
  expect(await invokeAt(id, day(-1, '23:59:59.300'), env)).toMatch(/^error /);
}

describe("archiver: the look for the day before's copy, its answers lost or garbled (fault round 86)", () => {
  it('a HEAD answered 200 without an ETag (no answer): the listing is asked, the copy before midnight completed', async () => {
    const bytes = bigMessage(20_000, 'f86-probe-etagless');
    const id = t.stack.flow.load(bytes);
    await copyLandedBeforeMidnight(id);
    const yesterday = `journal/inbound/${dated(day(-1, '12:00:00.000'))}/${id}`;
    clock.decide = (req) =>
      req.method === 'HEAD' && pathOf(req).endsWith(`/${yesterday}`)
        ? { do: 'answer', status: 200, headers: { 'content-length': '0' }, body: '' }
        : { do: 'forward' };
    expect(await invokeAt(id, day(0, '00:01:30.000'))).toBe('answered');
    expect(await journaled(id)).toEqual([yesterday, `${yesterday}.json`]);
    await described(yesterday, bytes);
  }, 90_000);

  it("held: the HEAD's connection dropped on every attempt: the listing is asked, the copy completed", async () => {
    const bytes = bigMessage(20_000, 'f86-probe-dropped');
    const id = t.stack.flow.load(bytes);
    await copyLandedBeforeMidnight(id);
    const yesterday = `journal/inbound/${dated(day(-1, '12:00:00.000'))}/${id}`;
    clock.decide = (req) =>
      req.method === 'HEAD' && pathOf(req).endsWith(`/${yesterday}`)
        ? { do: 'apply-then-drop' }
        : { do: 'forward' };
    expect(await invokeAt(id, day(0, '00:02:30.000'))).toBe('answered');
    expect(await journaled(id)).toEqual([yesterday, `${yesterday}.json`]);
    await described(yesterday, bytes);
  }, 90_000);

  it('held: the HEAD held past the deadline: the invocation fails, nothing filed under the new day; the retry completes', async () => {
    const bytes = bigMessage(20_000, 'f86-probe-hang');
    const id = t.stack.flow.load(bytes);
    await copyLandedBeforeMidnight(id);
    const yesterday = `journal/inbound/${dated(day(-1, '12:00:00.000'))}/${id}`;
    clock.decide = (req) =>
      req.method === 'HEAD' && pathOf(req).endsWith(`/${yesterday}`) ? { do: 'hang' } : { do: 'forward' };
    expect(await invokeAt(id, day(0, '00:03:30.000'), {}, undefined, 4_000)).toMatch(/^error /);
    expect(await journaled(id)).toEqual([yesterday]);
    clock.decide = () => ({ do: 'forward' });
    expect(await invokeAt(id, day(0, '00:04:30.000'))).toBe('answered');
    expect(await journaled(id)).toEqual([yesterday, `${yesterday}.json`]);
    await described(yesterday, bytes);
  }, 90_000);

  it('held: HEAD refused and its listing a garbled 200: as both refused, a second copy, both whole', async () => {
    const bytes = bigMessage(20_000, 'f86-probe-garbled-list');
    const id = t.stack.flow.load(bytes);
    await copyLandedBeforeMidnight(id);
    const yesterday = `journal/inbound/${dated(day(-1, '12:00:00.000'))}/${id}`;
    const today = `journal/inbound/${dated(day(0, '12:00:00.000'))}/${id}`;
    clock.decide = (req) =>
      req.method === 'HEAD' && pathOf(req).endsWith(`/${yesterday}`)
        ? { do: 'answer', status: 403, body: '' }
        : req.method === 'GET' && isList(req.url)
          ? {
              do: 'answer',
              status: 200,
              headers: { 'content-type': 'application/xml' },
              body: '<ListBucketResult/>',
            }
          : { do: 'forward' };
    expect(await invokeAt(id, day(0, '00:05:30.000'))).toBe('answered');
    expect(await journaled(id)).toEqual([yesterday, today, `${today}.json`].sort());
    expect((await stored(t.stack, JOURNAL, yesterday))?.equals(bytes)).toBe(true);
    await described(today, bytes);
  }, 90_000);
});
