import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchRunner } from '../src/backtest/batch.js';
import { readResultWriter } from '../src/backtest/remote.js';
import type { BacktestLine } from '../src/backtest/types.js';
import { type LocalStack, startLocalStack } from '../src/stack.js';
import { backtestGuard, guardBatchInit, journalSamples, stable } from './backtest-helpers.js';

const BUCKET = 'acme-journal';
let dir: string;
let stack: LocalStack;
let fromFolder: BacktestLine[];
const keys: string[] = [];

/** The folder run's lines with S3 keys (the journal sits under `journal/` in the bucket). */
const asS3 = (lines: BacktestLine[]) => lines.map((l) => stable({ ...l, key: `journal/${l.key}` }));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-backtest-s3-'));
  stack = await startLocalStack({ buckets: [BUCKET] });
  const { journal } = await journalSamples(dir);
  for (const name of (await readdir(journal, { recursive: true })).sort()) {
    const body = await readFile(join(journal, name)).catch(() => undefined);
    if (!body) continue; // a folder
    const key = `journal/${name}`;
    await stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    keys.push(key);
  }
  fromFolder = (await backtestGuard(journal, ['-j', '1'])).lines;
}, 180_000);
afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('wmflow backtest s3://bucket/prefix', () => {
  it('reads the journal through the S3 API (standard AWS configuration) with the same results as the folder', async () => {
    const out = await backtestGuard(`s3://${BUCKET}/journal/`, ['-j', '2'], { ...stack.env });
    expect(out.stderr).toBe('');
    expect(out.lines.map(stable)).toEqual(asS3(fromFolder));
    expect(out.summary.source).toBe(`s3://${BUCKET}/journal/`);
  }, 120_000);
});

describe('the Step Functions batch Lambda', () => {
  it('gives a failed line for a cut copy and for metadata whose message is gone, in no batch', async () => {
    const message = Buffer.from('From: a@x.example\r\nSubject: hi\r\n\r\nhello there\r\n');
    const meta = (key: string) =>
      JSON.stringify({
        key,
        direction: 'INBOUND',
        envelope: { mailFrom: 'a@x.example', recipients: ['b@corp.example'] },
        sha256: createHash('sha256').update(message).digest('hex'),
        size: message.length,
      });
    const put = (Key: string, Body: Buffer | string) =>
      stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
    await put('faults/cut', message.subarray(0, 20));
    await put('faults/cut.json', meta('faults/cut'));
    await put('faults/gone.json', meta('faults/gone'));
    const init = await guardBatchInit();
    const { lines } = await batchRunner(stack.s3)({
      Items: ['faults/cut', 'faults/cut.json', 'faults/gone.json'].map((Key) => ({ Key })),
      BatchInput: { bucket: BUCKET, init },
    });
    expect(lines.map((l) => [l.key, l.candidate.error?.message])).toEqual([
      ['faults/cut', `faults/cut: 20 bytes, but the journal wrote ${message.length} (a cut or changed copy)`],
      ['faults/gone', 'faults/gone: the message is missing (its metadata faults/gone.json is there)'],
    ]);
  }, 60_000);

  it('backtests a batch of the S3 listing with the same code path and results as wmflow backtest', async () => {
    const handle = batchRunner(stack.s3);
    const init = await guardBatchInit();
    const half = Math.ceil(keys.length / 2);
    const batches = [keys.slice(0, half), keys.slice(half)];
    const results = [];
    for (const batch of batches) {
      results.push(
        await handle({ Items: batch.map((Key) => ({ Key })), BatchInput: { bucket: BUCKET, init } }),
      );
    }
    expect(results.flatMap((r) => r.lines).map(stable)).toEqual(asS3(fromFolder));
    const other = { Items: [], BatchInput: { bucket: BUCKET, init: { ...init, timeoutMs: 1 } } };
    await expect(handle(other)).rejects.toThrow(/another configuration/);

    // The ResultWriter's layout: a manifest naming result files of child executions.
    const put = (key: string, body: unknown) =>
      stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: JSON.stringify(body) }));
    await put('results/run/SUCCEEDED_0.json', [
      { Status: 'SUCCEEDED', Input: '{}', Output: JSON.stringify(results[0]) },
    ]);
    const failedItems = batches[1]?.map((Key) => ({ Key })) ?? [];
    const failure = { Error: 'Lambda.Unknown', Cause: 'out of memory' };
    await put('results/run/FAILED_0.json', [
      { Status: 'FAILED', ...failure, Input: JSON.stringify({ Items: failedItems }) },
    ]);
    await put('results/run/manifest.json', {
      ResultFiles: {
        SUCCEEDED: [{ Key: 'results/run/SUCCEEDED_0.json' }],
        FAILED: [{ Key: 'results/run/FAILED_0.json' }],
        PENDING: [],
      },
    });
    const read: BacktestLine[] = [];
    const output = JSON.stringify({
      ResultWriterDetails: { Bucket: BUCKET, Key: 'results/run/manifest.json' },
    });
    await readResultWriter(stack.s3, output, async (line) => {
      read.push(line);
    });
    const succeeded = results[0]?.lines ?? [];
    expect(read.slice(0, succeeded.length)).toEqual(succeeded);
    const failed = read.slice(succeeded.length);
    expect(failed.map((l) => l.key)).toEqual(
      failedItems.map((i) => i.Key).filter((k) => !k.endsWith('.json')),
    );
    for (const line of failed) {
      expect(line.candidate.error).toEqual({ name: 'Lambda.Unknown', message: 'out of memory' });
    }
  }, 180_000);
});
