import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../packages/local/src/index.js';
import { wmflow } from '../../packages/local/test/replay-helpers.js';
import { type Act, type ScriptedProxy, scriptedProxy } from './scripted-proxy.js';

// Fault round 53 (F53-5): `wmflow quarantine release` took any 2xx to its CopyObject for the copy made. S3 answers a
// copy that fails once it has begun with a 200 whose body is an `<Error>` document; the SDK finds one only when the
// body's last 16 bytes end `</Error>`, so one followed by a line end — or a 200 carrying no CopyObjectResult at all
// (an empty result, a proxy's page) — read as success: `released: … -> …`, exit 0, and the delivery prefix held
// nothing: the operator was told a message went out that never did. S3 gives every copy it made an ETag
// (CopyObjectResult): an answer without one now fails the release, "not known to be released", exit 1.
const BUCKET = 'acme-inbound';
const message =
  'From: ann@partner.example\r\nTo: bob@corp.example\r\nSubject: invoice\r\n\r\nplease find attached\r\n';
let stack: LocalStack;
let proxy: ScriptedProxy;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
  proxy = await scriptedProxy(stack.env.AWS_ENDPOINT_URL_S3 as string);
});
afterAll(async () => {
  await proxy.close();
  await stack.stop();
});

async function read(key: string): Promise<string> {
  try {
    const got = await stack.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return await (got.Body as { transformToString(): Promise<string> }).transformToString();
  } catch (error) {
    return (error as Error).name;
  }
}

/** Releases `quarantine/<id>` with the copy's answer replaced by `fault`: the run, and what delivery then holds. */
async function releaseWith(id: string, fault: Act) {
  await stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `quarantine/${id}`, Body: message }));
  proxy.decide = (req) =>
    req.method === 'PUT' && req.headers['x-amz-copy-source'] !== undefined ? fault : { do: 'forward' };
  try {
    const run = await wmflow(
      ['quarantine', 'release', `s3://${BUCKET}/quarantine/${id}`, '--to', `s3://${BUCKET}/delivered/`],
      { ...stack.env, AWS_ENDPOINT_URL_S3: proxy.endpoint, AWS_MAX_ATTEMPTS: '1' },
    );
    return { run, delivered: await read(`delivered/${id}`) };
  } finally {
    proxy.decide = () => ({ do: 'forward' });
  }
}

const XML = { 'content-type': 'application/xml' };
const errorDocument =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message><RequestId>R</RequestId><HostId>H</HostId></Error>';

describe('F53-5: wmflow quarantine release says released only for a copy S3 made', () => {
  it('control: the copy is made, released, exit 0', async () => {
    const { run, delivered } = await releaseWith('m0', { do: 'forward' });
    expect([run.code, run.stdout, run.stderr]).toEqual([
      0,
      `released: s3://${BUCKET}/quarantine/m0 -> s3://${BUCKET}/delivered/m0\n`,
      '',
    ]);
    expect(delivered).toBe(message);
  }, 60_000);

  it.each([
    ['a 200 whose body is an <Error> document and a line end', { body: `${errorDocument}\n` }],
    ['a 200 whose body is an <Error> document and blanks', { body: `${errorDocument}\r\n  \r\n` }],
    [
      'a 200 with a CopyObjectResult without an ETag',
      {
        body: '<?xml version="1.0" encoding="UTF-8"?>\n<CopyObjectResult><LastModified>2026-12-06T16:00:00.000Z</LastModified></CopyObjectResult>',
      },
    ],
    ['a 200 whose body is a page', { body: '<html><body>maintenance</body></html>' }],
  ])(
    '%s: not released, exit 1, says so',
    async (_label, { body }) => {
      const { run, delivered } = await releaseWith(`m${_label.length}`, {
        do: 'answer',
        status: 200,
        headers: XML,
        body,
      });
      expect(delivered).toBe('NoSuchKey');
      expect(run.stdout).not.toContain('released:');
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('not released');
    },
    60_000,
  );

  it('the copy is made but its answer is lost to an error document: a second release says already released', async () => {
    const { run, delivered } = await releaseWith('m9', {
      do: 'apply-then-answer',
      status: 200,
      headers: XML,
      body: `${errorDocument}\n`,
    });
    expect(delivered).toBe(message);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('not released');
    const again = await wmflow(
      ['quarantine', 'release', `s3://${BUCKET}/quarantine/m9`, '--to', `s3://${BUCKET}/delivered/`],
      stack.env,
    );
    expect([again.code, again.stdout]).toEqual([
      0,
      `already released: s3://${BUCKET}/quarantine/m9 -> s3://${BUCKET}/delivered/m9\n`,
    ]);
  }, 60_000);
});
