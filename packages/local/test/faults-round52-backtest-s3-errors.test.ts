import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScriptedProxy, scriptedProxy } from '../../../functions/test/scripted-proxy.js';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { ENV, run } from './backtest-helpers.js';

// Fault round 52 (F52-2): `wmflow backtest s3://…` printed the AWS SDK's stack trace when S3 refused the listing (no
// such bucket, access denied, SlowDown after the SDK's retries) or gave a page that is no listing: an operator read
// forty lines of `at de_…` frames instead of what went wrong. Now one line, as `wmflow quarantine` says it, exit 1.
const BUCKET = 'acme-journal';
let stack: LocalStack;
let proxy: ScriptedProxy;
const isList = (url: string | undefined) => /[?&]list-type=2/.test(url ?? '');
const XML = { 'content-type': 'application/xml' };

beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
  await stack.s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: 'journal/m1',
      Body: 'From: a@partner.example\r\nTo: b@corp.example\r\nSubject: hi\r\n\r\nhi\r\n',
    }),
  );
  proxy = await scriptedProxy(stack.env.AWS_ENDPOINT_URL_S3 as string);
}, 60_000);
afterAll(async () => {
  await proxy.close();
  await stack.stop();
});

/** `wmflow backtest <source> --function guard -j 1` reaching S3 through the proxy, one attempt a request. */
const backtest = (source: string) =>
  run(['backtest', source, '--function', 'guard', ...ENV, '-j', '1'], {
    ...stack.env,
    AWS_ENDPOINT_URL_S3: proxy.endpoint,
    AWS_MAX_ATTEMPTS: '1',
  });

describe('F52-2: wmflow backtest s3://… says in one line why S3 could not be listed', () => {
  it('no such bucket', async () => {
    proxy.decide = () => ({ do: 'forward' });
    const out = await backtest('s3://no-such-journal/journal/');
    expect([out.code, out.stdout, out.stderr]).toEqual([
      1,
      '',
      'wmflow backtest: s3://no-such-journal/journal/: no such bucket (NoSuchBucket)\n',
    ]);
  }, 60_000);

  it('throttled (SlowDown) past the retries', async () => {
    proxy.decide = (req) =>
      req.method === 'GET' && isList(req.url)
        ? {
            do: 'answer',
            status: 503,
            headers: XML,
            body: '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
          }
        : { do: 'forward' };
    const out = await backtest(`s3://${BUCKET}/journal/`);
    expect([out.code, out.stdout, out.stderr]).toEqual([
      1,
      '',
      `wmflow backtest: s3://${BUCKET}/journal/: SlowDown: Please reduce your request rate.\n`,
    ]);
  }, 60_000);

  it('access denied, with no error body (a HEAD-like bodiless 403)', async () => {
    proxy.decide = (req) =>
      req.method === 'GET' && isList(req.url) ? { do: 'answer', status: 403, body: '' } : { do: 'forward' };
    const out = await backtest(`s3://${BUCKET}/journal/`);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(`wmflow backtest: s3://${BUCKET}/journal/: access denied (HTTP 403)\n`);
  }, 60_000);

  it('a 200 that is no listing page', async () => {
    proxy.decide = (req) =>
      req.method === 'GET' && isList(req.url)
        ? { do: 'answer', status: 200, headers: XML, body: '' }
        : { do: 'forward' };
    const out = await backtest(`s3://${BUCKET}/journal/`);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(
      new RegExp(
        `^wmflow backtest: s3://${BUCKET}/journal/: a listing page is not a ListObjectsV2 result[^\\n]*\\n$`,
      ),
    );
  }, 60_000);
});
