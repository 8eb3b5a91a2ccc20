import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedProxy } from '../../../functions/test/scripted-proxy.js';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { jsonLines, wmflow } from './replay-helpers.js';

// Fault round 52 (F52-3): `wmflow quarantine release` copied the object as it was when released, not as the
// operator reviewed it: a message stored under the reviewed key between `list`/`show` and `release` (SES storing
// again under that id, someone's upload) went out as "released". `list` now prints each message's ETag and
// `release --etag` ties the copy to it (CopySourceIfMatch): another object under the key is not released.
const BUCKET = 'acme-inbound';
let stack: LocalStack;
const reviewed = 'From: ann@partner.example\r\nTo: bob@corp.example\r\nSubject: invoice\r\n\r\nreviewed\r\n';
const other = 'From: ceo@corp.example\r\nTo: bob@corp.example\r\nSubject: pay now\r\n\r\nswapped\r\n';

beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
});
afterAll(async () => {
  await stack.stop();
});
const put = (Key: string, Body: string) => stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
async function read(key: string): Promise<string> {
  try {
    const got = await stack.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return await (got.Body as { transformToString(): Promise<string> }).transformToString();
  } catch (error) {
    return (error as Error).name;
  }
}
/** The ETag `list --json` gives for `key` under `prefix`. */
async function listedEtag(prefix: string, key: string): Promise<string> {
  const run = await wmflow(['quarantine', 'list', `s3://${BUCKET}/${prefix}`, '--json'], stack.env);
  expect(run.code, run.stderr).toBe(0);
  return jsonLines(run.stdout).find((m) => m.key === key)?.etag as string;
}
const release = (key: string, extra: string[], env: Record<string, string> = {}) =>
  wmflow(['quarantine', 'release', `s3://${BUCKET}/${key}`, '--to', `s3://${BUCKET}/delivered/`, ...extra], {
    ...stack.env,
    ...env,
  });

describe('F52-3: wmflow quarantine release --etag releases the message as reviewed, or nothing', () => {
  it('list prints each message ETag, as S3 has it (JSON and the table)', async () => {
    await put('q1/m1', reviewed);
    const { ETag } = await stack.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'q1/m1' }));
    expect(await listedEtag('q1/', 'q1/m1')).toBe(ETag);
    const table = await wmflow(['quarantine', 'list', `s3://${BUCKET}/q1/`], stack.env);
    expect(table.stdout).toContain(`q1/m1  etag ${ETag}`);
  });

  it('releases the reviewed message (ETag as listed, or with the quotes a shell takes off)', async () => {
    await put('q2/m2', reviewed);
    await put('q2/m3', reviewed.replace('invoice', 'receipt'));
    const etag = await listedEtag('q2/', 'q2/m2');
    const first = await release('q2/m2', ['--etag', etag]);
    expect([first.code, first.stdout, first.stderr]).toEqual([
      0,
      `released: s3://${BUCKET}/q2/m2 -> s3://${BUCKET}/delivered/m2\n`,
      '',
    ]);
    expect(await read('delivered/m2')).toBe(reviewed);
    const bare = (await listedEtag('q2/', 'q2/m3')).replaceAll('"', '');
    const second = await release('q2/m3', ['--etag', bare]);
    expect([second.code, second.stderr]).toEqual([0, '']);
    expect(await read('delivered/m3')).toBe(reviewed.replace('invoice', 'receipt'));
  });

  it('does not release another message stored under the key since it was listed', async () => {
    await put('q3/m4', reviewed);
    const etag = await listedEtag('q3/', 'q3/m4');
    await put('q3/m4', other);
    const run = await release('q3/m4', ['--etag', etag]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      new RegExp(
        `^wmflow quarantine: s3://${BUCKET}/q3/m4 not released: it changed since it was reviewed \\(ETag now "[0-9a-f]+", reviewed ${etag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)\n$`,
      ),
    );
    expect(await read('delivered/m4')).toBe('NoSuchKey');
  });

  it('does not release one replaced between its check and the copy: the copy itself is conditional', async () => {
    await put('q4/m5', reviewed);
    const etag = await listedEtag('q4/', 'q4/m5');
    const proxy = await scriptedProxy(stack.env.AWS_ENDPOINT_URL_S3 as string);
    try {
      proxy.decide = async (req) => {
        if (req.method === 'PUT' && req.headers['x-amz-copy-source'] !== undefined) await put('q4/m5', other);
        return { do: 'forward' };
      };
      const run = await release('q4/m5', ['--etag', etag], { AWS_ENDPOINT_URL_S3: proxy.endpoint });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('not released: it changed since it was reviewed');
      expect(await read('delivered/m5')).toBe('NoSuchKey');
    } finally {
      await proxy.close();
    }
  });

  it('says `already released` when the reviewed message was released before, even if the key changed since', async () => {
    await put('q5/m6', reviewed);
    const etag = await listedEtag('q5/', 'q5/m6');
    expect((await release('q5/m6', ['--etag', etag])).code).toBe(0);
    await put('q5/m6', other);
    const again = await release('q5/m6', ['--etag', etag]);
    expect([again.code, again.stdout]).toEqual([
      0,
      `already released: s3://${BUCKET}/q5/m6 -> s3://${BUCKET}/delivered/m6\n`,
    ]);
    expect(await read('delivered/m6')).toBe(reviewed);
  });

  it('takes one --etag per message, in order, and refuses a count that does not match', async () => {
    await put('q6/a1', reviewed);
    await put('q6/a2', other);
    const [e1, e2] = [await listedEtag('q6/', 'q6/a1'), await listedEtag('q6/', 'q6/a2')];
    const wrong = await wmflow(
      [
        'quarantine',
        'release',
        `s3://${BUCKET}/q6/a1`,
        `s3://${BUCKET}/q6/a2`,
        '--etag',
        e1,
        '--to',
        `s3://${BUCKET}/delivered/`,
      ],
      stack.env,
    );
    expect([wrong.code, wrong.stderr]).toEqual([
      1,
      'wmflow quarantine: quarantine release: give one --etag per message (2 messages, 1 --etag), or none\n',
    ]);
    expect(await read('delivered/a1')).toBe('NoSuchKey');
    const both = await wmflow(
      [
        'quarantine',
        'release',
        `s3://${BUCKET}/q6/a1`,
        `s3://${BUCKET}/q6/a2`,
        '--etag',
        e1,
        '--etag',
        e2,
        '--to',
        `s3://${BUCKET}/delivered/`,
      ],
      stack.env,
    );
    expect([both.code, both.stderr]).toEqual([0, '']);
    expect([await read('delivered/a1'), await read('delivered/a2')]).toEqual([reviewed, other]);
  });
});
