import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOrderedPool, WorkerExitError } from '../src/workers/ordered-pool.js';

// Workers that go away mid-run, speaking the pool's protocol one item at a time as serveWorker does:
// item "die" kills its own process (as the OOM killer would), item "cut" closes the channel to the parent
// and lives on (the moment between a dying worker's channel closing and its exit, held open). No timing.
const WORKER = `
import { writeFileSync } from 'node:fs';
const dir = process.env.POOL_FAULTS_DIR;
let queue = Promise.resolve();
const handle = async (m) => {
  if (m.type === 'init' && m.init === 'one-fails') {
    // The first worker to start takes the flag; any other fails its start.
    try {
      writeFileSync(dir + '/started', String(process.pid), { flag: 'wx' });
      process.send({ type: 'ready' });
    } catch {
      process.send({ type: 'fatal', message: 'no room' });
      process.disconnect();
    }
  } else if (m.type === 'init') process.send({ type: 'ready' });
  else if (m.type === 'end') process.disconnect();
  else if (m.type === 'item') {
    if (m.item === 'die') process.kill(process.pid, 'SIGKILL');
    if (m.item === 'exit3') process.exit(3);
    if (m.item === 'cut') {
      process.disconnect();
      setTimeout(() => process.exit(0), 60_000); // never ended by the parent: gone on its own, later
      return new Promise(() => {});
    }
    process.send({ type: 'result', seq: m.seq, out: { key: m.item, pid: process.pid } });
  }
};
process.on('message', (m) => {
  queue = queue.then(() => handle(m));
});
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-pool-faults-'));
  await writeFile(join(dir, 'worker.mjs'), WORKER);
  process.env.POOL_FAULTS_DIR = dir;
});
afterAll(async () => {
  delete process.env.POOL_FAULTS_DIR;
  await rm(dir, { recursive: true, force: true });
});

async function run(
  keys: string[],
  workers: number,
  init: string | null = null,
): Promise<{ key: string; pid: number }[]> {
  const seen: { key: string; pid: number }[] = [];
  await runOrderedPool<string | null, string, string, { key: string; pid: number }>({
    label: 'test',
    script: pathToFileURL(join(dir, 'worker.mjs')),
    workers,
    init,
    keys,
    fetch: async (key) => key,
    failed: (key, error) => ({ key: `${key}: ${error.name}`, pid: 0 }),
    onResult: (out) => {
      seen.push(out);
    },
  });
  return seen;
}

describe('runOrderedPool: a worker that goes away mid-run', () => {
  it('a worker killed mid-item: that item fails, the items queued behind it run in the other worker', async () => {
    // The first worker gets keys 0, 2, 4, 6 at once (four in flight): "die" runs first, three wait behind it.
    const keys = ['die', ...Array.from({ length: 40 }, (_, i) => `k${i + 1}`)];
    const seen = await run(keys, 2);
    expect(seen.map((s) => s.key)).toEqual(['die: WorkerExited', ...keys.slice(1)]);
    expect(new Set(seen.slice(1).map((s) => s.pid)).size).toBe(1);
  }, 60_000);

  it('a worker whose channel closes before it exits: no item is sent to it, the run ends, the rest run elsewhere', async () => {
    const keys = ['cut', ...Array.from({ length: 40 }, (_, i) => `k${i + 1}`)];
    const seen = await run(keys, 2);
    expect(seen.map((s) => s.key)).toEqual(['cut: WorkerExited', ...keys.slice(1)]);
  }, 60_000);

  it('every worker killed: each has its error line and the run fails', async () => {
    const seen: string[] = [];
    const ran = runOrderedPool<null, string, string, string>({
      label: 'test',
      script: pathToFileURL(join(dir, 'worker.mjs')),
      workers: 2,
      init: null,
      keys: ['die', 'die', 'k1', 'k2'],
      fetch: async (key) => key,
      failed: (key, error) => `${key}: ${error.name}`,
      onResult: (out) => {
        seen.push(out);
      },
    });
    await expect(ran).rejects.toThrow('every test worker exited');
    expect(seen.slice(0, 2)).toEqual(['die: WorkerExited', 'die: WorkerExited']);
  }, 60_000);

  it('a worker that cannot start fails the run, and the workers that did start are ended with it', async () => {
    await expect(run(['k1'], 2, 'one-fails')).rejects.toThrow('test worker: no room');
    const pid = Number(await readFile(join(dir, 'started'), 'utf8'));
    // Left running, it would keep the wmflow process from exiting: it is gone once the run has failed.
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  }, 60_000);
});

describe("runOrderedPool with onWorkerExit 'end-run': the run ends where one process would have", () => {
  async function runEnding(keys: string[], workers: number) {
    const seen: string[] = [];
    const error = await runOrderedPool<null, string, string, { key: string }>({
      label: 'test',
      script: pathToFileURL(join(dir, 'worker.mjs')),
      workers,
      init: null,
      keys,
      fetch: async (key) => key,
      failed: (key, e) => ({ key: `${key}: ${e.name}` }),
      onResult: (out) => {
        seen.push(out.key);
      },
      onWorkerExit: 'end-run',
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    return { seen, error };
  }
  const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`);

  it('the results before the exiting item are reported, none from it on, with its key and exit code', async () => {
    const { seen, error } = await runEnding([...keys(5), 'exit3', ...keys(20)], 2);
    expect(seen).toEqual(keys(5));
    expect(error).toBeInstanceOf(WorkerExitError);
    expect(error).toMatchObject({ key: 'exit3', code: 3, reported: 5 });
  }, 60_000);

  it('a worker killed by a signal: exit code null; the other worker still finishes the items before it', async () => {
    // With three workers the items before "die" are in flight in the others when it dies.
    const { seen, error } = await runEnding([...keys(7), 'die', ...keys(30)], 3);
    expect(seen).toEqual(keys(7));
    expect(error).toMatchObject({ key: 'die', code: null, reported: 7 });
  }, 60_000);

  it('two workers exit: the run ends at the earlier of their items, in key order', async () => {
    const { seen, error } = await runEnding(['k0', 'k1', 'exit3', 'die', 'k4', 'k5'], 2);
    expect(seen).toEqual(['k0', 'k1']);
    expect(error).toMatchObject({ key: 'exit3', code: 3, reported: 2 });
  }, 60_000);
});
