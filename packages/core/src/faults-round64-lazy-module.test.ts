import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { lazyModule } from './lazy-module.js';
import { TransientError } from './transient.js';

// Fault round 64: state kept at module level across the invocations of one warm container. A heavy module loads on
// first use (`lazyModule`); a first load that failed (a chunk not readable at that moment: EMFILE with the
// container's sockets and files open, a deploy's file not there yet) was kept as the module's answer for the life of
// the container: every later message's headers, parse, rewrite or PDF read failed with it, though Node 22 loads the
// module on the next `import()` (Node 22 does not cache a failed load; Node 20 keeps a failed read of a file there). A protection under a fail-closed policy then
// bounced every message of the container until Lambda recycled it. A failed load is now forgotten.
const dir = mkdtempSync(join(tmpdir(), 'wmflow-r64-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fault round 64: a module whose first load failed', () => {
  it('is loaded again on the next call, not failed for the life of the container', async () => {
    let calls = 0;
    const load = lazyModule(async () => {
      calls++;
      if (calls === 1) throw Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' });
      return { ok: true };
    });
    await expect(load()).rejects.toThrow(/EMFILE/);
    await expect(load()).resolves.toEqual({ ok: true });
    // Loaded: kept, not loaded again.
    await expect(load()).resolves.toEqual({ ok: true });
    expect(calls).toBe(2);
  });

  it('callers during the failed load share its failure; the next one tries again', async () => {
    let calls = 0;
    let fail: (e: Error) => void = () => {};
    const load = lazyModule(
      () =>
        new Promise<string>((resolve, reject) => {
          calls++;
          if (calls === 1) fail = reject;
          else resolve('loaded');
        }),
    );
    const a = load();
    const b = load();
    fail(new Error('read failed'));
    await expect(a).rejects.toThrow('read failed');
    await expect(b).rejects.toThrow('read failed');
    await expect(load()).resolves.toBe('loaded');
    expect(calls).toBe(2);
  });

  it('a real import() of a chunk that was not there at the first call loads once it is', async () => {
    const file = join(dir, 'late-chunk.mjs');
    const load = lazyModule(() => import(pathToFileURL(file).href) as Promise<{ x: number }>);
    await expect(load()).rejects.toThrow();
    writeFileSync(file, 'export const x = 64;\n');
    await expect(load()).resolves.toMatchObject({ x: 64 });
  });

  it('keeps a failed load as it is while the process has descriptors to spare (a module really missing)', async () => {
    const load = lazyModule(() => import(pathToFileURL(join(dir, 'not-there.mjs')).href));
    await expect(load()).rejects.toMatchObject({ code: 'ERR_MODULE_NOT_FOUND' });
  });

  it('a load that failed while the process is out of descriptors is transient, whatever the loader called it', async () => {
    // A resolver that cannot read a package's files says the module is not there (tsx, session 50's CI run).
    const load = lazyModule(() =>
      Promise.reject(Object.assign(new Error("Cannot find module 'x'"), { code: 'ERR_MODULE_NOT_FOUND' })),
    );
    const held: number[] = [];
    let failure: unknown;
    try {
      try {
        for (;;) held.push(openSync('/dev/null', 'r'));
      } catch {}
      // Settles in microtasks only: nothing else in this worker opens a file before the descriptors are freed.
      failure = await load().catch((error: unknown) => error);
    } finally {
      for (const fd of held) closeSync(fd);
    }
    expect(held.length).toBeGreaterThan(0);
    expect(failure).toBeInstanceOf(TransientError);
    expect((failure as Error).message).toMatch(/out of file descriptors \(EMFILE\)/);
    expect((failure as { cause?: { code?: string } }).cause?.code).toBe('ERR_MODULE_NOT_FOUND');
  });
});
