import { PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchRunner } from '../../packages/local/src/backtest/batch.js';
import { batchClient, guardBatchInit } from '../../packages/local/test/backtest-helpers.js';
import { JOURNAL, UPDATES } from './fault-harness.js';
import { type Act, pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 53 (F53-9): a Step Functions batch that holds a `<key>.json` whose message is in no batch asks S3 with a
// HeadObject whether the message is there: when it is not, the message gets a failed line ("no message skipped
// unseen"). Any 200 to that HEAD was taken for "there" — a bodiless 200 from something in between, without the ETag
// S3 gives every object — and the batch said nothing: the message was never judged and never reported. A HEAD answer
// without an ETag is now not S3's (transient: the Map retries the batch, and on its last try the line is failed).
const t = proxiedStack([JOURNAL, UPDATES]);
const KEY = 'journal/inbound/2026/12/06/f53-9-0000';

beforeAll(async () => {
  // The metadata of a message that is gone.
  await t.stack.s3.send(
    new PutObjectCommand({
      Bucket: JOURNAL,
      Key: `${KEY}.json`,
      Body: JSON.stringify({
        key: KEY,
        direction: 'INBOUND',
        envelope: { mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] },
      }),
    }),
  );
});

async function orphanBatch(head: Act, retry?: { RetryCount: number; RetriesAllowed: number }) {
  t.s3p.decide = (req) =>
    req.method === 'HEAD' && pathOf(req) === `/${JOURNAL}/${KEY}` ? head : { do: 'forward' };
  try {
    const run = batchRunner(batchClient(t.s3p.endpoint));
    const { lines } = await run({
      Items: [{ Key: `${KEY}.json` }],
      BatchInput: { bucket: JOURNAL, init: await guardBatchInit() },
      ...retry,
    });
    return lines.map((l) => [l.key, l.candidate.error?.name ?? 'judged']);
  } catch (error) {
    return `batch failed: ${(error as Error).name}`;
  } finally {
    t.s3p.decide = () => ({ do: 'forward' });
  }
}

describe('F53-9: a message whose metadata alone is listed is reported, whatever answers the HEAD', () => {
  it('control: S3 answers 404: a failed line for the message', async () => {
    expect(await orphanBatch({ do: 'forward' })).toEqual([[KEY, 'LocalStackError']]);
  }, 120_000);

  it('a bodiless 200 without an ETag: not taken for the message being there', async () => {
    const got = await orphanBatch({
      do: 'answer',
      status: 200,
      headers: { 'content-length': '0' },
      body: '',
    });
    expect(got).not.toEqual([]);
    const last = await orphanBatch(
      { do: 'answer', status: 200, headers: { 'content-length': '0' }, body: '' },
      { RetryCount: 2, RetriesAllowed: 2 },
    );
    expect(last).toEqual([[KEY, 'TransientError']]);
  }, 120_000);
});
