import { PutObjectCommand } from '@aws-sdk/client-s3';
import { expect, it } from 'vitest';
import { readResultWriter } from '../../packages/local/src/backtest/remote.js';
import { JOURNAL, UPDATES } from './fault-harness.js';
import { proxiedStack } from './scripted-proxy.js';

// Fault round 61: round 60 made a Step Functions batch judge a key its item list names twice once. The Map cuts the
// listing into batches anywhere, so a key an ItemReader manifest repeats (an inventory row twice) may land in two
// batches: `wmflow backtest --remote` printed a line for each, the report's counts one too many; judged in one batch
// and failed in another, the message was both backtested and not. Now the report has one line a key: a judged line
// wins over a failed batch's; judged twice against two different ETags, one failed line says so.
const t = proxiedStack([JOURNAL, UPDATES]);
const put = (Key: string, Body: string) =>
  t.stack.s3.send(new PutObjectCommand({ Bucket: JOURNAL, Key, Body }));
const judged = (key: string) => ({ type: 'message', key, candidate: { verdicts: {} } });
const succeeded = (items: { Key: string; Etag?: string }[], lines: string[]) => ({
  Status: 'SUCCEEDED',
  Input: JSON.stringify({ Items: items }),
  Output: JSON.stringify({ lines: lines.map(judged) }),
});
const failed = (items: { Key: string; Etag?: string }[]) => ({
  Status: 'FAILED',
  Error: 'States.Timeout',
  Cause: 'the batch timed out',
  Input: JSON.stringify({ Items: items }),
});

async function report(prefix: string, files: Record<string, unknown[][]>): Promise<string[][]> {
  const manifest: Record<string, { Key: string }[]> = {};
  for (const [kind, children] of Object.entries(files)) {
    manifest[kind] = [];
    for (const [i, list] of children.entries()) {
      const Key = `${prefix}/${kind}_${i}.json`;
      await put(Key, JSON.stringify(list));
      manifest[kind].push({ Key });
    }
  }
  await put(`${prefix}/manifest.json`, JSON.stringify({ ResultFiles: manifest }));
  const lines: string[][] = [];
  await readResultWriter(
    t.stack.s3,
    JSON.stringify({ ResultWriterDetails: { Bucket: JOURNAL, Key: `${prefix}/manifest.json` } }),
    async (l) => {
      lines.push([l.key, l.candidate.error?.name ?? 'judged']);
    },
  );
  return lines.sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
}

it('F61: a key judged in two batches (two result files) is one line', async () => {
  const lines = await report('r61a', {
    SUCCEEDED: [
      [
        succeeded(
          [
            { Key: 'x/a', Etag: '"1"' },
            { Key: 'x/b', Etag: '"2"' },
          ],
          ['x/a', 'x/b'],
        ),
      ],
      [
        succeeded(
          [
            { Key: 'x/b', Etag: '"2"' },
            { Key: 'x/c', Etag: '"3"' },
          ],
          ['x/b', 'x/c'],
        ),
      ],
    ],
  });
  expect(lines).toEqual([
    ['x/a', 'judged'],
    ['x/b', 'judged'],
    ['x/c', 'judged'],
  ]);
}, 60_000);

it('F61: a key judged in one batch and in a failed one is its judged line alone', async () => {
  const lines = await report('r61b', {
    FAILED: [[failed([{ Key: 'y/a' }, { Key: 'y/b' }])]],
    SUCCEEDED: [[succeeded([{ Key: 'y/b' }, { Key: 'y/c' }], ['y/b', 'y/c'])]],
  });
  expect(lines).toEqual([
    ['y/a', 'States.Timeout'],
    ['y/b', 'judged'],
    ['y/c', 'judged'],
  ]);
}, 60_000);

it('F61: a key judged in two batches against two ETags is one failed line saying so', async () => {
  const lines = await report('r61c', {
    SUCCEEDED: [
      [
        succeeded([{ Key: 'z/a', Etag: '"1"' }], ['z/a']),
        succeeded([{ Key: 'z/a', Etag: '"9"' }, { Key: 'z/b' }], ['z/a', 'z/b']),
      ],
    ],
  });
  expect(lines).toEqual([
    ['z/a', 'LocalStackError'],
    ['z/b', 'judged'],
  ]);
}, 60_000);

it('F61 held: distinct keys over a failed and a succeeded batch, each one line', async () => {
  const lines = await report('r61d', {
    FAILED: [[failed([{ Key: 'w/a' }, { Key: 'w/a.json' }])]],
    SUCCEEDED: [[succeeded([{ Key: 'w/b' }], ['w/b'])]],
  });
  expect(lines).toEqual([
    ['w/a', 'States.Timeout'],
    ['w/b', 'judged'],
  ]);
}, 60_000);
