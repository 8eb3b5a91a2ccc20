import { readFile } from 'node:fs/promises';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { batchRunner } from '../../packages/local/src/backtest/batch.js';
import { openSource } from '../../packages/local/src/backtest/source.js';
import { batchClient, guardBatchInit } from '../../packages/local/test/backtest-helpers.js';
import { bigMessage, JOURNAL, sha256, UPDATES } from './fault-harness.js';
import { proxiedStack } from './scripted-proxy.js';

// Fault round 53 (F53-3): the backtest read each listed key as it was when read. A copy journaled without metadata
// (an archiver before metadata, a metadata write that failed) and replaced between the listing and the read (an
// upload, a copy restored over it) was judged as the new object's bytes, under the key and in the line of the object
// listed — and with its `<key>.json` replaced too, so was a copy with metadata: nothing tied what was judged to what
// was listed. The listing's ETag now does (GetObject IfMatch): another object under the key since is a failed line,
// "replaced since it was listed", never judged — locally and in the Step Functions batch (the Map's items carry
// their `Etag`).
const t = proxiedStack([JOURNAL, UPDATES]);
const first = bigMessage(12_000, 'f53-3-listed');
const second = bigMessage(12_000, 'f53-3-other');
const put = (Key: string, Body: Buffer | string) =>
  t.stack.s3.send(new PutObjectCommand({ Bucket: JOURNAL, Key, Body }));
const metadataOf = (key: string, body: Buffer) =>
  JSON.stringify({
    key,
    messageId: key.split('/').at(-1),
    invocationId: 'i',
    direction: 'INBOUND',
    envelope: { mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] },
    verdictsSoFar: {},
    rulesFiredSoFar: [],
    sha256: sha256(body),
    size: body.length,
  });
afterEach(async () => {
  t.s3p.decide = () => ({ do: 'forward' });
});

/** Lists `prefix` whole, runs `between` (the journal changing), then fetches each listed key: its bytes or its error. */
async function listThenFetch(prefix: string, between: () => Promise<unknown>): Promise<string[]> {
  const source = await openSource(`s3://${JOURNAL}/${prefix}`, { s3: t.stack.s3 });
  try {
    const keys: string[] = [];
    for await (const key of source.list()) keys.push(key);
    await between();
    const got: string[] = [];
    for (const key of keys) {
      const item = await source.fetch(key).catch((error: Error) => error);
      if (item instanceof Error) {
        got.push(`${key}: ${item.message}`);
        continue;
      }
      const bytes = await readFile(item.path);
      got.push(`${key}: ${bytes.equals(first) ? 'listed' : bytes.equals(second) ? 'other' : 'garbled'}`);
      await source.release(item);
    }
    return got;
  } finally {
    await source.close();
  }
}

describe('F53-3: a journal object replaced between the listing and its read is not judged', () => {
  it('control: nothing changes, the listed copy is read (with metadata and without)', async () => {
    await put('c/a', first);
    await put('c/b', first);
    await put('c/b.json', metadataOf('c/b', first));
    expect(await listThenFetch('c/', async () => {})).toEqual(['c/a: listed', 'c/b: listed']);
  });

  it('without metadata: replaced by another message', async () => {
    await put('n/a', first);
    const got = await listThenFetch('n/', () => put('n/a', second));
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/^n\/a: .*replaced since it was listed/);
  });

  it('with metadata: both replaced by another message and its metadata', async () => {
    await put('m/a', first);
    await put('m/a.json', metadataOf('m/a', first));
    const got = await listThenFetch('m/', async () => {
      await put('m/a', second);
      await put('m/a.json', metadataOf('m/a', second));
    });
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/^m\/a: .*replaced since it was listed/);
  });

  it('control: deleted since the listing is still NoSuchKey', async () => {
    await put('d/a', first);
    const got = await listThenFetch('d/', () =>
      t.stack.s3.send(new DeleteObjectCommand({ Bucket: JOURNAL, Key: 'd/a' })),
    );
    expect(got[0]).toMatch(/^d\/a: /);
    expect(got[0]).not.toContain('listed');
  });

  it('the Step Functions batch: an item whose Etag is not the object now gets a failed line, the rest judged', async () => {
    await put('s/a', first);
    await put('s/b', first);
    const listed = await t.stack.s3.send(
      new (await import('@aws-sdk/client-s3')).ListObjectsV2Command({ Bucket: JOURNAL, Prefix: 's/' }),
    );
    // The Map's ItemReader gives each object's Key, Etag, Size, LastModified as S3 listed them.
    const Items = (listed.Contents ?? []).map((o) => ({ Key: o.Key as string, Etag: o.ETag, Size: o.Size }));
    await put('s/a', second);
    const run = batchRunner(batchClient(t.s3p.endpoint));
    const { lines } = await run({ Items, BatchInput: { bucket: JOURNAL, init: await guardBatchInit() } });
    expect(lines.map((l) => [l.key, l.candidate.error?.name ?? 'judged'])).toEqual([
      ['s/a', 'LocalStackError'],
      ['s/b', 'judged'],
    ]);
    expect(lines[0]?.candidate.error?.message).toContain('replaced since it was listed');
  }, 120_000);
});
