import type { FileHandle } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpillFile } from '../../packages/core/src/message/spill-file.js';

// Fault round 53 (F53-8): the spill file (the spool's bytes past its memory share, written behind) counted a batch as
// on disk (`written` moved past it) one promise reaction before it stopped serving that batch from memory. A read in
// between — a reader's continuation queued with the write's answer, as the parser's and the editor's are — of bytes
// just past the batch took them from the batch's own start: a message read back from the spill was spliced, bytes
// of 512 KiB earlier in place of the ones asked for. The batch now leaves memory in the same reaction that moves
// `written`.
const BATCH = 512 * 1024;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'f53-8-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The bytes at `position` read in the reaction right after the first batch's write answers. */
async function readAsTheWriteAnswers(position: number): Promise<{ got: Buffer; whole: Buffer }> {
  const file = await SpillFile.create(dir);
  const handle = (file as unknown as { handle: FileHandle }).handle;
  const writev = handle.writev.bind(handle);
  let answered: Promise<unknown> | undefined;
  // The real write; its answer is also awaited by a reader queued right behind the spill's own reaction.
  handle.writev = ((buffers: NodeJS.ArrayBufferView[], at?: number) => {
    const answer = writev(buffers, at);
    answered ??= answer;
    return answer;
  }) as FileHandle['writev'];
  const first = Buffer.alloc(BATCH, 'a');
  const next = Buffer.alloc(64 * 1024, 'b');
  const pending = file.append(first); // a whole batch: its write starts now
  const reading = new Promise<Buffer>((resolve, reject) => {
    // Registered after the spill's own reaction to the write: runs right after it, before anything it chained.
    queueMicrotask(() => {
      (answered as Promise<unknown>).then(() => file.read(position).then(resolve, reject));
    });
  });
  await pending;
  await file.append(next); // still in memory: under a batch
  const got = await reading;
  const whole = Buffer.concat([first, next]);
  await file.remove();
  return { got, whole };
}

describe('F53-8: a read of spilled bytes as their batch reaches the disk gives the bytes asked for', () => {
  it('bytes just past the batch written (still in memory)', async () => {
    const { got, whole } = await readAsTheWriteAnswers(BATCH);
    expect(got.length).toBeGreaterThan(0);
    expect(got.equals(whole.subarray(BATCH, BATCH + got.length))).toBe(true);
  });

  it('control: bytes inside the batch written', async () => {
    const { got, whole } = await readAsTheWriteAnswers(1000);
    expect(got.length).toBeGreaterThan(0);
    expect(got.equals(whole.subarray(1000, 1000 + got.length))).toBe(true);
  });
});
