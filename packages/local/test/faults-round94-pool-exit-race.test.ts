import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOrderedPool, WorkerExitError } from '../src/workers/ordered-pool.js';

// Fault round 94: a worker that sends its result and ends its process at once (a handler answering, then
// `process.exit(0)`). Its answer is in the channel when it exits; the pool must read it as the answer, never take
// the exit for a crash on the item it answered. Items "bye" are answered and then the worker exits 0 at once.
const WORKER = `
import { writeFileSync } from 'node:fs';
const dir = process.env.POOL_R94_DIR;
let queue = Promise.resolve();
const handle = async (m) => {
  if (m.type === 'init') process.send({ type: 'ready' });
  else if (m.type === 'end') process.disconnect();
  else if (m.type === 'item') {
    writeFileSync(dir + '/answered-' + m.item, '');
    process.send({ type: 'result', seq: m.seq, out: { key: m.item } });
    if (m.item.startsWith('bye')) process.exit(0);
  }
};
process.on('message', (m) => {
  queue = queue.then(() => handle(m));
});
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r94-pool-'));
  await writeFile(join(dir, 'worker.mjs'), WORKER);
  process.env.POOL_R94_DIR = dir;
});
afterAll(async () => {
  delete process.env.POOL_R94_DIR;
  await rm(dir, { recursive: true, force: true });
});

/** The lines reported and how the run ended, with `workers` workers. */
async function run(keys: string[], workers: number, onWorkerExit: 'fail-item' | 'end-run') {
  const lines: string[] = [];
  let end = 'ok';
  try {
    await runOrderedPool<null, string, string, { key: string } | { key: string; error: string }>({
      label: 'r94',
      script: pathToFileURL(join(dir, 'worker.mjs')),
      workers,
      init: null,
      keys,
      fetch: async (k) => k,
      failed: (key, e) => ({ key, error: e.name }),
      onResult: (out) => {
        lines.push('error' in out ? `${out.key}:${out.error}` : out.key);
      },
      onWorkerExit,
    });
  } catch (e) {
    end = e instanceof WorkerExitError ? `exit ${e.code} after ${e.reported}` : String(e);
  }
  return { lines, end };
}

/** The keys a worker answered (it marks each just before sending its answer) but the run reported as failed. */
function lost(lines: string[]): string[] {
  return lines
    .filter((l) => l.endsWith(':WorkerExited'))
    .map((l) => l.slice(0, -':WorkerExited'.length))
    .filter((k) => existsSync(join(dir, `answered-${k}`)));
}

async function clean() {
  for (const f of await readdir(dir)) if (f.startsWith('answered-')) await rm(join(dir, f));
}

const KEYS = Array.from({ length: 40 }, (_, i) => (i % 3 === 2 ? `bye-${i}` : `k-${i}`));

describe('fault round 94: a worker that answers and exits at once', () => {
  it('fail-item (backtest): an answer sent before the exit is reported, never WorkerExited', async () => {
    for (let i = 0; i < 5; i++) {
      await clean();
      const two = await run(KEYS, 2, 'fail-item');
      expect(lost(two.lines)).toEqual([]);
    }
  }, 30_000);
  it('end-run (replay): the answer is reported and the run ends after it, at -j 1 as at -j 2', async () => {
    for (let i = 0; i < 5; i++) {
      for (const workers of [1, 2]) {
        await clean();
        const got = await run(KEYS, workers, 'end-run');
        expect(lost(got.lines)).toEqual([]);
        expect(got.lines.slice(0, 3)).toEqual(['k-0', 'k-1', 'bye-2']);
        expect(got.end).toMatch(/^exit 0 after /);
      }
    }
  }, 30_000);
});
