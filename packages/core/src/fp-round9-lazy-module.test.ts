import { describe, expect, it } from 'vitest';
import { lazyModule } from './lazy-module.js';
import { TransientError } from './transient.js';

// False-positive round 9 (the rules' lazily loaded modules now go through lazyModule): under ordinary load, with file
// descriptors free, many messages at once load a module once and share it, and a load that fails for a reason of its
// own is told as that failure, not as transient (which would retry a broken deploy forever).
describe('FP9-5: lazyModule under ordinary load', () => {
  it('200 concurrent first calls load once and get the same module', async () => {
    let calls = 0;
    const load = lazyModule(async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      return { id: calls };
    });
    const got = await Promise.all(Array.from({ length: 200 }, () => load()));
    expect(calls).toBe(1);
    expect(new Set(got).size).toBe(1);
  });

  it('a module that is not there, with descriptors free, fails as itself (not transient)', async () => {
    const load = lazyModule(() => import('./fp-round9-no-such-module.js' as string));
    const error = await load().catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(TransientError);
    expect(String((error as Error).message)).toMatch(/fp-round9-no-such-module/);
  });
});
