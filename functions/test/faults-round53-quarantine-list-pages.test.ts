import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../packages/local/src/index.js';
import { jsonLines, wmflow } from '../../packages/local/test/replay-helpers.js';
import { type Act, type ScriptedProxy, scriptedProxy } from './scripted-proxy.js';

// Fault round 53 (F53-6): `wmflow quarantine list` took every ListObjectsV2 answer for a page of the quarantine. A 200
// that is no listing (an empty body, an `<Error>` document followed by a line end, which the SDK parses as an empty
// result), a truncated page without a continuation token, or a page replayed with its token was the end of the
// listing: `wmflow quarantine: 0 message(s) under …`, exit 0, or the same messages twice. The operator reviewed an
// empty or partial quarantine as the whole, and what was not listed expires unreviewed (InboundExpirationDays) —
// mail lost without anyone seeing it. The listing now checks every page as the backtest's does (fault rounds 44, 45):
// such a page fails the command, exit 1.
const BUCKET = 'acme-inbound';
const message = (n: number) =>
  `From: ann@partner.example\r\nTo: bob@corp.example\r\nSubject: held ${n}\r\n\r\nbody ${n}\r\n`;
let stack: LocalStack;
let proxy: ScriptedProxy;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
  for (let n = 0; n < 5; n++)
    await stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `quarantine/m${n}`, Body: message(n) }));
  proxy = await scriptedProxy(stack.env.AWS_ENDPOINT_URL_S3 as string);
});
afterAll(async () => {
  await proxy.close();
  await stack.stop();
});

const isListing = (url: string | undefined) => /[?&]list-type=2/.test(url ?? '');
const XML = { 'content-type': 'application/xml' };
const page = (keys: string[], extra: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${BUCKET}</Name><Prefix>quarantine/</Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>1000</MaxKeys>${extra}${keys
    .map(
      (k) =>
        `<Contents><Key>${k}</Key><LastModified>2026-12-06T09:00:00.000Z</LastModified><ETag>&quot;x&quot;</ETag><Size>80</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join('')}</ListBucketResult>`;

async function listWith(decide: (url: string, n: number) => Act) {
  let n = 0;
  proxy.decide = (req) =>
    req.method === 'GET' && isListing(req.url) ? decide(req.url ?? '', n++) : { do: 'forward' };
  try {
    return await wmflow(['quarantine', 'list', `s3://${BUCKET}/quarantine/`, '--json'], {
      ...stack.env,
      AWS_ENDPOINT_URL_S3: proxy.endpoint,
      AWS_MAX_ATTEMPTS: '1',
    });
  } finally {
    proxy.decide = () => ({ do: 'forward' });
  }
}

describe('F53-6: wmflow quarantine list lists the whole quarantine, or fails', () => {
  it('control: every message, exit 0', async () => {
    const run = await listWith(() => ({ do: 'forward' }));
    expect(run.code, run.stderr).toBe(0);
    expect(jsonLines(run.stdout).map((m) => m.key)).toEqual([0, 1, 2, 3, 4].map((n) => `quarantine/m${n}`));
    expect(run.stderr).toBe(`wmflow quarantine: 5 message(s) under s3://${BUCKET}/quarantine/\n`);
  }, 60_000);

  it.each([
    ['an empty 200', { do: 'answer', status: 200, headers: XML, body: '' } as Act],
    [
      'an <Error> document and a line end in a 200',
      {
        do: 'answer',
        status: 200,
        headers: XML,
        body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>x</Message></Error>\n',
      } as Act,
    ],
    [
      'a truncated page without a continuation token',
      {
        do: 'answer',
        status: 200,
        headers: XML,
        body: page(['quarantine/m0', 'quarantine/m1'], '<IsTruncated>true</IsTruncated>'),
      } as Act,
    ],
    [
      'a page whose KeyCount is not its keys',
      {
        do: 'answer',
        status: 200,
        headers: XML,
        body: page(['quarantine/m0'], '<IsTruncated>false</IsTruncated>').replace(
          '<KeyCount>1</KeyCount>',
          '<KeyCount>5</KeyCount>',
        ),
      } as Act,
    ],
  ])(
    '%s: exit 1, no count of the whole',
    async (_label, fault) => {
      const run = await listWith(() => fault);
      expect(run.code).toBe(1);
      expect(run.stderr).not.toMatch(/message\(s\) under/);
      expect(run.stderr).toContain(`s3://${BUCKET}/quarantine/`);
    },
    60_000,
  );

  it('a page replayed with its continuation token: exit 1, not the same messages listed again', async () => {
    const run = await listWith((_url, n) => ({
      do: 'answer',
      status: 200,
      headers: XML,
      body:
        n < 3
          ? page(
              ['quarantine/m0', 'quarantine/m1'],
              '<IsTruncated>true</IsTruncated><NextContinuationToken>t1</NextContinuationToken>',
            )
          : page(['quarantine/m2', 'quarantine/m3', 'quarantine/m4'], '<IsTruncated>false</IsTruncated>'),
    }));
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(/message\(s\) under/);
  }, 60_000);

  it('a page that goes back (a key not after the last one listed): exit 1', async () => {
    const run = await listWith((url) =>
      url.includes('continuation-token')
        ? {
            do: 'answer',
            status: 200,
            headers: XML,
            body: page(['quarantine/m0'], '<IsTruncated>false</IsTruncated>'),
          }
        : {
            do: 'answer',
            status: 200,
            headers: XML,
            body: page(
              ['quarantine/m0', 'quarantine/m1'],
              '<IsTruncated>true</IsTruncated><NextContinuationToken>t1</NextContinuationToken>',
            ),
          },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(/message\(s\) under/);
  }, 60_000);
});
