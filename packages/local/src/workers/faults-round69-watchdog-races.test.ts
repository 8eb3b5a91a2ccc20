import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runOrderedPool, WorkerExitError } from './ordered-pool.js';

// Fault round 69: fault round 68's watchdog (`itemTimeoutMs`) raced against the worker it watches and against the
// replacement it starts. The workers below speak the pool's protocol; every step that matters waits for a file the
// test writes, so the order of events is forced, not timed.
//
// - The first worker to start (A) spins synchronously on item "stuck" until the file `release` exists, then answers
//   it, writes `a-answered`, and spins on every later item for ever (only a kill ends it).
// - The second worker (the replacement, B) writes `b-init` when asked to start, then spins until `b-go` exists
//   (never, under `init: 'b-hangs'`), answers `ready` and writes `b-ready`; it answers every item at once.
// Each worker writes its pid under `pids/`, so the test ends any it left behind (by pid).
const WORKER = `
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
const dir = process.env.POOL_R69_DIR;
const spin = (file) => { while (!existsSync(dir + '/' + file)) {} };
mkdirSync(dir + '/pids', { recursive: true });
writeFileSync(dir + '/pids/' + process.pid, '');
let first = false;
let queue = Promise.resolve();
const handle = async (m) => {
  if (m.type === 'init') {
    try {
      writeFileSync(dir + '/first', String(process.pid), { flag: 'wx' });
      first = true;
    } catch {
      writeFileSync(dir + '/b-init', '');
      spin(m.init === 'b-hangs' ? 'never' : 'b-go');
    }
    process.send({ type: 'ready' });
    if (!first) writeFileSync(dir + '/b-ready', '');
  } else if (m.type === 'end') process.disconnect();
  else if (m.type === 'item') {
    if (first && m.item === 'stuck') {
      spin('release');
      process.send({ type: 'result', seq: m.seq, out: { key: m.item, by: 'A' } });
      writeFileSync(dir + '/a-answered', '');
      return;
    }
    if (first && existsSync(dir + '/a-answered')) spin('never');
    process.send({ type: 'result', seq: m.seq, out: { key: m.item, by: first ? 'A' : 'B' } });
  }
};
process.on('message', (m) => {
  queue = queue.then(() => handle(m));
});
`;

let dir: string;
let run = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r69-pool-'));
  await writeFile(join(dir, 'worker.mjs'), WORKER);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  // Workers a failing run left spinning are ended by their own pids.
  const pids = await readdir(join(dir, `run${run}`, 'pids')).catch(() => [] as string[]);
  for (const pid of pids)
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {}
});

/** The processes (other than this one) whose environment names the run's folder: workers the pool left alive. */
async function liveWorkersOf(at: string): Promise<number[]> {
  const mark = `POOL_R69_DIR=${at}\0`;
  const live: number[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    if (`${environ}\0`.includes(mark)) live.push(pid);
  }
  return live;
}

/** Waits (polling, no assertion on time) until `file` exists in the run's folder. */
async function appears(at: string, file: string): Promise<void> {
  while (!existsSync(join(at, file))) await new Promise((r) => setTimeout(r, 10));
}

/** Blocks this process's event loop until `file` exists: nothing it has been sent is read meanwhile. */
function spinUntil(at: string, file: string): void {
  while (!existsSync(join(at, file))) {}
}

type Out = { key: string; by: string };

function pool(
  at: string,
  keys: string[],
  mode: 'fail-item' | 'end-run',
  init = 'ok',
  replacementStartMs = 600_000,
  signal?: AbortSignal,
) {
  process.env.POOL_R69_DIR = at;
  const seen: Out[] = [];
  const done = runOrderedPool<string, string, string, Out>({
    label: 'test',
    script: pathToFileURL(join(dir, 'worker.mjs')),
    workers: 1,
    init,
    keys,
    fetch: async (key) => key,
    failed: (key, error) => ({ key, by: error.name }),
    onResult: (out) => {
      seen.push(out);
    },
    onWorkerExit: mode,
    itemTimeoutMs: 200,
    handlerTimeoutMs: 100,
    replacementStartMs,
    ...(signal ? { signal } : {}),
  });
  return { seen, done };
}

async function freshRun(): Promise<string> {
  run++;
  const at = join(dir, `run${run}`);
  await rm(at, { recursive: true, force: true });
  await import('node:fs/promises').then((fs) => fs.mkdir(at, { recursive: true }));
  return at;
}

