import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../packages/local/src/backtest/source.js';
import { bigMessage } from './fault-harness.js';

// Fault round 53 (F53-4): a folder journal's message was checked against its metadata (size, SHA-256) in the
// file, and then judged by reading the file again — once per policy with `--against`. A file rewritten in place
// meanwhile (`cp` or a sync tool truncating and writing it again, a disk filling up) was judged cut or as other bytes
// after its check passed, and the two policies of one line could judge different bytes. The backtest now judges a
// private copy of the file, the one it checked.
const message = bigMessage(40_000, 'f53-4');
const other = bigMessage(40_000, 'f53-4-other');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'f53-4-'));
  await mkdir(join(root, 'inbound'), { recursive: true });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const metadataOf = (key: string, body: Buffer) =>
  JSON.stringify({
    key,
    messageId: key,
    direction: 'INBOUND',
    envelope: { mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] },
    verdictsSoFar: {},
    rulesFiredSoFar: [],
    sha256: sha(body),
    size: body.length,
  });

/** Fetches `key`, then runs `after` on the file (it changes after the check): the bytes the backtest judges. */
async function judgedAfter(key: string, after: (path: string) => Promise<unknown>): Promise<Buffer> {
  const source = await openSource(root);
  try {
    const item = await source.fetch(key);
    await after(join(root, key));
    const judged = await readFile(item.path);
    await source.release(item);
    return judged;
  } finally {
    await source.close();
  }
}

describe('F53-4: a folder journal message is judged as checked, whatever happens to its file after', () => {
  it('checked with metadata, then the file is cut (rewritten in place): the whole message is judged', async () => {
    await writeFile(join(root, 'inbound/a'), message);
    await writeFile(join(root, 'inbound/a.json'), metadataOf('inbound/a', message));
    const judged = await judgedAfter('inbound/a', (path) => truncate(path, 5_000));
    expect(judged.length).toBe(message.length);
    expect(judged.equals(message)).toBe(true);
  });

  it('without metadata, then the file is rewritten with another message: the bytes read at fetch', async () => {
    await writeFile(join(root, 'inbound/b'), message);
    const judged = await judgedAfter('inbound/b', (path) => writeFile(path, other));
    expect(judged.equals(message)).toBe(true);
  });

  it('the copy is the source’s: released, it is gone; the journal’s file stays', async () => {
    await writeFile(join(root, 'inbound/c'), message);
    const source = await openSource(root);
    const item = await source.fetch('inbound/c');
    await source.release(item);
    await source.close();
    expect(await stat(join(root, 'inbound/c')).then((s) => s.size)).toBe(message.length);
    if (item.path !== join(root, 'inbound/c')) await expect(stat(item.path)).rejects.toThrow();
  });

  it('control: a file already cut when fetched is refused by its metadata, as before', async () => {
    await writeFile(join(root, 'inbound/d'), message.subarray(0, 9_000));
    await writeFile(join(root, 'inbound/d.json'), metadataOf('inbound/d', message));
    const source = await openSource(root);
    try {
      await expect(source.fetch('inbound/d')).rejects.toThrow(/a cut or changed copy/);
    } finally {
      await source.close();
    }
  });

  it('control: a message whose file is missing still fails its fetch', async () => {
    await writeFile(join(root, 'inbound/e.json'), metadataOf('inbound/e', message));
    const source = await openSource(root);
    try {
      await expect(source.fetch('inbound/e')).rejects.toThrow(/the message is missing/);
    } finally {
      await source.close();
    }
  });
});
