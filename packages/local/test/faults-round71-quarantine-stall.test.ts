import type { IncomingMessage } from 'node:http';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { wmflowWithin } from './replay-helpers.js';
import { stallingProxy } from './stalling-proxy.js';

// Fault round 71: `wmflow quarantine list|show|release` against an S3 that accepts the connection and stops
// answering: a request never answered (not forwarded, or forwarded and applied with its answer withheld), or an
// answer whose body stops midway. Each command ends with a clear error and exit 1 (it hung until Ctrl-C before);
// a release never says `released`, never loses the held copy and never leaves anything under the delivery key
// but the held message's exact bytes. The tests give a short `--request-timeout` and assert what was written and
// left in S3, never how long it took; the safety net below only turns a hang into a failure.
const BUCKET = 'acme-inbound';
let stack: LocalStack;
const S3 = () => stack.env.AWS_ENDPOINT_URL_S3 as string;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
});
afterAll(async () => {
  await stack.stop();
});

const held = (tag: string) =>
  Buffer.concat([
    Buffer.from(`From: ann@partner.example\r\nTo: bob@corp.example\r\nSubject: ${tag}\r\n\r\n`),
    Buffer.alloc(300_000, `${tag} held line\r\n`),
  ]);
const put = (Key: string, Body: Buffer | string) =>
  stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
