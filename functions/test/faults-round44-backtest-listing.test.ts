import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../packages/local/src/backtest/source.js';
import { bigMessage, JOURNAL, UPDATES } from './fault-harness.js';
import { proxiedStack } from './scripted-proxy.js';

// Fault round 44 (F44-5): the backtest's S3 listing took a ListObjectsV2 answer whose body is no listing (a 200 with
// an empty body from something in between) for a last, empty page: `Contents ?? []` and an undefined IsTruncated
// ended the listing without an error, so `wmflow backtest s3://…` judged none (or only the pages before) of the
// journal and reported a complete run. S3 answers every page with IsTruncated and KeyCount: such a page is refused.
const t = proxiedStack([JOURNAL, UPDATES]);
const KEYS = [
  'journal/inbound/2026/12/05/m1',
  'journal/inbound/2026/12/05/m2',
  'journal/inbound/2026/12/05/m3',
];
const isList = (url: string) => /[?&]list-type=2/.test(url);
const XML = { 'content-type': 'application/xml' };
const page = (inner: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${JOURNAL}</Name><Prefix>journal/</Prefix>${inner}</ListBucketResult>`;
const FIRST_OF_TWO = page(
  `<KeyCount>1</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>true</IsTruncated><NextContinuationToken>tok-2</NextContinuationToken><Contents><Key>${KEYS[0]}</Key><Size>2000</Size></Contents>`,
);

beforeAll(async () => {
  for (const [i, key] of KEYS.entries())
    await t.stack.s3.send(
      new PutObjectCommand({ Bucket: JOURNAL, Key: key, Body: bigMessage(2_000, `f44-5-${i}`) }),
    );
});

/** The keys the backtest source lists, or `refused: <why>` when the listing fails. */
async function listed(): Promise<string[] | string> {
  const s3 = new S3Client({
    endpoint: t.s3p.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    maxAttempts: 1,
  });
  const source = await openSource(`s3://${JOURNAL}/journal/`, { s3 });
  const keys: string[] = [];
  try {
    for await (const k of source.list()) keys.push(k);
    return keys;
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  } finally {
    await source.close();
  }
}

/** Answers the nth listing request (1-based) with `bodies[n - 1]`; later ones and other requests are forwarded. */
function listingAnswers(...bodies: string[]) {
  let lists = 0;
  t.s3p.decide = (req) => {
    if (!(req.method === 'GET' && isList(req.url ?? ''))) return { do: 'forward' };
    const body = bodies[lists++];
    return body === undefined ? { do: 'forward' } : { do: 'answer', status: 200, headers: XML, body };
  };
}

describe('F44-5: backtest s3:// listing, ListObjectsV2 answered 200 with a body that is no listing', () => {
  it('control: the listing as S3 answers it, and a real empty listing ends it', async () => {
    t.s3p.decide = () => ({ do: 'forward' });
    expect(await listed()).toEqual(KEYS);
    listingAnswers(page('<KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>'));
    expect(await listed()).toEqual([]);
  });

  it('first page answered with an empty body: the listing fails, never ends as if the journal were empty', async () => {
    listingAnswers('');
    expect(await listed()).toMatch(/^refused: .*not a ListObjectsV2 result/);
  });

  it('second page answered empty after a truncated first page: the listing fails, never ends early', async () => {
    listingAnswers(FIRST_OF_TWO, '');
    expect(await listed()).toMatch(/^refused: .*not a ListObjectsV2 result/);
  });

  it('a page without IsTruncated, or whose KeyCount is not its keys (garbled), is refused', async () => {
    listingAnswers(page(`<KeyCount>1</KeyCount><Contents><Key>${KEYS[0]}</Key><Size>2000</Size></Contents>`));
    expect(await listed()).toMatch(/^refused: /);
    listingAnswers(page('<KeyCount>3</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>'));
    expect(await listed()).toMatch(/^refused: /);
  });
});
