import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { batchRunner } from '../../packages/local/src/backtest/batch.js';
import { readResultWriter } from '../../packages/local/src/backtest/remote.js';
import { batchClient, guardBatchInit } from '../../packages/local/test/backtest-helpers.js';
import { bigMessage, JOURNAL, UPDATES } from './fault-harness.js';
import { proxiedStack } from './scripted-proxy.js';

// Fault round 60 (F60-1): the Step Functions batch judged each item of its list, so a key the list named twice (a
// hand-made item list, an ItemReader manifest that repeats a row) was backtested twice: two lines for one message,
// the report's counts off by one each time. And of two different ETags given for the key, the last one listed was
// the one the read was tied to, the first silently dropped. Now a key is judged once; listed twice with two ETags,
// it is one failed line saying so (which listing is the message's, nothing tells), the rest of the batch judged.
// A batch that failed for good gave `wmflow backtest --remote` a failed line per item: a key named twice, two.
const t = proxiedStack([JOURNAL, UPDATES]);
const first = bigMessage(6_000, 'f60-1-first');
const second = bigMessage(6_000, 'f60-1-second');
const put = (Key: string, Body: Buffer | string) =>
  t.stack.s3.send(new PutObjectCommand({ Bucket: JOURNAL, Key, Body }));

async function listed(prefix: string) {
  const page = await t.stack.s3.send(new ListObjectsV2Command({ Bucket: JOURNAL, Prefix: prefix }));
  return (page.Contents ?? []).map((o) => ({ Key: o.Key as string, Etag: o.ETag, Size: o.Size }));
}

describe('F60-1: a batch whose item list names a key twice', () => {
  it('the same key and ETag twice: one line, judged once', async () => {
    await put('d1/a', first);
    await put('d1/b', first);
    const items = await listed('d1/');
    const Items = [items[0], items[0], items[1]].map((i) => ({ ...(i as (typeof items)[number]) }));
    const run = batchRunner(batchClient(t.s3p.endpoint));
    const { lines } = await run({ Items, BatchInput: { bucket: JOURNAL, init: await guardBatchInit() } });
    expect(lines.map((l) => [l.key, l.candidate.error?.name ?? 'judged'])).toEqual([
      ['d1/a', 'judged'],
      ['d1/b', 'judged'],
    ]);
  }, 120_000);

  it('the same key with two ETags: one failed line saying so, never judged against one of them', async () => {
    await put('d2/a', first);
    const [before] = await listed('d2/');
    await put('d2/a', second);
    const [after] = await listed('d2/');
    await put('d2/b', first);
    const b = (await listed('d2/b'))[0];
    const Items = [before, after, b].map((i) => ({ ...(i as NonNullable<typeof before>) }));
    const run = batchRunner(batchClient(t.s3p.endpoint));
    const { lines } = await run({ Items, BatchInput: { bucket: JOURNAL, init: await guardBatchInit() } });
    expect(lines.map((l) => [l.key, l.candidate.error?.name ?? 'judged'])).toEqual([
      ['d2/a', 'LocalStackError'],
      ['d2/b', 'judged'],
    ]);
    expect(lines[0]?.candidate.error?.message).toContain('listed twice');
  }, 120_000);
});

it('F60-1: a failed batch whose items name a key twice is one failed line for it in the report', async () => {
  const child = {
    Status: 'FAILED',
    Error: 'States.Timeout',
    Cause: 'the batch timed out',
    Input: JSON.stringify({ Items: [{ Key: 'x/a' }, { Key: 'x/a' }, { Key: 'x/a.json' }, { Key: 'x/b' }] }),
  };
  await put('r60/FAILED_0.json', JSON.stringify([child]));
  await put('r60/manifest.json', JSON.stringify({ ResultFiles: { FAILED: [{ Key: 'r60/FAILED_0.json' }] } }));
  const lines: string[][] = [];
  await readResultWriter(
    t.stack.s3,
    JSON.stringify({ ResultWriterDetails: { Bucket: JOURNAL, Key: 'r60/manifest.json' } }),
    async (l) => {
      lines.push([l.key, l.candidate.error?.name ?? 'judged']);
    },
  );
  expect(lines).toEqual([
    ['x/a', 'States.Timeout'],
    ['x/b', 'States.Timeout'],
  ]);
}, 60_000);
