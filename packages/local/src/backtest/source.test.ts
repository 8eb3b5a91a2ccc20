import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../stack.js';
import { type JournalSource, openSource } from './source.js';

// A backtest judges what the journal wrote, or says it cannot (fault round 21): a copy cut or changed after the
// journal wrote it no longer matches the size and SHA-256 of its metadata, and metadata whose message is gone
// gives that message's key, whose fetch fails, so the message is counted as failed instead of never seen.

const MESSAGE = Buffer.from('From: a@x.example\r\nSubject: invoice\r\n\r\nsee the attached file\r\n');
const meta = (key: string, bytes = MESSAGE) =>
  JSON.stringify({
    key,
    direction: 'INBOUND',
    envelope: { mailFrom: 'a@x.example', recipients: ['b@corp.example'] },
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
  });

async function outcomes(source: JournalSource): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const key of source.list())
    out[key] = await source.fetch(key).then(
      () => 'read',
      (error: Error) => error.message.replace(`${key}`, '<key>'),
    );
  return out;
}

describe('backtest sources: what the journal wrote, or an error', () => {
  let dir: string;
  let stack: LocalStack;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wmflow-source-test-'));
    stack = await startLocalStack({ buckets: ['journal'] });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('a folder: reads the intact copy; refuses a cut or changed one; names a message whose metadata is alone', async () => {
    const root = join(dir, 'journal');
    await mkdir(join(root, 'inbound'), { recursive: true });
    const put = (key: string, bytes: Buffer | undefined, metadata: string | undefined) =>
      Promise.all([
        bytes && writeFile(join(root, key), bytes),
        metadata && writeFile(join(root, `${key}.json`), metadata),
      ]);
    const changed = Buffer.from(MESSAGE);
    changed[changed.length - 3] = 0x21;
    await put('inbound/a-intact', MESSAGE, meta('journal/inbound/a-intact'));
    await put('inbound/b-cut', MESSAGE.subarray(0, 30), meta('journal/inbound/b-cut'));
    await put('inbound/c-changed', changed, meta('journal/inbound/c-changed'));
    await put('inbound/d-gone', undefined, meta('journal/inbound/d-gone'));
    await put('inbound/e-no-metadata', MESSAGE, undefined);
    await mkdir(join(root, 'inbound/f-unreadable-metadata.json'));
    await put('inbound/f-unreadable-metadata', MESSAGE, undefined);
    expect(await outcomes(await openSource(root))).toEqual({
      'inbound/a-intact': 'read',
      'inbound/b-cut': `<key>: 30 bytes, but the journal wrote ${MESSAGE.length} (a cut or changed copy)`,
      'inbound/c-changed': expect.stringMatching(/^<key>: SHA-256 [0-9a-f]{12}…, but the journal wrote/),
      'inbound/d-gone': '<key>: the message is missing (its metadata inbound/d-gone.json is there)',
      'inbound/e-no-metadata': 'read',
      'inbound/f-unreadable-metadata': '<key>.json: cannot be read (EISDIR)',
    });
  });

  it('an S3 prefix: the same for a changed copy and for metadata alone', async () => {
    const put = (Key: string, Body: Buffer | string) =>
      stack.s3.send(new PutObjectCommand({ Bucket: 'journal', Key, Body }));
    await put('journal/x-intact', MESSAGE);
    await put('journal/x-intact.json', meta('journal/x-intact'));
    await put('journal/y-cut', MESSAGE.subarray(0, 30));
    await put('journal/y-cut.json', meta('journal/y-cut'));
    await put('journal/z-gone.json', meta('journal/z-gone'));
    const source = await openSource('s3://journal/journal/', { s3: stack.s3 });
    try {
      const got = await outcomes(source);
      expect(got['journal/x-intact']).toBe('read');
      expect(got['journal/y-cut']).toBe(
        `<key>: 30 bytes, but the journal wrote ${MESSAGE.length} (a cut or changed copy)`,
      );
      expect(got['journal/z-gone']).toMatch(/key does not exist/i);
      expect(Object.keys(got)).toEqual(['journal/x-intact', 'journal/y-cut', 'journal/z-gone']);
    } finally {
      await source.close();
    }
  });
});
