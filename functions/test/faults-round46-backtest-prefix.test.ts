import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../packages/local/src/backtest/source.js';
import { bigMessage, JOURNAL, UPDATES } from './fault-harness.js';
import { proxiedStack } from './scripted-proxy.js';

// F46-4: the listing check makes keys rise, but not stay under the prefix asked for. A page answered for another
// listing (a cache keyed without the query string, a proxy mixing requests) whose keys lie after the last one
// listed passes, and the backtest of s3://bucket/journal/ judges messages outside it: totals that look whole
// and count other mail. S3 only lists keys that start with the Prefix.
const t = proxiedStack([JOURNAL, UPDATES]);
const isList = (url: string) => /[?&]list-type=2/.test(url);
const XML = { 'content-type': 'application/xml' };
const page = (inner: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${JOURNAL}</Name><Prefix>journal/</Prefix>${inner}</ListBucketResult>`;

beforeAll(async () => {
  await t.stack.s3.send(
    new PutObjectCommand({ Bucket: JOURNAL, Key: 'journal/m1', Body: bigMessage(2_000, 'f46-4-a') }),
  );
  await t.stack.s3.send(
    new PutObjectCommand({ Bucket: JOURNAL, Key: 'other/m9', Body: bigMessage(2_000, 'f46-4-b') }),
  );
});

describe('F46-4: a listing page with a key outside the prefix', () => {
  it('is refused, not listed', async () => {
    t.s3p.decide = (req) => {
      if (!(req.method === 'GET' && isList(req.url ?? ''))) return { do: 'forward' };
      const token = new URL(req.url ?? '', 'http://x').searchParams.get('continuation-token');
      const body = token
        ? page(
            '<KeyCount>1</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated><Contents><Key>other/m9</Key><Size>2000</Size></Contents>',
          )
        : page(
            '<KeyCount>1</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>true</IsTruncated><NextContinuationToken>t1</NextContinuationToken><Contents><Key>journal/m1</Key><Size>2000</Size></Contents>',
          );
      return { do: 'answer', status: 200, headers: XML, body };
    };
    const s3 = new S3Client({
      endpoint: t.s3p.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      maxAttempts: 1,
    });
    const source = await openSource(`s3://${JOURNAL}/journal/`, { s3 });
    const keys: string[] = [];
    let outcome: string[] | string;
    try {
      for await (const k of source.list()) keys.push(k);
      outcome = keys;
    } catch (error) {
      outcome = `refused: ${(error as Error).message}`;
    } finally {
      await source.close();
    }
    // Refused, or at least never given to be judged.
    expect(typeof outcome === 'string' ? [] : outcome, JSON.stringify(outcome)).not.toContain('other/m9');
  });
});
