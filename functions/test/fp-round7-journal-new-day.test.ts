import { makeFlowEvent } from '@wmflow/core/testing';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { bigMessage, invoke, JOURNAL, sha256, stored } from './fault-harness.js';
import { type Decide, pathOf, proxyBefore } from './scripted-proxy.js';
import { day } from './ses-journal-clock.js';

// False-positive round 7 over fault round 84: within six hours after UTC midnight the WorkMail archiver first asks S3
// (HeadObject) for a copy an earlier attempt filed under the day before. Ordinary mail in that window is a brand-new
// message nearly always: one HEAD answered 404, then the copy and its metadata under the new day, and no note saying a
// retry was completed (an operator reading the log line must not take new mail for a retry).
const t = proxyBefore('S3', [JOURNAL]);
let decide: Decide = () => ({ do: 'forward' });
const requests: string[] = [];
beforeAll(() => {
  t.proxy.decide = (req, body) => {
    const now = new Date().toISOString();
    req.headers['x-amz-date'] = `${now.slice(0, 19).replace(/[-:]/g, '')}Z`;
    requests.push(`${req.method} ${pathOf(req)}`);
    return decide(req, body);
  };
});
afterEach(() => {
  decide = () => ({ do: 'forward' });
  requests.length = 0;
  vi.useRealTimers();
});

const dated = (d: Date) => d.toISOString().slice(0, 10).replaceAll('-', '/');

// The invocation at `at` (only `Date` faked), with what it wrote to standard output (the log lines).
async function invokeAt(id: string, at: Date): Promise<{ result: string; log: string }> {
  const written: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => written.push(String(chunk)) > 0) as typeof write;
  const level = process.env.POWERTOOLS_LOG_LEVEL;
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  vi.useFakeTimers({ toFake: ['Date'], now: at });
  try {
    const handler = archiver({
      JOURNAL_BUCKET: JOURNAL,
      ORGANIZATION_DOMAINS: 'corp.example',
      SYNCHRONOUS: 'true',
    });
    const event = makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] });
    const { error } = await invoke(handler, event);
    return { result: error ? `error ${error.name}: ${error.message}` : 'answered', log: written.join('') };
  } finally {
    vi.useRealTimers();
    process.stdout.write = write;
    process.env.POWERTOOLS_LOG_LEVEL = level;
  }
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
      const mine = requests.filter((r) => r.includes(id));
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
    expect(requests.filter((r) => r.includes(id) && !r.startsWith('PUT '))).toEqual([]);
  }, 90_000);
});
