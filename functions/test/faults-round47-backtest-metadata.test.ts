import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchRunner } from '../../packages/local/src/backtest/batch.js';
import { openSource } from '../../packages/local/src/backtest/source.js';
import { batchClient, guardBatchInit } from '../../packages/local/test/backtest-helpers.js';
import { bigMessage, JOURNAL, UPDATES } from './fault-harness.js';
import { pathOf, proxiedStack } from './scripted-proxy.js';

// F47-2: the backtest judges a copy against its `<key>.json` only when reading the metadata finds it: a 404 is taken
// for "journaled without metadata" and the check is skipped. The listing has just named `<key>.json`: a 404 for it
// now (something in between, the object deleted or expired meanwhile) contradicts the listing, and a cut copy beside
// it is judged as the message.
const t = proxiedStack([JOURNAL, UPDATES]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const KEY = 'journal/inbound/2026/12/05/f47-2-0000';
const whole = bigMessage(20_000, 'f47-2');
const cut = whole.subarray(0, whole.indexOf('\r\n', 10_000) + 2);
const NO_SUCH_KEY =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>k</Key><RequestId>R</RequestId><HostId>H</HostId></Error>';

beforeAll(async () => {
  const meta = JSON.stringify({
    key: KEY,
    messageId: 'f47-2-0000',
    invocationId: 'i',
    direction: 'INBOUND',
    envelope: { mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] },
    verdictsSoFar: {},
    rulesFiredSoFar: [],
    sha256: sha(whole),
    size: whole.length,
  });
  await t.stack.s3.send(new PutObjectCommand({ Bucket: JOURNAL, Key: KEY, Body: cut }));
  await t.stack.s3.send(new PutObjectCommand({ Bucket: JOURNAL, Key: `${KEY}.json`, Body: meta }));
});

const answer404 = () => {
  t.s3p.decide = (req) =>
    req.method === 'GET' && pathOf(req) === `/${JOURNAL}/${KEY}.json`
      ? { do: 'answer', status: 404, headers: { 'content-type': 'application/xml' }, body: NO_SUCH_KEY }
      : { do: 'forward' };
};

describe('F47-2: a listed metadata object answered 404', () => {
  it('the Step Functions batch, whose items name the metadata: a failed line, not a judged one', async () => {
    answer404();
    const init = await guardBatchInit();
    const { lines } = await batchRunner(batchClient(t.s3p.endpoint))({
      Items: [KEY, `${KEY}.json`].map((Key) => ({ Key })),
      BatchInput: { bucket: JOURNAL, init },
    });
    expect(lines.map((l) => [l.key, l.candidate.error?.name ?? 'judged'])).toEqual([
      [KEY, 'LocalStackError'],
    ]);
  }, 60_000);

  it('the cut copy beside it is refused, not judged without its check', async () => {
    answer404();
    const source = await openSource(`s3://${JOURNAL}/journal/`, { s3: batchClient(t.s3p.endpoint) });
    const outcomes: string[] = [];
    try {
      for await (const key of source.list()) {
        try {
          const item = await source.fetch(key);
          outcomes.push(`${key}: judged, metadata ${item.metadata ? 'checked' : 'none'}`);
          await source.release(item);
        } catch (error) {
          outcomes.push(`${key}: refused (${(error as Error).message})`);
        }
      }
    } finally {
      await source.close();
    }
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatch(/refused/);
  });
});