const read = async (Key: string): Promise<Buffer | undefined> => {
  try {
    const got = await stack.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
    return Buffer.from(
      await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
  } catch {
    return undefined;
  }
};
const TIMEOUT = ['--request-timeout', '3000'];
const isCopy = (req: IncomingMessage) => req.method === 'PUT' && 'x-amz-copy-source' in req.headers;
const names = (req: IncomingMessage, key: string) => (req.url ?? '').split('?')[0] === `/${BUCKET}/${key}`;
const STOPPED = /S3 stopped answering/;

describe('quarantine against an S3 that stops answering (fault round 71)', () => {
  it('release: the held message HEAD never answered: not released, exit 1, nothing delivered', async () => {
    const bytes = held('r71a');
    await put('quarantine/r71a', bytes);
    const proxy = await stallingProxy(S3(), (req) =>
      req.method === 'HEAD' && names(req, 'quarantine/r71a') ? 'unanswered' : 'pass',
    );
    try {
      const run = await wmflowWithin(
        [
          'quarantine',
          'release',
          `s3://${BUCKET}/quarantine/r71a`,
          '--to',
          `s3://${BUCKET}/delivered/`,
          ...TIMEOUT,
        ],
        { ...stack.env, AWS_ENDPOINT_URL_S3: proxy.endpoint },
      );
      expect(run.hung, 'the command hung').toBe(false);
      expect(proxy.stalled.length).toBeGreaterThan(0);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout).not.toMatch(/released/);
      expect(run.stderr).toMatch(/quarantine\/r71a not released: /);
      expect(run.stderr).toMatch(STOPPED);
      expect(await read('delivered/r71a')).toBeUndefined();
      expect((await read('quarantine/r71a'))?.equals(bytes)).toBe(true);
    } finally {
      await proxy.close();
    }
  }, 90_000);

  it('release: the copy applied and its answer never given: not released, exit 1; the delivered copy whole; a rerun says already released', async () => {
    const bytes = held('r71b');
    const { ETag } = await put('quarantine/r71b', bytes);
    const proxy = await stallingProxy(S3(), (req) => (isCopy(req) ? 'applied-unanswered' : 'pass'));
    const args = [
      'quarantine',
      'release',
      `s3://${BUCKET}/quarantine/r71b`,
      '--etag',
      String(ETag),
      '--to',
      `s3://${BUCKET}/delivered/`,
    ];
    try {
      const run = await wmflowWithin([...args, ...TIMEOUT], {
        ...stack.env,
        AWS_ENDPOINT_URL_S3: proxy.endpoint,
      });
      expect(run.hung, 'the command hung').toBe(false);
      expect(proxy.stalled.length).toBeGreaterThan(0);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout).not.toMatch(/released/);
      expect(run.stderr).toMatch(/not released: .*S3 stopped answering/);
      const delivered = await read('delivered/r71b');
      if (delivered) expect(delivered.equals(bytes)).toBe(true);
      expect((await read('quarantine/r71b'))?.equals(bytes)).toBe(true);
    } finally {
      await proxy.close();
    }
    const again = await wmflowWithin(args, stack.env);
    expect([again.code, again.stdout], again.stderr).toEqual([
      0,
      expect.stringMatching(/^(released|already released): /),
    ]);
    expect((await read('delivered/r71b'))?.equals(bytes)).toBe(true);
  }, 120_000);

  it('release: another message under the delivery key, its read stalled mid-body: not released, nothing overwritten', async () => {
    const bytes = held('r71c');
    await put('quarantine/r71c', bytes);
    const other = held('other');
    await put('delivered/r71c', other);
    const proxy = await stallingProxy(S3(), (req) =>
      req.method === 'GET' && names(req, 'delivered/r71c') ? 'mid-body' : 'pass',
    );
    try {
      const run = await wmflowWithin(
        [
          'quarantine',
          'release',
          `s3://${BUCKET}/quarantine/r71c`,
          '--to',
          `s3://${BUCKET}/delivered/`,
          ...TIMEOUT,
        ],
        { ...stack.env, AWS_ENDPOINT_URL_S3: proxy.endpoint },
      );
      expect(run.hung, 'the command hung').toBe(false);
      expect(proxy.stalled.length).toBeGreaterThan(0);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout).not.toMatch(/released/);
      expect(run.stderr).toMatch(/not released: .*S3 stopped answering/);
      expect((await read('delivered/r71c'))?.equals(other)).toBe(true);
      expect((await read('quarantine/r71c'))?.equals(bytes)).toBe(true);
    } finally {
      await proxy.close();
    }
  }, 90_000);

  it('show: the message stalled mid-body: exit 1, said not to be the message', async () => {
    const bytes = held('r71d');
    await put('quarantine/r71d', bytes);
    const proxy = await stallingProxy(S3(), (req) =>
      req.method === 'GET' && names(req, 'quarantine/r71d') ? 'mid-body' : 'pass',
    );
    try {
      const run = await wmflowWithin(['quarantine', 'show', `s3://${BUCKET}/quarantine/r71d`, ...TIMEOUT], {
        ...stack.env,
        AWS_ENDPOINT_URL_S3: proxy.endpoint,
      });
      expect(run.hung, 'the command hung').toBe(false);
      expect(proxy.stalled.length).toBeGreaterThan(0);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout.length).toBeLessThan(bytes.length);
      expect(run.stderr).toMatch(/not the message/);
      expect(run.stderr).toMatch(STOPPED);
    } finally {
      await proxy.close();
    }
  }, 90_000);

  it('list: the listing never answered: exit 1, no count of a listing it does not have', async () => {
    await put('quarantine/r71e', held('r71e'));
    const proxy = await stallingProxy(S3(), (req) =>
      req.method === 'GET' && (req.url ?? '').includes('list-type=2') ? 'unanswered' : 'pass',
    );
    try {
      const run = await wmflowWithin(['quarantine', 'list', `s3://${BUCKET}/quarantine/`, ...TIMEOUT], {
        ...stack.env,
        AWS_ENDPOINT_URL_S3: proxy.endpoint,
      });
      expect(run.hung, 'the command hung').toBe(false);
      expect(proxy.stalled.length).toBeGreaterThan(0);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).not.toMatch(/message\(s\) under/);
      expect(run.stderr).toMatch(STOPPED);
    } finally {
      await proxy.close();
    }
  }, 90_000);

  it('control: through the same proxy passing everything, list and release succeed under the short timeout', async () => {
    const bytes = held('r71f');
    await put('quarantine/r71f', bytes);
    const proxy = await stallingProxy(S3(), () => 'pass');
    try {
      const env = { ...stack.env, AWS_ENDPOINT_URL_S3: proxy.endpoint };
      const list = await wmflowWithin(['quarantine', 'list', `s3://${BUCKET}/quarantine/`, ...TIMEOUT], env);
      expect([list.code, list.hung], list.stderr).toEqual([0, false]);
      expect(list.stdout).toMatch(/quarantine\/r71f/);
      const run = await wmflowWithin(
        [
          'quarantine',
          'release',
          `s3://${BUCKET}/quarantine/r71f`,
          '--to',
          `s3://${BUCKET}/delivered/`,
          ...TIMEOUT,
        ],
        env,
      );
      expect([run.code, run.stdout], run.stderr).toEqual([0, expect.stringMatching(/^released: /)]);
      expect((await read('delivered/r71f'))?.equals(bytes)).toBe(true);
    } finally {
      await proxy.close();
    }
  }, 90_000);
});
