import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../packages/local/src/backtest/source.js';
import { wmflow } from '../../packages/local/test/replay-helpers.js';
import { bigMessage } from './fault-harness.js';

// F41-3: the backtest's integrity gate (source.ts, checkBytes) compares a copy with the size and SHA-256 of its
// `<key>.json` only when the metadata's own `key` equals the listed key or ENDS WITH `/<listed key>`. A source whose
// root lies ABOVE the journal's keys (a folder holding the bucket folder, `out/s3`, or a backup bucket/prefix the
// journal was copied under) lists keys that are LONGER than the metadata's key: the check is skipped and a cut copy
// with its metadata beside it is judged as the message — the line has no error, the summary counts it as judged.
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const ID = 'f41-3-cut-copy-0000-0000-000000000000';
const KEY = `journal/inbound/2026/12/04/${ID}`;
const whole = bigMessage(60_000, 'f41-3');
const cut = whole.subarray(0, whole.indexOf('\r\n', 30_000) + 2); // cut at a line's end, in the attachment
const metadata = JSON.stringify({
  key: KEY,
  messageId: ID,
  invocationId: 'inv',
  direction: 'INBOUND',
  envelope: { mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] },
  verdictsSoFar: { 'bob@corp.example': 'OPEN' },
  rulesFiredSoFar: [],
  sha256: sha(whole),
  size: whole.length,
});

let dir: string;
let stack: LocalStack;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'f41-3-'));
  // `aws s3 sync s3://journal-bucket backup/journal-bucket`: the bucket's keys below backup/journal-bucket.
  const path = join(dir, 'backup', 'journal-bucket', KEY);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, cut);
  await writeFile(`${path}.json`, metadata);
  stack = await startLocalStack({ buckets: ['archive-bucket'] });
  // The journal copied into another bucket under a prefix (a backup, an export for the audit).
  for (const [key, body] of [
    [`export-2026/${KEY}`, cut],
    [`export-2026/${KEY}.json`, Buffer.from(metadata)],
  ] as const)
    await stack.s3.send(new PutObjectCommand({ Bucket: 'archive-bucket', Key: key, Body: body }));
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('F41-3: a cut copy with its metadata beside it, under a root above the journal keys', () => {
  it('control: folder at the bucket level (keys = metadata keys): the cut copy is refused', async () => {
    const source = await openSource(join(dir, 'backup', 'journal-bucket'));
    await expect(source.fetch(KEY)).rejects.toThrow(/cut or changed copy/);
  });

  it('a copy whose metadata names another object is not judged', async () => {
    const other = join(dir, 'other');
    await mkdir(other, { recursive: true });
    await writeFile(join(other, 'm1'), whole);
    await writeFile(join(other, 'm1.json'), metadata); // names KEY, not m1
    const source = await openSource(other);
    await expect(source.fetch('m1')).rejects.toThrow(`m1: its metadata describes another object (${KEY})`);
  });

  it('folder one level above the bucket folder: the cut copy must be refused too', async () => {
    const source = await openSource(join(dir, 'backup'));
    const keys: string[] = [];
    for await (const k of source.list()) keys.push(k);
    expect(keys).toEqual([`journal-bucket/${KEY}`]);
    await expect(source.fetch(`journal-bucket/${KEY}`)).rejects.toThrow(/cut or changed copy/);
  });

  it('s3://bucket/prefix of a copy of the journal under another prefix: the cut copy must be refused', async () => {
    const s3 = new S3Client({
      endpoint: stack.env.AWS_ENDPOINT_URL_S3,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    const source = await openSource('s3://archive-bucket/export-2026/', { s3 });
    const keys: string[] = [];
    for await (const k of source.list()) keys.push(k);
    expect(keys).toEqual([`export-2026/${KEY}`]);
    await expect(source.fetch(`export-2026/${KEY}`)).rejects.toThrow(/cut or changed copy/);
    await source.close();
  });

  it('wmflow backtest <folder above> --function guard: the cut copy gets an error line, not a verdict', async () => {
    const run = await wmflow([
      'backtest',
      join(dir, 'backup'),
      '--function',
      'guard',
      '--env',
      'ORGANIZATION_DOMAINS=corp.example',
      '--env',
      'UPDATES_BUCKET=updates',
      '-j',
      '1',
    ]);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const message = lines.find((l) => l.type === 'message') as {
      candidate?: { error?: unknown; verdicts?: unknown };
    };
    expect(message?.candidate?.error, JSON.stringify(message)).toBeTruthy();
  }, 120_000);
});
