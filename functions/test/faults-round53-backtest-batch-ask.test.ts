import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchRunner } from '../../packages/local/src/backtest/batch.js';
import { batchClient, guardBatchInit } from '../../packages/local/test/backtest-helpers.js';
import { bigMessage, JOURNAL, UPDATES } from './fault-harness.js';
import { type Act, pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 53 (F53-7): a batch that ends before where its last message's `<key>.json` sorts asks the listing
// whether that metadata is there when its read finds nothing (F49-2). The answer was taken as it came: a 200 that is
// no listing (an empty body, an `<Error>` document followed by a line end, which the SDK parses as an empty result)
// said "not listed", and the copy was judged as journaled without metadata — a cut copy, without its size and
// SHA-256 check. The one-key listing's answer is now checked as the journal listing's pages are (IsTruncated, a
// KeyCount that is its keys); one that is not S3's fails the message's line, never judged unchecked.
const t = proxiedStack([JOURNAL, UPDATES]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const KEY = 'journal/inbound/2026/12/06/f53-7-0000';
const whole = bigMessage(20_000, 'f53-7');
const cut = whole.subarray(0, whole.indexOf('\r\n', 10_000) + 2);
const XML = { 'content-type': 'application/xml' };
const NO_SUCH_KEY =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>k</Key><RequestId>R</RequestId><HostId>H</HostId></Error>';

beforeAll(async () => {
  await t.stack.s3.send(new PutObjectCommand({ Bucket: JOURNAL, Key: KEY, Body: cut }));
  const metadata = {
    key: KEY,
    messageId: 'f53-7-0000',
    invocationId: 'i',
    direction: 'INBOUND',
    envelope: { mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] },
    verdictsSoFar: {},
    rulesFiredSoFar: [],
    sha256: sha(whole),
    size: whole.length,
  };
  await t.stack.s3.send(
    new PutObjectCommand({ Bucket: JOURNAL, Key: `${KEY}.json`, Body: JSON.stringify(metadata) }),
  );
});

const isListing = (url: string | undefined) => /[?&]list-type=2/.test(url ?? '');

/** The batch of the message alone (its metadata in the next batch), its metadata read answered 404 and its listing `listing`. */
async function batchWithListing(listing: Act): Promise<string[][]> {
  t.s3p.decide = (req) => {
    if (req.method === 'GET' && pathOf(req) === `/${JOURNAL}/${KEY}.json`)
      return { do: 'answer', status: 404, headers: XML, body: NO_SUCH_KEY };
    if (req.method === 'GET' && isListing(req.url)) return listing;
    return { do: 'forward' };
  };
  try {
    const run = batchRunner(batchClient(t.s3p.endpoint));
    const { lines } = await run({
      Items: [{ Key: KEY }],
      BatchInput: { bucket: JOURNAL, init: await guardBatchInit() },
    });
    return lines.map((l) => [l.key, l.candidate.error?.name ?? 'judged']);
  } catch (error) {
    return [[KEY, `batch failed: ${(error as Error).name}`]];
  } finally {
    t.s3p.decide = () => ({ do: 'forward' });
  }
}

describe('F53-7: the listing a batch asks about its next batch’s metadata is S3’s, or the copy is not judged', () => {
  it('control: the listing answered by S3 names the metadata: the copy is refused', async () => {
    expect(await batchWithListing({ do: 'forward' })).toEqual([[KEY, 'LocalStackError']]);
  }, 120_000);

  it.each([
    ['an empty 200', ''],
    [
      'an <Error> document and a line end in a 200',
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>x</Message></Error>\n',
    ],
    [
      'a page without IsTruncated or KeyCount',
      '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>journal-bucket</Name></ListBucketResult>',
    ],
  ])(
    '%s: the copy is not judged unchecked',
    async (_label, body) => {
      const got = await batchWithListing({ do: 'answer', status: 200, headers: XML, body });
      expect(got).toHaveLength(1);
      expect(got[0]?.[0]).toBe(KEY);
      expect(got[0]?.[1]).not.toBe('judged');
    },
    120_000,
  );
});
