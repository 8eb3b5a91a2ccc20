import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpillFile } from './spill-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spill-test-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function readAll(file: SpillFile, from = 0): Promise<Buffer> {
  const out: Buffer[] = [];
  for (let at = from; at < file.length; ) {
    const chunk = await file.read(at);
    expect(chunk.length).toBeGreaterThan(0);
    out.push(chunk);
    at += chunk.length;
  }
  return Buffer.concat(out);
}

describe('SpillFile (write-behind temporary file)', () => {
  it('reads back every byte appended, from disk and from the batches not yet written, at any position', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 700_000 }), { minLength: 1, maxLength: 12 }),
        fc.nat(),
        async (sizes, seed) => {
          const file = await SpillFile.create(dir);
          const whole: Buffer[] = [];
          for (const [i, size] of sizes.entries()) {
            const chunk = Buffer.alloc(size, (seed + i) % 251);
            chunk[0] = i % 256;
            whole.push(chunk);
            await file.append(chunk);
            // A reader right behind the writer, as the front reader of a download is.
            const at = Math.max(0, file.length - size);
            const got = await file.read(at);
            expect(got.length).toBeGreaterThan(0);
            expect(got.equals(chunk.subarray(0, got.length))).toBe(true);
          }
          const expected = Buffer.concat(whole);
          expect(file.length).toBe(expected.length);
          expect((await readAll(file)).equals(expected)).toBe(true);
          const from = seed % expected.length;
          expect((await readAll(file, from)).equals(expected.subarray(from))).toBe(true);
          await file.remove();
        },
      ),
      { numRuns: 25 },
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a read past its end', async () => {
    const file = await SpillFile.create(dir);
    await file.append(Buffer.from('abc'));
    await expect(file.read(3)).rejects.toThrow(RangeError);
    await file.remove();
  });
});
