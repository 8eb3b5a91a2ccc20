import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../packages/local/src/index.js';
import { jsonLines, wmflow } from '../../packages/local/test/replay-helpers.js';
import { scriptedProxy } from './scripted-proxy.js';

// Fault round 53 (F53-1): `wmflow quarantine show` took `--etag` (the option is the command's, for `release`) and
// ignored it: `show s3://…/<id> --etag <as listed>` wrote whatever object the key held when it ran, exit 0. An
// operator who listed one message (its headers read from the listed object, IfMatch), showed it "with its ETag" and
// reviewed the bytes, had reviewed another object stored under the key since (SES storing again under that id, an
// upload), and `release --etag` then released the listed one, unreviewed. `show --etag` now writes that object only
// (GetObject IfMatch), and fails, writing nothing, when the key holds another.
const BUCKET = 'acme-inbound';
const listedMessage =
  'From: ann@partner.example\r\nTo: bob@corp.example\r\nSubject: invoice\r\n\r\nthe listed message\r\n';
const other = 'From: ceo@corp.example\r\nTo: bob@corp.example\r\nSubject: pay now\r\n\r\nswapped in\r\n';
let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
});
afterAll(async () => {
  await stack.stop();
});
const put = (Key: string, Body: string) => stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
async function listedEtag(prefix: string, key: string): Promise<string> {
  const run = await wmflow(['quarantine', 'list', `s3://${BUCKET}/${prefix}`, '--json'], stack.env);
  expect(run.code, run.stderr).toBe(0);
  return jsonLines(run.stdout).find((m) => m.key === key)?.etag as string;
}
const show = (key: string, extra: string[], env: Record<string, string> = {}) =>
  wmflow(['quarantine', 'show', `s3://${BUCKET}/${key}`, ...extra], { ...stack.env, ...env });

describe('F53-1: wmflow quarantine show --etag writes the listed object, or nothing', () => {
  it('control: with the ETag list printed (quoted or bare), the message byte for byte, exit 0', async () => {
    await put('s1/m1', listedMessage);
    const etag = await listedEtag('s1/', 's1/m1');
    const quoted = await show('s1/m1', ['--etag', etag]);
    expect([quoted.code, quoted.stdout, quoted.stderr]).toEqual([0, listedMessage, '']);
    const bare = await show('s1/m1', ['--etag', etag.replaceAll('"', '')]);
    expect([bare.code, bare.stdout, bare.stderr]).toEqual([0, listedMessage, '']);
  }, 60_000);

  it('another object stored under the key since it was listed: exit 1, nothing written', async () => {
    await put('s2/m2', listedMessage);
    const etag = await listedEtag('s2/', 's2/m2');
    await put('s2/m2', other);
    const { ETag: now } = await stack.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 's2/m2' }));
    const run = await show('s2/m2', ['--etag', etag]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`s3://${BUCKET}/s2/m2`);
    expect(run.stderr).toContain('changed since it was listed');
    expect(run.stderr).toContain(`${now}`);
  }, 60_000);

  it('the object is replaced between the command starting and its read: the read itself is conditional', async () => {
    await put('s3/m3', listedMessage);
    const etag = await listedEtag('s3/', 's3/m3');
    const proxy = await scriptedProxy(stack.env.AWS_ENDPOINT_URL_S3 as string);
    try {
      let swapped = false;
      proxy.decide = async (req) => {
        if (req.method === 'GET' && !swapped && (req.url ?? '').includes('s3/m3')) {
          swapped = true;
          await put('s3/m3', other);
        }
        return { do: 'forward' };
      };
      const run = await show('s3/m3', ['--etag', etag], { AWS_ENDPOINT_URL_S3: proxy.endpoint });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('changed since it was listed');
    } finally {
      await proxy.close();
    }
  }, 60_000);

  it('refuses a malformed --etag, and more than one, before reading anything', async () => {
    await put('s4/m4', listedMessage);
    const blank = await show('s4/m4', ['--etag', 'two words']);
    expect([blank.code, blank.stdout]).toEqual([1, '']);
    expect(blank.stderr).toContain('give the ETag as `quarantine list` prints it');
    const two = await show('s4/m4', ['--etag', '"a"', '--etag', '"b"']);
    expect([two.code, two.stdout]).toEqual([1, '']);
    expect(two.stderr).toContain('one --etag');
  }, 60_000);
});
