import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { jsonLines, wmflowWithin } from './replay-helpers.js';
import { stallingProxy } from './stalling-proxy.js';

// Fault round 71: `wmflow backtest s3://bucket/prefix` against a journal bucket that stops answering: the listing
// never answered, or a message's body stopping midway. The SDK's default client had no request timeout, so either
// held the run for ever; each now ends (`--request-timeout`, short here), exit 1, and no line passes for a judged
// message it is not: the listing's stop fails the run (exit 1), a message cut midway is a failed line.
const BUCKET = 'acme-journal';
let stack: LocalStack;
const S3 = () => stack.env.AWS_ENDPOINT_URL_S3 as string;
let dir: string;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r71-bt-'));
  await writeFile(
    join(dir, 'sound.mjs'),
    `export const handler = async () => ({ actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] });\n`,
  );
  for (const id of ['m1', 'm2', 'm3'])
    await stack.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `journal/${id}`,
        Body: Buffer.concat([
          Buffer.from(
            `From: a@partner.example\r\nTo: b@corp.example\r\nSubject: ${id}\r\nMessage-ID: <${id}@partner.example>\r\n\r\n`,
          ),
          Buffer.alloc(200_000, `${id} line\r\n`),
        ]),
      }),
    );
});
afterAll(async () => {
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
});

const backtest = (endpoint: string) =>
  wmflowWithin(
    [
      'backtest',
      `s3://${BUCKET}/journal/`,
      '--handler',
      join(dir, 'sound.mjs'),
      '--against',
      'recorded',
      '--request-timeout',
      '3000',
    ],
    { ...stack.env, AWS_ENDPOINT_URL_S3: endpoint },
  );
const keyed = (stdout: string) => jsonLines(stdout).filter((l) => 'key' in l);

describe('backtest of an S3 journal that stops answering (fault round 71)', () => {
  it('the listing never answered: exit 1, nothing judged, said so', async () => {
    const proxy = await stallingProxy(S3(), (req) =>
      req.method === 'GET' && (req.url ?? '').includes('list-type=2') ? 'unanswered' : 'pass',
    );
    try {
      const run = await backtest(proxy.endpoint);
      expect(run.hung, 'the run hung').toBe(false);
      expect(proxy.stalled.length).toBeGreaterThan(0);
      expect(run.code, run.stderr).toBe(1);
      expect(keyed(run.stdout)).toEqual([]);
      expect(run.stderr).toMatch(/TimeoutError|timed out|stopped answering/);
    } finally {
      await proxy.close();
    }
  }, 90_000);

  it('a message stalled mid-body: its line has the timeout, the others judged, the summary counts it failed', async () => {
    const proxy = await stallingProxy(S3(), (req) =>
      req.method === 'GET' && (req.url ?? '').split('?')[0] === `/${BUCKET}/journal/m2` ? 'mid-body' : 'pass',
    );
    try {
      const run = await backtest(proxy.endpoint);
      expect(run.hung, 'the run hung').toBe(false);
      expect(proxy.stalled.length).toBeGreaterThan(0);
      // A message that could not be read is a failed line (`--resume` tries it again), as a refused read is.
      const lines = keyed(run.stdout);
      expect(lines.map((l) => l.key)).toEqual(['journal/m1', 'journal/m2', 'journal/m3']);
      const errors = lines.map(
        (l) => (l.candidate as { error: { name: string } | null }).error?.name ?? null,
      );
      expect(errors).toEqual([null, 'TimeoutError', null]);
      expect(jsonLines(run.stdout).find((l) => l.type === 'summary')).toMatchObject({
        messages: 3,
        failed: 1,
      });
    } finally {
      await proxy.close();
    }
  }, 90_000);

  it('control: the same through a proxy passing everything: every message judged, exit 0', async () => {
    const proxy = await stallingProxy(S3(), () => 'pass');
    try {
      const run = await backtest(proxy.endpoint);
      expect([run.code, run.hung], run.stderr).toEqual([0, false]);
      expect(keyed(run.stdout).map((l) => l.key)).toEqual(['journal/m1', 'journal/m2', 'journal/m3']);
    } finally {
      await proxy.close();
    }
  }, 90_000);
});
