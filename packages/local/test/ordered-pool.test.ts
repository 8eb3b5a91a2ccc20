import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOrderedPool } from '../src/workers/ordered-pool.js';
import { workerExecArgv } from '../src/workers/worker-flags.js';

// A worker speaking the pool's protocol, one item at a time as serveWorker does: item "wait" answers only once
// some worker has handled item "release" (which leaves a file behind), every other item at once. No timing.
const WORKER = `import { existsSync, writeFileSync } from 'node:fs';
const flag = process.env.POOL_TEST_FLAG;
let queue = Promise.resolve();
const handle = async (m) => {
  if (m.type === 'init') process.send({ type: 'ready' });
  else if (m.type === 'end') process.disconnect();
  else if (m.type === 'item') {
    if (m.item === 'release') writeFileSync(flag, 'x');
    while (m.item === 'wait' && !existsSync(flag)) await new Promise((r) => setTimeout(r, 10));
    const key = m.item === 'argv' ? process.execArgv.join(' ') : m.item;
    process.send({ type: 'result', seq: m.seq, out: { key, pid: process.pid } });
  }
};
process.on('message', (m) => {
  queue = queue.then(() => handle(m));
});
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-pool-'));
  await writeFile(join(dir, 'worker.mjs'), WORKER);
  process.env.POOL_TEST_FLAG = join(dir, 'released');
});
afterAll(async () => {
  delete process.env.POOL_TEST_FLAG;
  await rm(dir, { recursive: true, force: true });
});

describe('runOrderedPool', () => {
  it('with a window, a worker runs ahead of one held by a slow item, and results still come in key order', async () => {
    // "wait" holds its worker until "release" (the 13th key) is handled: the other worker must get it,
    // though the results of the ten keys before it cannot be reported until "wait" is done. With the
    // default window (4 keys per worker handed out and not reported) this would never finish.
    const keys = ['wait', ...Array.from({ length: 11 }, (_, i) => `k${i + 1}`), 'release', 'k13', 'k14'];
    const seen: { key: string; pid: number }[] = [];
    await runOrderedPool<null, string, string, { key: string; pid: number }>({
      label: 'test',
      script: pathToFileURL(join(dir, 'worker.mjs')),
      workers: 2,
      init: null,
      keys,
      window: 16,
      fetch: async (key) => key,
      failed: (key, error) => ({ key: `${key}: ${error.message}`, pid: 0 }),
      onResult: (out) => {
        seen.push(out);
      },
    });
    expect(seen.map((s) => s.key)).toEqual(keys);
    const waited = seen.find((s) => s.key === 'wait')?.pid;
    expect(seen.find((s) => s.key === 'release')?.pid).not.toBe(waited);
  }, 60_000);

  it('starts its workers with the Node options workerExecArgv gives for as many workers as cores', async () => {
    const workers = Math.max(2, availableParallelism());
    const seen: string[] = [];
    await runOrderedPool<null, string, string, { key: string; pid: number }>({
      label: 'test',
      script: pathToFileURL(join(dir, 'worker.mjs')),
      workers,
      init: null,
      keys: ['argv'],
      fetch: async (key) => key,
      failed: (key, error) => ({ key: `${key}: ${error.message}`, pid: 0 }),
      onResult: (out) => {
        seen.push(out.key);
      },
    });
    expect(seen).toEqual([workerExecArgv(workers).join(' ')]);
  }, 60_000);

  it('a key that cannot be fetched gets its failed result in its place', async () => {
    const seen: string[] = [];
    await runOrderedPool<null, string, string, { key: string; pid: number }>({
      label: 'test',
      script: pathToFileURL(join(dir, 'worker.mjs')),
      workers: 2,
      init: null,
      keys: ['a', 'gone', 'b'],
      fetch: async (key) => {
        if (key === 'gone') throw new Error('not there');
        return key;
      },
      failed: (key, error) => ({ key: `${key}: ${error.message}`, pid: 0 }),
      onResult: (out) => {
        seen.push(out.key);
      },
    });
    expect(seen).toEqual(['a', 'gone: not there', 'b']);
  }, 60_000);
});