describe('fault round 69: the watchdog and a worker answering as it fires', () => {
  // The replacement's `ready` and the stuck worker's answer both wait unread; the replacement's is read first, so
  // the watchdog decides to kill, and the answer is read after the kill, before the exit. The item the killed
  // worker was then on (k1) did nothing wrong: before the fix it failed as if its worker had exited on its own
  // (`WorkerExited`), and under `end-run` (replay -j N) the whole run ended there, every line after it lost.
  for (const mode of ['fail-item', 'end-run'] as const)
    it(`${mode}: the answer read after the kill is the item's, the item the killed worker was on runs again, nothing lost`, async () => {
      const at = await freshRun();
      const keys = ['stuck', 'k1', 'k2', 'k3', 'k4', 'k5'];
      const { seen, done } = pool(at, keys, mode);
      const settled = done.then(
        () => undefined,
        (e: unknown) => e,
      );
      await appears(at, 'b-init');
      writeFileSync(join(at, 'b-go'), '');
      spinUntil(at, 'b-ready');
      writeFileSync(join(at, 'release'), '');
      spinUntil(at, 'a-answered');
      const error = await settled;
      expect(error).toBeUndefined();
      expect(seen.map((s) => s.key)).toEqual(keys);
      expect(seen.map((s) => s.by)).toEqual(['A', 'B', 'B', 'B', 'B', 'B']);
    }, 60_000);
});

// The pool had already taken the next key from the listing and was waiting for room for it when the stop came: it
// handed that key out anyway, after the stop (one more message started after Ctrl-C, behind a watchdog's wait).
describe('fault round 69: Ctrl-C while a replacement starts', () => {
  it('the stuck item times out, the items handed out run in the replacement, none after them, the run ends', async () => {
    const at = await freshRun();
    const stop = new AbortController();
    const keys = ['stuck', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6'];
    const { seen, done } = pool(at, keys, 'fail-item', 'ok', 600_000, stop.signal);
    await appears(at, 'b-init');
    stop.abort();
    writeFileSync(join(at, 'b-go'), '');
    await done;
    expect(seen.map((s) => `${s.key}:${s.by}`)).toEqual(['stuck:HandlerTimeout', 'k1:B', 'k2:B', 'k3:B']);
  }, 60_000);
});

describe('fault round 69: a replacement worker that never starts', () => {
  // The handler module loads once and hangs the next time (a lock, a network call at import): the replacement never
  // answers `init`. The watchdog waited for it before killing the stuck worker, so the run hung for ever.
  it('the stuck item fails with the timeout, the replacement is given up, the items queued behind fail, the run fails', async () => {
    const at = await freshRun();
    const { seen, done } = pool(at, ['stuck', 'k1', 'k2'], 'fail-item', 'b-hangs', 300);
    const error = await done.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(WorkerExitError);
    expect(seen.map((s) => `${s.key}:${s.by}`)).toEqual([
      'stuck:HandlerTimeout',
      'k1:WorkerExited',
      'k2:WorkerExited',
    ]);
    // Every worker the pool started has exited. The replacement may have been killed before it wrote its pid (its
    // start is what timed out, and under load Node may not have run its first line), so no count of pid files: no
    // process started with this run's folder in its environment is left.
    const pids = await readdir(join(at, 'pids'));
    expect(pids.length).toBeGreaterThanOrEqual(1);
    for (const pid of pids) expect(() => process.kill(Number(pid), 0)).toThrow();
    expect(await liveWorkersOf(at)).toEqual([]);
    expect(await readFile(join(at, 'first'), 'utf8')).not.toBe('');
  }, 15_000);
});

// Held: two workers stuck at once, and a listing that fails while they are (fault round 67's path). Every worker
// spins for ever on an item named `loop…` and answers any other at once.
const LOOPS = `
let queue = Promise.resolve();
process.on('message', (m) => {
  queue = queue.then(async () => {
    if (m.type === 'init') process.send({ type: 'ready' });
    else if (m.type === 'end') process.disconnect();
    else if (m.type === 'item') {
      if (m.item.startsWith('loop')) for (;;) {}
      process.send({ type: 'result', seq: m.seq, out: { key: m.item, by: 'ok' } });
    }
  });
});
`;

describe('fault round 69: two stuck workers and a failing listing (held)', () => {
  it('-j 2, both workers stuck at once, the listing failing after them: each stuck item times out, the rest in order, then the listing error', async () => {
    await writeFile(join(dir, 'loops.mjs'), LOOPS);
    const seen: Out[] = [];
    async function* keys() {
      yield* ['loop1', 'loop2', 'k1', 'k2', 'k3', 'loop3', 'k4'];
      throw new Error('listing cut');
    }
    const failed = await runOrderedPool<null, string, string, Out>({
      label: 'test',
      script: pathToFileURL(join(dir, 'loops.mjs')),
      workers: 2,
      init: null,
      keys: keys(),
      fetch: async (key) => key,
      failed: (key, error) => ({ key, by: error.name }),
      onResult: (out) => {
        seen.push(out);
      },
      itemTimeoutMs: 200,
      handlerTimeoutMs: 100,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((failed as Error).message).toBe('listing cut');
    expect(seen.map((s) => `${s.key}:${s.by}`)).toEqual([
      'loop1:HandlerTimeout',
      'loop2:HandlerTimeout',
      'k1:ok',
      'k2:ok',
      'k3:ok',
      'loop3:HandlerTimeout',
      'k4:ok',
    ]);
  }, 60_000);
});
