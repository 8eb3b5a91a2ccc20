import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchRunner } from '../../packages/local/src/backtest/batch.js';
import { batchClient, guardBatchInit } from '../../packages/local/test/backtest-helpers.js';
import { bigMessage, JOURNAL, UPDATES } from './fault-harness.js';
import { pathOf, proxiedStack } from './scripted-proxy.js';

// F49-2: the Step Functions batch refuses a copy whose `<key>.json` its items name but whose read finds nothing (F47-2).
// The Distributed Map cuts the listing into batches wherever the count falls: a message key can end one batch and its
// `<key>.json` begin the next (about one message in 50 with the default batch size). The first batch did not know the
// metadata was listed, took the 404 (something in between, the object gone meanwhile) for "journaled without
// metadata" and judged the copy without its size and SHA-256 check: a cut copy was backtested as the message; the
// second batch saw the message exists and said nothing. A batch that ends before where `<key>.json` would be now asks
// the listing whether it is there.
const t = proxiedStack([JOURNAL, UPDATES]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const KEY = 'journal/inbound/2026/12/05/f49-2-0000';
const OTHER = 'journal/inbound/2026/12/05/f49-2-0001';
const whole = bigMessage(20_000, 'f49-2');
const cut = whole.subarray(0, whole.indexOf('\r\n', 10_000) + 2);
const NO_SUCH_KEY =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>k</Key><RequestId>R</RequestId><HostId>H</HostId></Error>';

const metadataOf = (key: string, body: Buffer) =>
  JSON.stringify({
    key,
    messageId: key.split('/').at(-1),
    invocationId: 'i',
    direction: 'INBOUND',
    envelope: { mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] },
    verdictsSoFar: {},
    rulesFiredSoFar: [],
    sha256: sha(body),
    size: body.length,
  });

beforeAll(async () => {
  await t.stack.s3.send(new PutObjectCommand({ Bucket: JOURNAL, Key: KEY, Body: cut }));
  await t.stack.s3.send(
    new PutObjectCommand({ Bucket: JOURNAL, Key: `${KEY}.json`, Body: metadataOf(KEY, whole) }),
  );
  // A message journaled without metadata: judged unchecked, as before.
  await t.stack.s3.send(new PutObjectCommand({ Bucket: JOURNAL, Key: OTHER, Body: whole }));
});

describe('F49-2: a batch ends between a message and its listed metadata, whose read answers 404', () => {
  it('the copy is refused (a failed line), not judged without its check; the next batch adds nothing', async () => {
    t.s3p.decide = (req) =>
      req.method === 'GET' && pathOf(req) === `/${JOURNAL}/${KEY}.json`
        ? { do: 'answer', status: 404, headers: { 'content-type': 'application/xml' }, body: NO_SUCH_KEY }
        : { do: 'forward' };
    try {
      const run = batchRunner(batchClient(t.s3p.endpoint));
      const BatchInput = { bucket: JOURNAL, init: await guardBatchInit() };
      const first = await run({ Items: [{ Key: KEY }], BatchInput });
      const second = await run({ Items: [{ Key: `${KEY}.json` }, { Key: OTHER }], BatchInput });
      const lines = [...first.lines, ...second.lines].map((l) => [
        l.key,
        l.candidate.error?.name ?? 'judged',
      ]);
      expect(lines).toEqual([
        [KEY, 'LocalStackError'],
        [OTHER, 'judged'],
      ]);
    } finally {
      t.s3p.decide = () => ({ do: 'forward' });
    }
  }, 120_000);

  it('control: a message journaled without metadata, ending its batch, is still judged', async () => {
    const run = batchRunner(batchClient(t.s3p.endpoint));
    const { lines } = await run({
      Items: [{ Key: OTHER }],
      BatchInput: { bucket: JOURNAL, init: await guardBatchInit() },
    });
    expect(lines.map((l) => [l.key, l.candidate.error?.name ?? 'judged', l.envelope])).toEqual([
      [OTHER, 'judged', 'derived'],
    ]);
  }, 120_000);
});
