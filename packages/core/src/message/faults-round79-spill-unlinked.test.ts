import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpillFile } from './spill-file.js';

// Fault round 79 (F79-1, library level): the spill file has no name in its folder once open, so a process killed
// while holding it (Lambda's timeout, out of memory, a crash) leaves nothing in /tmp for the environment's next
// runtime; its bytes are read back whole through the handle. A folder where an open file cannot be unlinked keeps
// the name, and the file is deleted when the spool is done with it, as before.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'f79-spill-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function readAll(file: SpillFile): Promise<Buffer> {
  const out: Buffer[] = [];
  for (let at = 0; at < file.length; ) {
    const chunk = await file.read(at);
    out.push(chunk);
    at += chunk.length;
  }
  return Buffer.concat(out);
}

describe('F79-1: the spill file is unlinked once open', () => {
  it('lists nothing in its folder from its creation on, and reads back every byte', async () => {
    const file = await SpillFile.create(dir);
    expect(await readdir(dir)).toEqual([]);
    const bytes = randomBytes(3 * 1024 * 1024);
    for (let at = 0; at < bytes.length; at += 100_000) await file.append(bytes.subarray(at, at + 100_000));
    // Wait for the batches on their way to disk, then read everything back from the file itself.
    await (file as unknown as { flushing?: { done: Promise<void> } }).flushing?.done;
    expect(Buffer.compare(await readAll(file), bytes)).toBe(0);
    expect(await readdir(dir)).toEqual([]);
    await file.remove();
    expect(await readdir(dir)).toEqual([]);
  });

  it('held: a folder that cannot unlink an open file keeps it listed until remove() deletes it', async () => {
    const fsp = createRequire(import.meta.url)('node:fs/promises') as typeof import('node:fs/promises');
    const realUnlink = fsp.unlink;
    (fsp as { unlink: typeof fsp.unlink }).unlink = async (path) => {
      throw Object.assign(new Error(`EBUSY: injected, unlink '${String(path)}'`), { code: 'EBUSY' });
    };
    syncBuiltinESMExports();
    let file: SpillFile;
    try {
      file = await SpillFile.create(dir);
    } finally {
      (fsp as { unlink: typeof fsp.unlink }).unlink = realUnlink;
      syncBuiltinESMExports();
    }
    expect((await readdir(dir)).filter((f) => f.startsWith('wmflow-spool-'))).toHaveLength(1);
    const bytes = randomBytes(700_000);
    await file.append(bytes);
    expect(Buffer.compare(await readAll(file), bytes)).toBe(0);
    await file.remove();
    expect(await readdir(dir)).toEqual([]);
  });
});
